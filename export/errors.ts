/** Why an export failed, as data: a stable code (export/codes.ts) and a message that says what would fix it. */
import { EXPORT_CODES, type ExportCodeName } from "../compiler/export-codes.js";

export class ExportError extends Error {
  readonly code: string;

  constructor(kind: ExportCodeName, message: string) {
    super(message);
    this.name = "ExportError";
    this.code = EXPORT_CODES[kind];
  }

  /** `SIMxxxx: message`, how the CLI prints it. */
  format(): string {
    return `${this.code}: ${this.message}`;
  }
}
