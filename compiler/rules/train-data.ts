/**
 * `train { data: … }`: a catalogue name (hyphens stand for underscores, so `fashion-mnist`
 * works although it reads as a subtraction), a call with arguments, or a path. The value is
 * resolved and inspected by the data forms the loader uses, so the shape and class count
 * checked here are the ones training will see.
 */
import { dirname } from "node:path";
import type { CallExpr, Expr, Identifier } from "../../grammar/ast.js";
import { pathKind } from "../../vocabulary/data-forms/file-bytes.js";
import { DataError, resolveData, suggestDataForms, validDataForms, type DataDescription, type DataValue } from "../../vocabulary/data-forms/index.js";
import type { CallValue, Value } from "../checked-model.js";
import type { Place } from "../reporter.js";
import { DATA_SETS } from "../train-catalogue.js";
import { describeValue, toValueRecord, type EvalValue } from "../values.js";
import { bindConfigured, type ModelContext } from "./context.js";

/** `a-b` and `a-b(…)` written without spaces: one hyphenated name, not a subtraction. */
export function hyphenatedName(expr: Expr | undefined): Identifier | CallExpr | undefined {
  if (!expr) return undefined;
  if (expr.kind === "Identifier") return expr;
  if (expr.kind !== "BinaryExpr" || expr.operator !== "-" || !expr.left || !expr.right) return undefined;
  const left = hyphenatedName(expr.left);
  const right = expr.right;
  if (left?.kind !== "Identifier" || left.loc.end + 1 !== right.loc.start) return undefined;
  const rightName = right.kind === "Identifier" ? right : right.kind === "CallExpr" ? right.callee : undefined;
  if (!rightName || rightName.loc.start !== right.loc.start) return undefined;
  const name: Identifier = { kind: "Identifier", name: `${left.name}-${rightName.name}`, loc: { ...left.loc, end: rightName.loc.end, endLine: rightName.loc.endLine, endColumn: rightName.loc.endColumn } };
  return right.kind === "CallExpr" ? { ...right, callee: name, loc: { ...right.loc, start: left.loc.start, line: left.loc.line, column: left.loc.column } } : name;
}

/** The `data:` value to check, with a hyphenated name read as one name. */
export function dataExpression(expr: Expr | undefined): Expr | undefined {
  return (expr?.kind === "BinaryExpr" && hyphenatedName(expr)) || expr;
}

export interface CheckedData {
  /** What the IR records: the name or path as written, or the call with its settings. */
  value: Value;
  /** Undefined when the data could not be inspected here (reported). */
  description?: DataDescription;
}

/**
 * Data that is not there when the spec is checked (a spec compiled on one machine and trained
 * on another) is not an error: its shape is compared when it is loaded.
 */
function reportDataError(ctx: ModelContext, error: DataError, at: Place): void {
  if (error.file !== undefined && pathKind(error.file) === "missing") return;
  const message = `${error.where ? `${error.where}: ` : ""}${error.message}`;
  ctx.report(/^unknown data set/.test(error.message) ? "SIM4020" : "SIM4029", at, message, error.hint ? { hint: error.hint } : {});
}

/** Resolves and inspects the value; undefined when that reported an error. */
function inspected(ctx: ModelContext, value: DataValue, record: Value, at: Place): CheckedData | undefined {
  const before = ctx.reporter.diagnostics.length;
  let description: DataDescription | undefined;
  try {
    const { form, args } = resolveData(value, dirname(ctx.scope.module.id));
    description = form.describe(args);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    reportDataError(ctx, error, at);
  }
  const failed = ctx.reporter.diagnostics.slice(before).some((d) => d.severity === "error");
  return failed ? undefined : { value: record, ...(description ? { description } : {}) };
}

/** Checks the `data:` value; undefined when it is an error (reported). */
export function checkData(ctx: ModelContext, expr: Expr): CheckedData | undefined {
  const raw: EvalValue | undefined = ctx.evaluate(dataExpression(expr));
  if (!raw) return undefined;
  if (raw.kind === "string") return inspected(ctx, raw.value, raw.value, raw.at);
  // A bare name that is not in the catalogue: a file or directory next to the spec, or a typo.
  if (raw.kind === "symbol" && !DATA_SETS.has(raw.name.replace(/-/g, "_"))) return inspected(ctx, raw.name, raw.name, raw.at);
  if (raw.kind !== "symbol" && raw.kind !== "call") {
    ctx.report("SIM2004", raw.at, `data expects a data set name, a call such as csv(path: "x.csv", label: "y"), or a path in quotes; got ${describeValue(raw)}`);
    return undefined;
  }
  const name = raw.name.replace(/-/g, "_");
  const configured = raw.kind === "symbol" ? { name, callee: raw.at, args: [], at: raw.at } : { name, callee: raw.callee, args: raw.args, at: raw.at };
  if (!DATA_SETS.has(name)) {
    const suggestions = suggestDataForms(raw.name);
    ctx.report("SIM4020", configured.callee, `unknown data set '${raw.name}'${suggestions.length ? `; did you mean ${suggestions.join(" or ")}?` : ""}`, {
      hint: `valid data sets: ${validDataForms()}`,
    });
    return undefined;
  }
  const bound = bindConfigured(configured, DATA_SETS, "data set", "SIM4020", ctx);
  if (!bound) return undefined;
  const value: CallValue = { call: bound.def.name, args: toValueRecord(bound.settings) };
  return inspected(ctx, value, value, configured.callee);
}
