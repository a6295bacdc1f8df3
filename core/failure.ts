/**
 * Runtime failures as data: every failure the runtime reports carries a stable code from the
 * catalogue, a message, a hint, and the file and place at fault when there is one. Commands turn
 * them into diagnostics, rendered and reported in `--json` exactly like the checker's.
 */
import { GUARD_CODE_INFO, type GuardCode } from "./codes/guard.js";
import { ANALYSIS_CODE_INFO, type AnalysisCode } from "./codes/analysis.js";
import { EXPORT_CODE_INFO, type ExportCode } from "./codes/export.js";
import { RUNTIME_CODE_INFO, type RuntimeCode } from "./codes/runtime.js";
import { fileStartLocation, type Diagnostic } from "./diagnostic.js";
import type { SourceLocation } from "./location.js";

export interface FailureDetails {
  /** What would fix it. */
  hint?: string;
  /** The file at fault (a data file, a checkpoint, the spec). */
  file?: string;
  /** Where in `file`, when known (the spec's line of a solver setting). */
  loc?: { line: number; column: number };
}

/** The runtime's codes (SIM6xxx) and those of files, outputs, flags and resources (SIM7xxx). */
export type FailureCode = RuntimeCode | GuardCode | AnalysisCode | ExportCode;

const FAILURE_CODE_INFO = { ...RUNTIME_CODE_INFO, ...GUARD_CODE_INFO, ...ANALYSIS_CODE_INFO, ...EXPORT_CODE_INFO };

export class CodedFailure extends Error {
  readonly hint?: string;
  file?: string;
  loc?: { line: number; column: number };

  constructor(
    readonly code: FailureCode,
    message: string,
    details: FailureDetails = {},
  ) {
    super(message);
    this.name = "CodedFailure";
    this.hint = details.hint;
    this.file = details.file;
    this.loc = details.loc;
  }

  /** Places the failure when it has no place yet (the layer that knows the spec's line adds it). */
  locate(details: FailureDetails): this {
    if (!this.file && !this.loc) {
      this.file = details.file;
      this.loc = details.loc;
    }
    return this;
  }

  /** The failure as a diagnostic; `fallbackFile` is the model the command was given. */
  toDiagnostic(fallbackFile: string): Diagnostic {
    const loc: SourceLocation = this.loc
      ? { start: 0, end: 0, line: this.loc.line, column: this.loc.column, endLine: this.loc.line, endColumn: this.loc.column }
      : fileStartLocation();
    const diagnostic: Diagnostic = {
      code: this.code,
      severity: FAILURE_CODE_INFO[this.code].severity,
      file: this.file ?? fallbackFile,
      loc,
      message: this.message,
    };
    if (this.hint) diagnostic.hint = this.hint;
    return diagnostic;
  }
}

export function isCodedFailure(error: unknown): error is CodedFailure {
  return error instanceof CodedFailure;
}
