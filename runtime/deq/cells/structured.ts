/** A bound cell of the form f(z) = σ(L z + c), with its analytic Jacobian products. */
import * as tf from "../../tf.js";
import type { StructuredMap } from "../types.js";
import type { BoundCell } from "./types.js";

export function boundFromStructure(structure: StructuredMap): BoundCell {
  const { linear, injection, activation } = structure;
  return {
    structure,
    f: (z) => tf.tidy(() => activation.apply(linear.apply(z).add(injection))),
    vjpAt: (z) => {
      // (∂f/∂z)ᵀ u = Lᵀ(σ′(L z + c) ⊙ u); σ′ is computed once per linearisation point.
      const slope = tf.tidy(() => activation.derivative(linear.apply(z).add(injection)));
      return (u) => tf.tidy(() => linear.applyT(u.mul(slope)));
    },
  };
}

/** J ε = σ′(L z + c) ⊙ L ε (forward-mode product, taped so penalties built on it are differentiable). */
export function jvpAt(structure: StructuredMap, z: tf.Tensor, eps: tf.Tensor): tf.Tensor {
  const { linear, injection, activation } = structure;
  return activation.derivative(linear.apply(z).add(injection)).mul(linear.apply(eps));
}
