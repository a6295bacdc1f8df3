/** What every DEQ cell gives the solvers, the backward modes and `runImplicit`. */
import type * as tf from "@tensorflow/tfjs-core";
import type { ImplicitAttrs } from "../../../ir/types.js";
import type { FixedPointMap, StructuredMap } from "../types.js";

/** A cell with its injection computed for one batch of inputs. */
export interface BoundCell {
  /** z ↦ f(z, x) on `[B, ...stateShape]`; differentiable with respect to z, the inputs and the parameters. */
  f: FixedPointMap;
  /** f(z) = σ(L z + c) for explicit cells (what structured solvers and analytic Jacobian products use). */
  structure?: StructuredMap;
  /** u ↦ (∂f/∂z)ᵀ u at the (constant) state z: analytic for explicit cells, autodiff for derived ones. */
  vjpAt(z: tf.Tensor): (u: tf.Tensor) => tf.Tensor;
}

export interface CellDefinition {
  family: ImplicitAttrs["cell"];
  /** Runs once per forward call, untaped: spectral norm's power iteration, pcDEQ's W ≥ 0 check. */
  prepare(training: boolean): void;
  /** Computes the injection from the node's inputs (`inputs[0]` for explicit cells). */
  bind(inputs: tf.Tensor[]): BoundCell;
  /**
   * Training-time penalty at z* (taped, z* a constant), when the cell's settings ask for one:
   * the Jacobian penalty (`jac_reg`) or the ℓ∞ Lipschitz bound (`lipschitz_reg`). `readout` is
   * the head's first weight `[n, out]`, for the Lipschitz bound's ‖C‖∞ factor.
   */
  regularizer?(inputs: tf.Tensor[], zStar: tf.Tensor, readout?: tf.Tensor): tf.Scalar | undefined;
}
