/**
 * Unrolled reference: `steps` plain iterations z ← f(z) from z = 0, differentiated through every
 * step. The forward solver is not used in training with this mode; the output is the last
 * iterate. Memory grows with `steps`: meant to check other modes, not to train large models.
 */
import * as tf from "../../tf.js";
import { vjp } from "../tape.js";
import type { BackwardJob, BackwardMode } from "./types.js";

export function unrolledIterate(job: Pick<BackwardJob, "cell" | "inputs" | "zStar">, steps: number): tf.Tensor {
  const { f } = job.cell.bind(job.inputs);
  let z = tf.zerosLike(job.zStar);
  for (let k = 0; k < steps; k++) z = f(z);
  return z;
}

export function unrolled(steps: number): BackwardMode {
  return {
    value: (job) => tf.tidy(() => unrolledIterate(job, steps)),
    grads: (job, dy) => vjp(() => unrolledIterate(job, steps), [...job.inputs, ...job.variables], dy),
  };
}
