/** The readers behind the data sets of `vocabulary/data-sets.ts`, and the rule for naming one. */
export type { DataArgs, DataCall, DataDescription, DataExamples, DataValue, ReadDataSet } from "./types.js";
export { TEST_SPLIT_SEED } from "./types.js";
export { DataError, isDataError } from "./errors.js";
export { resolveData, suggestDataForms, validDataForms, type ResolvedData } from "./resolve.js";
export { formSignature } from "./arguments.js";
