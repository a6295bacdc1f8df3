import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { format, meaning } from "./format-helpers.js";

const root = join(import.meta.dirname, "..", "..");

function simFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return simFiles(path);
    return name.endsWith(".sim") ? [path] : [];
  });
}

const files = [...simFiles(join(root, "specs")), ...simFiles(join(root, "stdlib"))].map((f) => relative(root, f)).sort();

describe("formatting the repository's own .sim files (specs/, stdlib/)", () => {
  it("finds them", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)("%s: formatting is stable and keeps the AST and comments", async (file) => {
    const text = readFileSync(join(root, file), "utf8");
    const once = await format(text, { filepath: file });
    const twice = await format(once, { filepath: file });
    expect(twice).toBe(once);
    expect(meaning(once)).toEqual(meaning(text));
  });
});
