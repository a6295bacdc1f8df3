import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** The repository-relative files a source file imports (static, dynamic and type-only). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']+)["']/g)) {
    found.push(relative(ROOT, resolve(dirname(join(ROOT, file)), match[1])));
  }
  return found;
}

/** Each folder may import only from itself and the folders listed. */
const ALLOWED: Record<string, string[]> = {
  core: [],
  vocabulary: ["core"],
  grammar: ["core"],
  ir: ["core", "vocabulary"],
  compiler: ["core", "vocabulary", "grammar", "ir"],
  lint: ["core", "vocabulary", "grammar", "compiler", "ir"],
  charts: [],
  runtime: ["core", "vocabulary", "ir", "charts"],
  analysis: ["core", "vocabulary", "ir", "runtime", "charts"],
  api: ["core", "vocabulary", "grammar", "compiler", "ir"],
  search: ["core", "vocabulary", "grammar", "compiler", "ir", "runtime"],
  export: ["core", "vocabulary", "ir", "runtime"],
};

const top = (path: string) => path.split("/")[0];

describe("layering", () => {
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder}/ imports only from ${[folder, ...allowed].join(", ")}`, () => {
      const files = sourceFiles(folder);
      expect(files.length).toBeGreaterThan(0);
      const violations = files.flatMap((file) =>
        importsOf(file)
          .filter((target) => top(target) !== folder && !allowed.includes(top(target)))
          .map((target) => `${file} → ${target}`),
      );
      expect(violations).toEqual([]);
    });
  }

  it("no CLI command module imports another", () => {
    const commands = sourceFiles("cli/commands");
    expect(commands.length).toBeGreaterThan(5);
    const violations = commands.flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith("cli/commands/") || target === "cli/main.js")
        .map((target) => `${file} → ${target}`),
    );
    expect(violations).toEqual([]);
  });

  it("sees the imports it checks", () => {
    expect(importsOf("cli/commands/eval.ts")).toContain("cli/command-kit.js");
    expect(importsOf("cli/main.ts")).toContain("cli/commands/train.js");
  });
});
