/** Shared helpers for the linter and doc tests: temporary projects and captured CLI output. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { vi } from "vitest";
import type { LintDiagnostic } from "../../lint/types.js";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures", "lint");

/** A fresh directory holding `files` (paths relative to it); call `remove()` when done. */
export function tempProject(files: Record<string, string>): { root: string; path(rel: string): string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), "simc-lint-"));
  for (const [rel, text] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return { root, path: (rel) => join(root, rel), remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Runs `fn` with stdout and stderr captured. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result: T; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const result = await fn();
    return { result, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** `rule severity line:col` of each lint finding, for compact assertions. */
export function findings(diagnostics: readonly LintDiagnostic[], rule?: string): string[] {
  return diagnostics
    .filter((d) => d.rule !== undefined && (rule === undefined || d.rule === rule))
    .map((d) => `${d.rule} ${d.severity} ${d.loc.line}:${d.loc.column}`);
}
