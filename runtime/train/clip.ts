/**
 * Gradient clipping by global norm, applied to the computed gradients before the update:
 * g ← g · min(1, max_norm / (‖g‖ + 1e-6)), the norm taken over all gradients together.
 * (The public SIM code calls its clipping before the backward pass, so there it never acts;
 * here it does.)
 */
import * as tf from "../tf.js";

export function globalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
}

/** Scaled gradients (new tensors) given their global norm. */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], maxNorm: number, norm: tf.Scalar): tf.Tensor[] {
  const coefficient = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
  return grads.map((g) => tf.mul(g, coefficient));
}
