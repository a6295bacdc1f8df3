/**
 * Phantom gradient: k damped steps from z* (held constant), z ← (1−λ) z + λ f(z); the output
 * is the last step and the gradient is taken through exactly those k steps.
 */
import * as tf from "../../tf.js";
import { vjp } from "../tape.js";
import type { BackwardJob, BackwardMode } from "./types.js";

function dampedSteps(job: BackwardJob, steps: number, damping: number): tf.Tensor {
  const { f } = job.cell.bind(job.inputs);
  let z = job.zStar;
  for (let k = 0; k < steps; k++) z = z.mul(1 - damping).add(f(z).mul(damping));
  return z === job.zStar ? z.clone() : z;
}

export function phantom(steps: number, damping: number): BackwardMode {
  return {
    value: (job) => tf.tidy(() => dampedSteps(job, steps, damping)),
    grads: (job, dy) => vjp(() => dampedSteps(job, steps, damping), [...job.inputs, ...job.variables], dy),
  };
}
