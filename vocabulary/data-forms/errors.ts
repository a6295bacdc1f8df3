/**
 * The one error type data inspection and loading throw. It carries the file (or directory) at
 * fault and, where the format has them, the line and column (text) or byte offset (binary), a
 * message that says what was expected and what was found, and a hint that says what would fix
 * it; commands print `format()` and exit, never a stack trace. Its code is SIM6001.
 */
import { RUNTIME_CODES } from "../../core/codes/runtime.js";
import type { Diagnostic } from "../../core/diagnostic.js";
import { CodedFailure } from "../../core/failure.js";

export interface DataErrorOptions {
  file?: string;
  /** 1-based line of a text file. */
  line?: number;
  /** 1-based column (or field number) on that line. */
  column?: number;
  /** 0-based byte offset into a binary file. */
  byte?: number;
  hint?: string;
}

export class DataError extends CodedFailure {
  override readonly name = "DataError";
  readonly line?: number;
  readonly column?: number;
  readonly byte?: number;

  constructor(message: string, options: DataErrorOptions = {}) {
    super(RUNTIME_CODES.dataUnreadable, message, {
      ...(options.file !== undefined ? { file: options.file } : {}),
      ...(options.hint !== undefined ? { hint: options.hint } : {}),
      ...(options.line !== undefined ? { loc: { line: options.line, column: options.column ?? 1 } } : {}),
    });
    this.line = options.line;
    this.column = options.column;
    this.byte = options.byte;
  }

  /** `file:line:col` (text), `file: byte N` (binary) or `file`, when there is a file. */
  get where(): string | undefined {
    if (!this.file) return undefined;
    if (this.line !== undefined) return `${this.file}:${this.line}${this.column !== undefined ? `:${this.column}` : ""}`;
    if (this.byte !== undefined) return `${this.file}: byte ${this.byte}`;
    return this.file;
  }

  /** `where: message` plus a `help:` line, as the CLI prints it. */
  format(): string {
    const where = this.where;
    const head = where ? `${where}: ${this.message}` : this.message;
    return this.hint ? `${head}\n  help: ${this.hint}` : head;
  }

  /** As a diagnostic: a binary file's byte offset goes into the message. */
  override toDiagnostic(fallbackFile: string): Diagnostic {
    const diagnostic = super.toDiagnostic(fallbackFile);
    if (this.byte !== undefined && this.line === undefined) diagnostic.message = `byte ${this.byte}: ${diagnostic.message}`;
    return diagnostic;
  }
}

export function isDataError(error: unknown): error is DataError {
  return error instanceof DataError;
}

/** `0x00000803`: how magic numbers appear in messages. */
export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, "0")}`;
}
