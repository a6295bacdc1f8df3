/**
 * Conv monotone cells in the Fourier domain. A and B pad circularly (as monDEQ), so W commutes
 * with circular shifts and acts on spectra (fourier.ts) by one complex C×C matrix per frequency,
 *   T_W[k] = (1−m)I − T_A[k] T_A[k]ᴴ + T_B[k] − T_B[k]ᴴ,
 * kept in block form [K, 2C, 2C]: the transfer of W's single 5×5 kernel (for 3×3 A and B).
 * Applying W is then a forward transform, one product per frequency and an inverse transform —
 * a fraction of the four 3×3 convolutions it replaces — and differentiable in A and B.
 *
 * The Peaceman–Rachford resolvent (I + α(I − W))⁻¹ is exact: per frequency the inverse of
 *   M[k] = (1 + α)I − α T_W[k] = (1 + αm)I + α T_A T_Aᴴ − α (T_B − T_Bᴴ),
 * whose Hermitian part is ⪰ (1 + αm)I (always invertible, well conditioned), computed in float64
 * on the host: H·(⌊W/2⌋+1) inverses of C×C. The transposed resolvent uses M[k]⁻ᴴ.
 */
import * as tf from "../../tf.js";
import { SolverError } from "../errors.js";
import { applyInFrequency, blockMatrix, convTransfer, type SpectralGrid } from "../fourier.js";
import { invertComplex } from "../linalg.js";
import type { LinearOperator, Resolvent } from "../types.js";

const transposeLast = (t: tf.Tensor) => t.transpose([0, 2, 1]);

/** S[d, (s, t)] = 1 where s − t = d: sums the products of tap pairs into the offsets they span. */
function offsetSelection(k: number): tf.Tensor2D {
  const span = 2 * k - 1;
  const taps = k * k;
  const data = new Float32Array(span * span * taps * taps);
  for (let s = 0; s < taps; s++) {
    for (let t = 0; t < taps; t++) {
      const di = Math.floor(s / k) - Math.floor(t / k) + k - 1;
      const dj = (s % k) - (t % k) + k - 1;
      data[(di * span + dj) * taps * taps + s * taps + t] = 1;
    }
  }
  return tf.tensor2d(data, [span * span, taps * taps]);
}

/**
 * The one (2k−1)×(2k−1) kernel [2k−1, 2k−1, C, C] of W = (1−m)I − AᵀA + B − Bᵀ for k×k kernels
 * A, B (taped). Applying A then its adjoint is one convolution whose tap at offset d is
 * Σ_s A[s] A[s − d]ᵀ (A[s] the C×C matrix of tap s): every product of two taps, summed by offset.
 */
export function monotoneKernel(a: tf.Tensor, b: tf.Tensor, m: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [k = 0, , c = 0] = a.shape;
    const span = 2 * k - 1;
    const taps = k * k;
    const rows = a.reshape([taps * c, c]);
    const pairs = tf
      .matMul(rows, rows, false, true)
      .reshape([taps, c, taps, c])
      .transpose([0, 2, 1, 3])
      .reshape([taps * taps, c * c]);
    const gram = tf.matMul(offsetSelection(k), pairs).reshape([span, span, c, c]);
    const q = (k - 1) / 2;
    const pad = (x: tf.Tensor) => tf.pad(x, [[q, q], [q, q], [0, 0], [0, 0]]);
    const adjointB = tf.reverse(b, [0, 1]).transpose([0, 1, 3, 2]);
    const centre = tf.buffer([span, span, 1, 1]);
    centre.set(1 - m, k - 1, k - 1, 0, 0);
    const identity = centre.toTensor().mul(tf.eye(c).reshape([1, 1, c, c]));
    return identity.sub(gram).add(pad(b.sub(adjointB))) as tf.Tensor4D;
  });
}

/** T_W in block form [K, 2C, 2C] from the kernels [k, k, C, C] as they act (taped). */
export function monotoneTransfer(a: tf.Tensor, b: tf.Tensor, m: number, g: SpectralGrid): tf.Tensor3D {
  return tf.tidy(() => {
    const t = convTransfer(monotoneKernel(a, b, m), g);
    return blockMatrix(t.re, t.im);
  });
}

/** z ↦ W z and its adjoint on NHWC states, from T_W in block form. */
export function spectralOperator(transfer: tf.Tensor3D, g: SpectralGrid): LinearOperator {
  const adjoint = transposeLast(transfer);
  return {
    apply: (z) => applyInFrequency(z, transfer, g),
    applyT: (z) => applyInFrequency(z, adjoint, g),
  };
}

/** (I + α(I − W))⁻¹ and its transpose, from T_W's values (not taped). */
export function spectralResolvent(label: string, transfer: tf.Tensor3D, alpha: number, g: SpectralGrid): Resolvent {
  const [count, twoC] = transfer.shape;
  const c = twoC / 2;
  const t = transfer.dataSync();
  const n = c * c;
  const inverseRe = new Float32Array(count * n);
  const inverseIm = new Float32Array(count * n);
  const mr = new Float64Array(n);
  const mi = new Float64Array(n);
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < count; k++) {
    const base = k * twoC * twoC;
    for (let i = 0; i < c; i++) {
      for (let j = 0; j < c; j++) {
        // T_W's real part is the top-left block, its imaginary part the top-right one.
        mr[i * c + j] = (i === j ? 1 + alpha : 0) - alpha * t[base + i * twoC + j];
        mi[i * c + j] = -alpha * t[base + i * twoC + c + j];
      }
    }
    if (!invertComplex(mr, mi, c, outRe, outIm)) {
      throw new SolverError({
        label,
        solver: "peaceman_rachford",
        step: 0,
        residual: NaN,
        reason: "the system I + α(I − W) is singular at some frequency (the cell's parameters contain NaN/Inf)",
      });
    }
    inverseRe.set(outRe, k * n);
    inverseIm.set(outIm, k * n);
  }
  const [forward, adjoint] = tf.tidy(() => {
    const block = blockMatrix(tf.tensor3d(inverseRe, [count, c, c]), tf.tensor3d(inverseIm, [count, c, c]));
    // Kept: the resolvent outlives the scope that builds it (monotone.ts caches it).
    return [tf.keep(block), tf.keep(transposeLast(block))];
  });
  return {
    solve: (r) => applyInFrequency(r, forward, g),
    solveT: (r) => applyInFrequency(r, adjoint, g),
    dispose: () => {
      forward.dispose();
      adjoint.dispose();
    },
  };
}
