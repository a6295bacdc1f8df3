/**
 * Reads an implicit node's `cellArgs` as the settings that decide its cell's parameter layout
 * (`vocabulary/cells.ts`). Shared by lowering (which declares the params) and the verifier (which
 * checks them), so both agree on one reading.
 */
import { stateKind, type CellFamily } from "../vocabulary/cell-families.js";
import type { CellLayoutArgs } from "../vocabulary/cells.js";
import type { AttrValue } from "./types.js";

export type ExplicitCellFamily = CellFamily;

const numberOrUndefined = (value: AttrValue | undefined) => (typeof value === "number" ? value : undefined);

export function cellLayoutArgs(family: ExplicitCellFamily, args: Record<string, AttrValue>): CellLayoutArgs {
  return {
    kind: stateKind(family, args.kind),
    units: numberOrUndefined(args.units),
    channels: numberOrUndefined(args.channels),
    kernel: numberOrUndefined(args.kernel),
    norm: typeof args.norm === "string" ? args.norm : undefined,
  };
}
