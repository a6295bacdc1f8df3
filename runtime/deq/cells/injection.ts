/** The cell injection U x + b: dense on the flattened input, or a same-padded conv on an image. */
import * as tf from "../../tf.js";
import { flattenBatch } from "../norms.js";
import { convSame } from "./conv-ops.js";
import type { CellParams } from "./params.js";

export function affineInjection(kind: "dense" | "conv", x: tf.Tensor, p: CellParams): tf.Tensor {
  return tf.tidy(() => {
    const weight = p.get("U.weight");
    const bias = p.get("U.bias");
    if (kind === "conv") return convSame(x, weight).add(bias);
    return tf.matMul(flattenBatch(x), weight).add(bias);
  });
}
