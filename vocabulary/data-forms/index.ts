/** The data forms: what each reads, the examples it yields, and the rule for naming one. */
export type { DataArgs, DataCall, DataDescription, DataExamples, DataFormDef, DataParam, DataValue, ReadDataSet } from "./types.js";
export { TEST_SPLIT_SEED } from "./types.js";
export { DataError, isDataError } from "./errors.js";
export { DATA_FORMS, dataFormNames, findDataForm } from "./catalogue.js";
export { resolveData, suggestDataForms, validDataForms, type ResolvedData } from "./resolve.js";
export { formSignature } from "./arguments.js";
