/**
 * simc's programmatic API, in pipeline order: parse → check → lower → (runtime via `simc train`).
 * The Prettier plugin is exported separately as `simc/prettier`.
 */
export { parseDocument } from "./grammar/parse.js";
export { visit, childKeys } from "./grammar/visitor.js";
export type * from "./grammar/ast.js";
export { checkEntry, checkSource } from "./compiler/check.js";
export type { Diagnostic, Severity } from "./core/diagnostic.js";
export { DIAGNOSTIC_CODES } from "./core/diagnostic-codes.js";
export type * from "./compiler/checked-model.js";
export { lowerModel } from "./compiler/lower/index.js";
export { serializeIR, parseIR } from "./ir/serialize.js";
export { verifyIR } from "./ir/verify.js";
export { printIR } from "./ir/print.js";
export type * from "./ir/types.js";
export { lintFile, lintSource } from "./lint/index.js";
export { renderDiagnostics } from "./cli/render-diagnostic.js";
