/** Shared helpers for the checker's tests: check in-memory text, find diagnostics by code. */
import { checkSource, type CheckResult } from "../../compiler/check.js";
import type { CheckedModel } from "../../compiler/checked-model.js";
import type { Diagnostic } from "../../core/diagnostic.js";

export function check(text: string, file = "test.sim"): CheckResult {
  return checkSource(text, file);
}

export function errors(result: CheckResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === "error");
}

/** `CODE@line:col` of every diagnostic, for compact assertions. */
export function codes(result: CheckResult): string[] {
  return result.diagnostics.map((d) => `${d.code}@${d.loc.line}:${d.loc.column}`);
}

/** The only model of a result that must check cleanly (no errors). */
export function onlyModel(result: CheckResult): CheckedModel {
  const problems = errors(result);
  if (problems.length > 0) throw new Error(`unexpected errors: ${problems.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  if (result.models.length !== 1) throw new Error(`expected one model, got ${result.models.length}`);
  return result.models[0];
}

/** A model around a basis, with a lift, surrogate and head that fit any vector basis. */
export function vectorSim(input: string, basis: string, extra = ""): string {
  return `model m {
  input: ${input}
  task: regress(outputs: 3)
  basis {
${basis}
  }
  surrogate { dense(units: 8) }
  ${extra}
  train { data: "points.png" }
}
`;
}
