/**
 * A coded failure raised where the fix is short (a path, a flag, a checkpoint): positional
 * arguments for the code, the message, the hint and, for text files, the place. Commands print
 * `format()` and exit 1; anything else that escapes a command is a bug in simc (exit 2).
 */
import { CodedFailure, type FailureCode } from "./failure.js";

export class CodedError extends CodedFailure {
  constructor(
    code: FailureCode,
    message: string,
    hint?: string,
    /** Where in a file, when the problem has a place (a byte that is not UTF-8). */
    readonly at?: { line: number; column: number },
  ) {
    super(code, message, { hint, loc: at });
    this.name = "CodedError";
  }

  /** `error[SIM7xxx]: message` with a `help:` line, as commands print it. */
  format(): string {
    const head = `error[${this.code}]: ${this.message}`;
    return this.hint ? `${head}\n  help: ${this.hint}` : head;
  }
}

/** Shortens a user-supplied name or line for a message: the start and the end, `…` between. */
export function clip(text: string, max = 120): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) * 0.7);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))} (${text.length} characters)`;
}

/** Clips every overlong run of non-blank characters in a message (long names, paths, lines). */
export function clipWords(message: string, max = 120): string {
  return message.replace(new RegExp(`\\S{${max + 1},}`, "gu"), (word) => clip(word, max));
}
