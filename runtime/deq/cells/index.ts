/**
 * Builds a cell from an implicit node's attributes and parameters (by the local names of
 * vocabulary/cells.ts), and applies the parameter constraints the trainer must keep.
 */
import * as tf from "../../tf.js";
import type { Shape } from "../../../core/values.js";
import type { CellFamily } from "../../../vocabulary/cell-families.js";
import type { ImplicitAttrs } from "../../../ir/types.js";
import { DeqConfigError } from "../errors.js";
import { derivedCell, type CellBody } from "./derived.js";
import { genericCell } from "./generic.js";
import { linfCell } from "./linf.js";
import { monotoneCell, type ResolventCache } from "./monotone.js";
import { cellParams, checkCellSettings, layoutArgs } from "./params.js";
import { pcdeqCell } from "./pcdeq.js";
import type { CellDefinition } from "./types.js";

export type { BoundCell, CellDefinition } from "./types.js";
export type { CellBody } from "./derived.js";

const FAMILIES: CellFamily[] = ["dense", "conv", "monotone", "pcdeq", "linf"];

export interface BuiltCell {
  cell: CellDefinition;
  /** State shape (no batch dimension) implied by the parameters and the injection. */
  stateShape: Shape;
}

/**
 * The cell of an implicit node. `injectionShape` is `inputs[0]`'s shape without the batch
 * dimension; explicit cells check their parameters against the layout it implies.
 */
export function buildCell(
  label: string,
  attrs: Pick<ImplicitAttrs, "cell" | "cellArgs" | "stateShape">,
  params: Record<string, tf.Variable>,
  injectionShape: Shape,
  body?: CellBody,
  resolvents?: ResolventCache,
): BuiltCell {
  const family = attrs.cell;
  if (family === "derived") {
    if (!body) {
      throw new DeqConfigError(label, "a derived cell needs its body (the executor's evaluation of f); none was given");
    }
    return { cell: derivedCell(body), stateShape: attrs.stateShape };
  }
  if (!FAMILIES.includes(family)) {
    throw new DeqConfigError(label, `unknown cell "${String(family)}" (valid cells: derived, ${FAMILIES.join(", ")})`);
  }
  const args = checkCellSettings(label, family, attrs.cellArgs ?? {});
  const layout = layoutArgs(label, family, args);
  const p = cellParams(label, family, layout, injectionShape, params);
  const same = p.stateShape.length === attrs.stateShape.length && p.stateShape.every((d, i) => d === attrs.stateShape[i]);
  if (!same) {
    throw new DeqConfigError(
      label,
      `cell ${family} on an injection of shape [${injectionShape.join(", ")}] has state shape [${p.stateShape.join(", ")}], ` +
        `but the node declares [${attrs.stateShape.join(", ")}]`,
    );
  }
  const kind = layout.kind;
  switch (family) {
    case "dense":
    case "conv":
      return { cell: genericCell(label, family, args, p), stateShape: p.stateShape };
    case "monotone":
      return { cell: monotoneCell(label, args, p, kind, resolvents), stateShape: p.stateShape };
    case "pcdeq":
      return { cell: pcdeqCell(label, args, p, kind), stateShape: p.stateShape };
    case "linf":
      return { cell: linfCell(label, args, p), stateShape: p.stateShape };
  }
}

/**
 * Applies the constraint a cell family puts on its parameters; the trainer calls this after
 * every optimiser step. pcDEQ: W ← max(W, 0). Returns the local names it changed (empty for
 * families without constraints: their guarantees hold by construction).
 */
export function projectParams(family: ImplicitAttrs["cell"], params: Record<string, tf.Variable>): string[] {
  if (family !== "pcdeq") return [];
  const w = params.W;
  if (!w) return [];
  tf.tidy(() => w.assign(tf.relu(w)));
  return ["W"];
}
