/**
 * The one error type data inspection and loading throw. It carries the file (or directory) at
 * fault and, where the format has them, the line and column (text) or byte offset (binary), a
 * message that says what was expected and what was found, and a hint that says what would fix
 * it; commands print `format()` and exit, never a stack trace.
 */

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

export class DataError extends Error {
  override readonly name = "DataError";
  /** The file or directory at fault, when there is one. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly byte?: number;
  /** What would fix it. */
  readonly hint?: string;

  constructor(message: string, options: DataErrorOptions = {}) {
    super(message);
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.byte = options.byte;
    this.hint = options.hint;
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
}

export function isDataError(error: unknown): error is DataError {
  return error instanceof DataError;
}

/** `0x00000803`: how magic numbers appear in messages. */
export function hex32(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, "0")}`;
}
