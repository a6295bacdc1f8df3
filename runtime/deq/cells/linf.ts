/**
 * ℓ∞-contractive cells (NEMON): z = Φ(A z + U x + b) with A = mI + D⁻¹TD − diag(|T|·1),
 * D = diag(exp(d)). Then D A D⁻¹ = mI + T − diag(|T|·1), whose ℓ∞ matrix measure is
 * max_i (m + t_ii − |t_ii|) ≤ m: the D-weighted measure μ∞,D(A) = μ∞(D A D⁻¹) ≤ m < 1 for any
 * T, d, which makes the model well posed for activations with slopes in [0, 1].
 */
import * as tf from "../../tf.js";
import { ACTIVATION_NAMES, activationByName } from "../activations.js";
import { DeqConfigError } from "../errors.js";
import type { LinearOperator, StructuredMap } from "../types.js";
import { affineInjection } from "./injection.js";
import { numberArg, stringArg, type CellArgs, type CellParams } from "./params.js";
import { boundFromStructure } from "./structured.js";
import type { CellDefinition } from "./types.js";

/** A = mI + D⁻¹TD − diag(|T|·1) as a math matrix (a_ij multiplies z_j in row i). */
export function linfMatrix(t: tf.Tensor, d: tf.Tensor, m: number): tf.Tensor2D {
  return tf.tidy(() => {
    const n = t.shape[0];
    // (D⁻¹TD)_ij = t_ij · exp(d_j − d_i)
    const scale = tf.exp(d.reshape([1, n]).sub(d.reshape([n, 1])));
    const diagonal = tf.scalar(m).sub(t.abs().sum(1));
    // tf.diag has no gradient; eye ⊙ (row-broadcast diagonal) is the same matrix.
    return t.mul(scale).add(tf.eye(n).mul(diagonal.reshape([1, n]))) as tf.Tensor2D;
  });
}

/** ℓ∞ matrix measure μ∞(A) = max_i (a_ii + Σ_{j≠i} |a_ij|) (differentiable). */
export function muInf(a: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const n = a.shape[0];
    const eye = tf.eye(n);
    const offDiagonal = a.abs().mul(tf.scalar(1).sub(eye)).sum(1);
    return a.mul(eye).sum(1).add(offDiagonal).max() as tf.Scalar;
  });
}

/** The D-weighted measure μ∞(D A D⁻¹), D = diag(exp(d)), the quantity the parameterisation bounds by m. */
export function weightedMuInf(a: tf.Tensor, d: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const n = a.shape[0];
    // (D A D⁻¹)_ij = a_ij · exp(d_i − d_j)
    return muInf(a.mul(tf.exp(d.reshape([n, 1]).sub(d.reshape([1, n])))));
  });
}

/**
 * Input–output Lipschitz bound (ℓ∞ norms) of x ↦ C z*(x): ‖C D⁻¹‖∞ ‖D B‖∞ / (1 − μ∞(D A D⁻¹)),
 * which is ‖C‖∞‖B‖∞/(1 − μ∞(A)) when d = 0. `inputWeight` is U.weight `[din, n]` (so B = Uᵀ);
 * `readout` is the head's weight `[n, out]` (C = readoutᵀ); without it the ‖C‖ factor is 1.
 */
export function linfLipschitzBound(a: tf.Tensor, d: tf.Tensor, inputWeight: tf.Tensor, readout?: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const mu = weightedMuInf(a, d);
    const bNorm = inputWeight.abs().sum(0).mul(tf.exp(d)).max();
    const cNorm = readout ? readout.abs().mul(tf.exp(d.neg()).expandDims(1)).sum(0).max() : tf.scalar(1);
    return cNorm.mul(bNorm).div(tf.scalar(1).sub(mu)) as tf.Scalar;
  });
}

function matrixOperator(a: tf.Tensor2D): LinearOperator {
  return {
    apply: (z) => tf.matMul(z as tf.Tensor2D, a, false, true),
    applyT: (y) => tf.matMul(y as tf.Tensor2D, a),
  };
}

export function linfCell(label: string, args: CellArgs, p: CellParams): CellDefinition {
  const m = numberArg(label, "linf", args, "m", 0.95);
  if (!(m < 1)) throw new DeqConfigError(label, `cell linf setting "m" must be < 1 (μ∞(A) ≤ m < 1), got ${m}`);
  const activation = activationByName(stringArg(label, "linf", args, "activation", ACTIVATION_NAMES, "relu"))!;
  const lipschitzReg = numberArg(label, "linf", args, "lipschitz_reg", 0);
  if (lipschitzReg < 0) throw new DeqConfigError(label, `cell linf setting "lipschitz_reg" must be ≥ 0, got ${lipschitzReg}`);
  const matrix = () => linfMatrix(p.get("T"), p.get("d"), m);

  const structureFor = (inputs: tf.Tensor[]): StructuredMap => {
    const a = matrix();
    return {
      linear: matrixOperator(a),
      injection: affineInjection("dense", inputs[0], p),
      activation,
      minDiagonal: () => {
        const min = tf.tidy(() => a.mul(tf.eye(a.shape[0])).sum(1).min());
        const value = min.dataSync()[0];
        min.dispose();
        return value;
      },
    };
  };

  return {
    family: "linf",
    prepare: () => {},
    bind: (inputs) => boundFromStructure(structureFor(inputs)),
    regularizer:
      lipschitzReg > 0
        ? (_inputs, _zStar, readout) =>
            tf.tidy(() => {
              const a = matrix();
              return linfLipschitzBound(a, p.get("d"), p.get("U.weight"), readout).mul(lipschitzReg) as tf.Scalar;
            })
        : undefined,
  };
}
