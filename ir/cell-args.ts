/**
 * Reads an implicit node's `cellArgs` as the settings that decide its cell's parameter layout
 * (`vocabulary/cells.ts`). Shared by lowering (which declares the params) and the verifier (which
 * checks them), so both agree on one reading.
 */
import type { CellLayoutArgs } from "../vocabulary/cells.js";
import type { AttrValue } from "./types.js";

export type ExplicitCellFamily = "dense" | "conv" | "monotone" | "pcdeq" | "linf";

const numberOrUndefined = (value: AttrValue | undefined) => (typeof value === "number" ? value : undefined);

export function cellLayoutArgs(family: ExplicitCellFamily, args: Record<string, AttrValue>): CellLayoutArgs {
  // dense/linf cells are dense by nature, conv cells are conv; monotone and pcdeq say which.
  const kind: "dense" | "conv" =
    family === "conv" ? "conv" : family === "dense" || family === "linf" ? "dense" : args.kind === "conv" ? "conv" : "dense";
  return {
    kind,
    units: numberOrUndefined(args.units),
    channels: numberOrUndefined(args.channels),
    kernel: numberOrUndefined(args.kernel),
    norm: typeof args.norm === "string" ? args.norm : undefined,
  };
}
