/** The built-in layers, by name. */
import { activations } from "./activations.js";
import { batchnorm } from "./batchnorm.js";
import { conv1d } from "./conv1d.js";
import { conv2d } from "./conv2d.js";
import { dense } from "./dense.js";
import { dropout } from "./dropout.js";
import { flatten } from "./flatten.js";
import { identity } from "./identity.js";
import { avgpool, maxpool } from "./pool.js";
import { rff } from "./rff.js";
import type { LayerDef } from "./types.js";

export type { LayerDef, LayerArgs, InferResult, ShapeProblem } from "./types.js";
export { formatShape } from "./types.js";

const ALL: readonly LayerDef[] = [
  dense,
  conv2d,
  conv1d,
  batchnorm,
  ...activations,
  maxpool,
  avgpool,
  flatten,
  dropout,
  rff,
  identity,
];

export const LAYERS: ReadonlyMap<string, LayerDef> = new Map(ALL.map((layer) => [layer.name, layer]));

export function layerNames(): string[] {
  return [...LAYERS.keys()];
}
