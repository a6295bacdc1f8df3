/**
 * Every file under test/fixtures/bad/ (or `main.sim` of a directory there) is checked; its
 * first line says what it must produce: `// expect: SIM3001 @ 7:5`, or `@ other.sim:1:19` when
 * the problem is in another file of the fixture. `empty.sim` cannot hold a comment.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkEntry } from "../../compiler/check.js";
import { codeInfo } from "../../core/diagnostic-codes.js";

const ROOT = "test/fixtures/bad";

interface Fixture {
  name: string;
  entry: string;
  code: string;
  file: string;
  line: number;
  column: number;
}

function fixtures(): Fixture[] {
  return readdirSync(ROOT)
    .sort()
    .map((name) => {
      const dir = statSync(join(ROOT, name)).isDirectory();
      const entry = dir ? join(ROOT, name, "main.sim") : join(ROOT, name);
      if (name === "empty.sim") return { name, entry, code: "SIM1010", file: entry, line: 1, column: 1 };
      const header = /^\/\/ expect: (SIM\d{4}) @ (?:(\S+):)?(\d+):(\d+)/.exec(readFileSync(entry, "latin1"));
      if (!header) throw new Error(`${entry} has no '// expect: CODE @ line:col' header`);
      const file = header[2] ? join(ROOT, name, header[2]) : entry;
      return { name, entry, code: header[1], file, line: Number(header[3]), column: Number(header[4]) };
    });
}

const all = fixtures();

describe("bad inputs", () => {
  it("cover at least 30 distinct problems", () => {
    expect(all.length).toBeGreaterThanOrEqual(30);
    expect(new Set(all.map((f) => f.code)).size).toBeGreaterThanOrEqual(30);
  });

  it.each(all.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    const result = checkEntry(fixture.entry);
    const found = result.diagnostics.filter((d) => d.code === fixture.code);
    expect(found.map((d) => `${d.file}:${d.loc.line}:${d.loc.column}`)).toContain(`${fixture.file}:${fixture.line}:${fixture.column}`);
    expect(found[0].severity).toBe("error");
    expect(codeInfo(fixture.code)).toBeDefined();
    // A bad input never yields a model, and every message says something.
    expect(result.models).toEqual([]);
    for (const d of result.diagnostics) expect(d.message.length).toBeGreaterThan(10);
  });
});
