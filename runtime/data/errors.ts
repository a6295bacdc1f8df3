/** Data errors are shared with the checker, which inspects the same files. */
export { DataError, isDataError, hex32, type DataErrorOptions } from "../../vocabulary/data-forms/errors.js";
