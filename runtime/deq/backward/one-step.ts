/**
 * One-step (Jacobian-free) gradient: the output is f(z*) and its gradient is taken through that
 * single application with z* held constant, i.e. the implicit gradient with (I − J)⁻¹ ≈ I.
 */
import * as tf from "../../tf.js";
import { vjp } from "../tape.js";
import type { BackwardMode } from "./types.js";

export const oneStep: BackwardMode = {
  value: (job) => tf.tidy(() => job.cell.bind(job.inputs).f(job.zStar)),
  grads: (job, dy) => vjp(() => job.cell.bind(job.inputs).f(job.zStar), [...job.inputs, ...job.variables], dy),
};
