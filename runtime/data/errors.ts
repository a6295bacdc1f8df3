/**
 * The one error type data loading throws. It carries the file (or directory) at fault, a
 * message that says what was expected and what was found, and a hint that says what would
 * fix it; commands print `format()` and exit, never a stack trace.
 */
import { RUNTIME_CODES } from "../../core/codes/runtime.js";
import { CodedFailure } from "../../core/failure.js";

export class DataError extends CodedFailure {
  override readonly name = "DataError";

  constructor(message: string, options: { file?: string; hint?: string } = {}) {
    super(RUNTIME_CODES.dataUnreadable, message, options);
  }

  /** `file: message` plus a `help:` line, as the CLI prints it. */
  format(): string {
    const head = this.file ? `${this.file}: ${this.message}` : this.message;
    return this.hint ? `${head}\n  help: ${this.hint}` : head;
  }
}

export function isDataError(error: unknown): error is DataError {
  return error instanceof DataError;
}

/** `0x00000803`: how magic numbers appear in messages. */
export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, "0")}`;
}
