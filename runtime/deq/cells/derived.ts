/**
 * The cell derived from a SIM's parts, f(z, x) = ϕ(K·(ψ(x) + A z)), or any cell given as a body:
 * the executor evaluates f; its Jacobian products come from autodiff.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { vjp } from "../tape.js";
import type { CellDefinition } from "./types.js";

export type CellBody = (z: tf.Tensor, inputs: tf.Tensor[]) => tf.Tensor;

export function derivedCell(body: CellBody): CellDefinition {
  return {
    family: "derived",
    prepare: () => {},
    bind: (inputs) => ({
      f: (z) => body(z, inputs),
      vjpAt: (z) => (u) => vjp(() => body(z, inputs), [z], u)[0],
    }),
  };
}
