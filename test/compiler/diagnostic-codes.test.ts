import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIAGNOSTIC_CODES, renderDiagnosticsMarkdown } from "../../core/diagnostic-codes.js";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

describe("diagnostic catalogue", () => {
  it("lists every code that any source folder can emit", () => {
    const emitted = new Set<string>();
    for (const dir of ["core", "vocabulary", "grammar", "compiler", "ir", "lint", "runtime", "api", "cli"]) {
      for (const file of sourceFiles(dir)) {
        for (const match of readFileSync(file, "utf8").matchAll(/\bSIM\d{4}\b/g)) emitted.add(match[0]);
      }
    }
    // The checker's own codes must all be there; the scan also covers the parser and lowering.
    expect(emitted.size).toBeGreaterThan(60);
    const missing = [...emitted].filter((code) => !(code in DIAGNOSTIC_CODES)).sort();
    expect(missing).toEqual([]);
  });

  it("has no dead entries: every checker code is reported somewhere", () => {
    const sources = ["core", "vocabulary", "compiler", "ir", "lint", "runtime", "api", "cli"]
      .flatMap(sourceFiles)
      .filter((file) => !file.endsWith("diagnostic-codes.ts"))
      .map((file) => readFileSync(file, "utf8"))
      .join("\n");
    const dead = Object.keys(DIAGNOSTIC_CODES).filter((code) => /^SIM[1-49]/.test(code) && !sources.includes(`"${code}"`));
    expect(dead).toEqual([]);
  });

  it("gives every code a severity, a title and a one-line explanation", () => {
    for (const [code, info] of Object.entries(DIAGNOSTIC_CODES)) {
      expect(code).toMatch(/^SIM\d{4}$/);
      expect(["error", "warning", "info"]).toContain(info.severity);
      expect(info.title.length).toBeGreaterThan(3);
      expect(info.explanation).not.toContain("\n");
      expect(info.explanation.length).toBeGreaterThan(10);
    }
    expect(DIAGNOSTIC_CODES.SIM0006.title).toBe("unclosed delimiter");
    expect(DIAGNOSTIC_CODES.SIM5001).toBeDefined();
  });

  it("is what docs/diagnostics.md shows", () => {
    const regenerate =
      "regenerate it: npx tsx -e 'import(\"./core/diagnostic-codes.ts\").then((m) => require(\"node:fs\").writeFileSync(\"docs/diagnostics.md\", m.renderDiagnosticsMarkdown() + \"\\n\"))'";
    expect(readFileSync("docs/diagnostics.md", "utf8"), regenerate).toBe(renderDiagnosticsMarkdown() + "\n");
  });
});
