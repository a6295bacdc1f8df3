/**
 * Failures of an analysis that the user's input causes: coded failures (`core/failure.ts`) with
 * a code from the analysis table (SIM7xxx), the file or directory at fault when there is one,
 * what is wrong and what would fix it.
 */
import { type AnalysisCode } from "../core/codes/analysis.js";
import { CodedFailure } from "../core/failure.js";

export class AnalysisError extends CodedFailure {
  constructor(code: AnalysisCode, where: string, problem: string, hint: string) {
    super(code, problem, where ? { hint, file: where } : { hint });
    this.name = "AnalysisError";
  }
}
