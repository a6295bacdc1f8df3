/**
 * Failures of an analysis that the user's input causes, as data: a stable code from the
 * catalogue (`compiler/analysis-codes.ts`), where (a file or directory), what is wrong and
 * what would fix it.
 */
import { ANALYSIS_CODES } from "../compiler/analysis-codes.js";

export type AnalysisCode = (typeof ANALYSIS_CODES)[keyof typeof ANALYSIS_CODES];

export class AnalysisError extends Error {
  constructor(
    readonly code: AnalysisCode,
    /** A file or directory the problem is about; empty when it is an option's value. */
    readonly where: string,
    readonly problem: string,
    readonly hint: string,
  ) {
    super(`${where ? `${where}: ` : ""}${code}: ${problem}; ${hint}`);
  }
}
