/** Why an export failed, as data: a stable code (core/codes/export.ts), a message, and what would fix it. */
import { EXPORT_CODES, type ExportCodeName } from "../core/codes/export.js";
import { CodedFailure, type FailureDetails } from "../core/failure.js";
import type { IRNode } from "../ir/types.js";

export class ExportError extends CodedFailure {
  constructor(kind: ExportCodeName, message: string, details: FailureDetails = {}) {
    super(EXPORT_CODES[kind], message, details);
    this.name = "ExportError";
  }
}

/** The spec place an IR node was lowered from, for a failure about that node. */
export function sourceOf(node: IRNode): FailureDetails {
  return node.loc ? { file: node.loc.file, loc: { line: node.loc.line, column: node.loc.column } } : {};
}
