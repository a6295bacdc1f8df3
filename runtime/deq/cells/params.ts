/**
 * Looks up a cell's parameters by their local names (vocabulary/cells.ts) and checks them against
 * the layout the compiler declared, so a missing or misshapen parameter is reported up front by
 * name instead of as a shape error deep inside a solver.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Shape } from "../../../core/values.js";
import type { CellFamily } from "../../../vocabulary/cell-families.js";
import { cellLayout, type CellLayoutArgs } from "../../../vocabulary/cells.js";
import { CELLS, PCDEQ_PAIRS, stateKind } from "../../../vocabulary/cell-families.js";
import { resolveSettings } from "../../../vocabulary/settings.js";
import { listOr } from "../../../core/suggest.js";
import type { AttrValue } from "../../../ir/types.js";
import { DeqConfigError } from "../errors.js";

export type CellArgs = Record<string, AttrValue>;

/**
 * The cell's settings validated and completed by the vocabulary (`vocabulary/cell-families.ts`),
 * the table the checker binds `cell: …` against: unknown settings, wrong types and out-of-range
 * values are refused here exactly as in a spec.
 */
export function checkCellSettings(label: string, family: CellFamily, args: CellArgs): CellArgs {
  const { values, problems } = resolveSettings(CELLS.get(family)!, args, `cell ${family}`);
  if (problems.length > 0) throw new DeqConfigError(label, problems[0].message, { hint: problems[0].hint });
  const pairs = PCDEQ_PAIRS[values.injection as string];
  if (family === "pcdeq" && !pairs?.includes(values.activation as string)) {
    throw new DeqConfigError(
      label,
      `cell pcdeq pairs injection softplus with ${listOr([...PCDEQ_PAIRS.softplus])} (pcDEQ-1) and relu with sigmoid (pcDEQ-2); got injection ${String(values.injection)} with activation ${String(values.activation)}`,
    );
  }
  return values as CellArgs;
}

export function numberArg(label: string, family: string, args: CellArgs, key: string, fallback: number): number {
  const v = args[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new DeqConfigError(label, `cell ${family} setting "${key}" must be a number, got ${JSON.stringify(v)}`);
  }
  return v;
}

export function stringArg(label: string, family: string, args: CellArgs, key: string, allowed: string[], fallback: string): string {
  const v = args[key] ?? fallback;
  if (typeof v !== "string" || !allowed.includes(v)) {
    throw new DeqConfigError(
      label,
      `cell ${family} setting "${key}" must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

/** The layout-deciding settings, as vocabulary/cells.ts reads them. */
export function layoutArgs(label: string, family: CellFamily, args: CellArgs): CellLayoutArgs {
  const out: CellLayoutArgs = { kind: stateKind(family, args.kind) };
  for (const key of ["units", "channels", "kernel"] as const) {
    if (args[key] === undefined || args[key] === null) continue;
    const v = numberArg(label, family, args, key, 0);
    if (!Number.isInteger(v) || v < 1) throw new DeqConfigError(label, `cell ${family} setting "${key}" must be an integer ≥ 1, got ${v}`);
    // Same padding is symmetric only for odd kernels, which the adjoint convolutions rely on.
    if (key === "kernel" && v % 2 === 0) throw new DeqConfigError(label, `cell ${family} setting "kernel" must be odd, got ${v}`);
    out[key] = v;
  }
  if (typeof args.norm === "string") out.norm = args.norm;
  return out;
}

export interface CellParams {
  get(name: string): tf.Variable;
  has(name: string): boolean;
  stateShape: Shape;
}

const show = (s: readonly number[]) => `[${s.join(", ")}]`;

/**
 * Checks `params` against the layout for this family, settings and injection shape, and returns
 * a typed accessor. Extra parameters are an error too: they would be silently unused.
 */
export function cellParams(
  label: string,
  family: CellFamily,
  args: CellLayoutArgs,
  injectionShape: Shape,
  params: Record<string, tf.Variable>,
): CellParams {
  const layout = cellLayout(family, args, injectionShape);
  for (const spec of layout.params) {
    const v = params[spec.name];
    if (v === undefined) {
      throw new DeqConfigError(
        label,
        `cell ${family} needs parameter "${spec.name}" of shape ${show(spec.shape)}; got parameters: ${Object.keys(params).join(", ") || "none"}`,
      );
    }
    if (v.shape.length !== spec.shape.length || v.shape.some((d, i) => d !== spec.shape[i])) {
      throw new DeqConfigError(
        label,
        `cell ${family} parameter "${spec.name}" has shape ${show(v.shape)} but an injection of shape ${show(injectionShape)} needs ${show(spec.shape)}`,
      );
    }
  }
  const known = new Set(layout.params.map((p) => p.name));
  const extra = Object.keys(params).filter((k) => !known.has(k));
  if (extra.length) {
    throw new DeqConfigError(
      label,
      `cell ${family} does not use parameter(s) ${extra.join(", ")} (expected: ${[...known].join(", ")})`,
    );
  }
  return {
    get: (name) => params[name],
    has: (name) => known.has(name),
    stateShape: layout.stateShape,
  };
}
