/**
 * Diagnostics are data: a stable code, a severity, a location and a message, with optional
 * hints. Rendering (code frame, JSON) is separate (`cli/render-diagnostic.ts`), so the same
 * diagnostic serves the CLI, `--json` and an editor.
 */
import type { SourceLocation } from "./location.js";

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  /** Stable code from the catalogue (`core/diagnostic-codes.ts`), e.g. `SIM1001`. */
  code: string;
  severity: Severity;
  /** Path of the file as given by the user (or the module id for stdlib files). */
  file: string;
  /** Where: at least line/column; `start`/`end` offsets when known. */
  loc: SourceLocation;
  /** What is wrong, in one sentence. */
  message: string;
  /** What would fix it (rendered as `help: …`). */
  hint?: string;
  /** Related places, e.g. the other end of an import cycle. */
  related?: { file: string; loc: SourceLocation; message: string }[];
}

/** A location for diagnostics about a whole file (empty input, unreadable file). */
export function fileStartLocation(): SourceLocation {
  return { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
