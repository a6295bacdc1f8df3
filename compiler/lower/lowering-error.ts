/**
 * A model that cannot be lowered to the asked target. Lowering throws it from deep inside and
 * `lowerModel` turns it into a located diagnostic.
 */
import type { SourceLocation } from "../../grammar/ast.js";
import type { Origin } from "../checked-model.js";
import type { Diagnostic } from "../../core/diagnostic.js";

/**
 * A location from an `Origin` (line and column only). Offsets are unknown here; readers that
 * hold the source text (the CLI) fill them in before rendering.
 */
export function originLocation(origin: Origin): SourceLocation {
  return { start: 0, end: 0, line: origin.line, column: origin.column, endLine: origin.line, endColumn: origin.column + 1 };
}

export class LoweringError extends Error {
  constructor(
    readonly code: string,
    readonly origin: Origin,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }

  toDiagnostic(): Diagnostic {
    return {
      code: this.code,
      severity: "error",
      file: this.origin.file,
      loc: originLocation(this.origin),
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}
