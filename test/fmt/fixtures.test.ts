import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { format, meaning } from "./format-helpers.js";

const dir = join(import.meta.dirname, "..", "fixtures", "fmt");
const names = readdirSync(dir)
  .filter((f) => f.endsWith(".in.sim"))
  .map((f) => f.slice(0, -".in.sim".length))
  .sort();

describe("formatter fixtures (<name>.in.sim → <name>.out.sim)", () => {
  it("has fixtures", () => {
    expect(names).toEqual(
      expect.arrayContaining(["blocks", "comments", "expressions", "imports", "long-arguments", "model", "statements"]),
    );
  });

  describe.each(names)("%s", (name) => {
    const input = readFileSync(join(dir, `${name}.in.sim`), "utf8");
    const expected = readFileSync(join(dir, `${name}.out.sim`), "utf8");

    it("formats to the expected output", async () => {
      expect(await format(input)).toBe(expected);
    });

    it("is idempotent", async () => {
      expect(await format(expected)).toBe(expected);
    });

    it("keeps the AST and every comment", () => {
      expect(meaning(expected)).toEqual(meaning(input));
    });
  });
});
