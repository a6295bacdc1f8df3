/**
 * Looks up a cell's parameters by their local names (vocabulary/cells.ts) and checks them against
 * the layout the compiler declared, so a missing or misshapen parameter is reported up front by
 * name instead of as a shape error deep inside a solver.
 */
import type * as tf from "@tensorflow/tfjs";
import type { Shape } from "../../../core/values.js";
import type { CellFamily } from "../../../vocabulary/cells.js";
import { cellLayout, type CellLayoutArgs } from "../../../vocabulary/cells.js";
import type { AttrValue } from "../../../ir/types.js";
import { DeqConfigError } from "../errors.js";

export type CellArgs = Record<string, AttrValue>;

/** The settings of a cell family the runtime reads (and so the only ones it accepts). */
export const CELL_SETTINGS: Record<CellFamily, string[]> = {
  dense: ["kind", "units", "activation", "norm", "jac_reg"],
  conv: ["kind", "channels", "kernel", "activation", "norm", "jac_reg"],
  monotone: ["kind", "units", "channels", "kernel", "m", "activation"],
  pcdeq: ["kind", "units", "channels", "kernel", "activation", "injection", "beta"],
  linf: ["kind", "units", "m", "activation", "lipschitz_reg"],
};

export function checkCellSettings(label: string, family: CellFamily, args: CellArgs): void {
  for (const key of Object.keys(args)) {
    if (!CELL_SETTINGS[family].includes(key)) {
      throw new DeqConfigError(
        label,
        `cell ${family} has no setting "${key}" (valid settings: ${CELL_SETTINGS[family].join(", ")})`,
      );
    }
  }
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
  const kind = family === "dense" || family === "linf" ? "dense" : family === "conv" ? "conv" : args.kind ?? "dense";
  if (kind !== "dense" && kind !== "conv") {
    throw new DeqConfigError(label, `cell ${family} setting "kind" must be dense or conv, got ${JSON.stringify(kind)}`);
  }
  if (family === "linf" && args.kind !== undefined && args.kind !== "dense") {
    throw new DeqConfigError(label, `cell linf is dense only; got kind ${JSON.stringify(args.kind)}`);
  }
  const out: CellLayoutArgs = { kind };
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
