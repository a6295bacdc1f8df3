/**
 * Monotone cells (monDEQ): f(z, x) = relu(W z + U x + b) with W = (1−m)I − AᵀA + B − Bᵀ, so
 * I − W = mI + AᵀA + (Bᵀ − B) ⪰ mI whatever A and B are. Dense: A, B are n×n matrices. Conv: A, B
 * are k×k kernels, Frobenius-normalised and scaled by the learned `A.scale`, `B.scale`; their
 * transposes are the adjoint convolutions.
 *
 * The Peaceman–Rachford resolvent (I + α(I − W))⁻¹: dense cells invert the n×n matrix once per
 * solve (float64 on the host); conv cells solve each application by conjugate gradients on the
 * normal equations (no FFT, so zero "same" padding is kept exactly).
 */
import * as tf from "@tensorflow/tfjs";
import { cgnr } from "../cg.js";
import { DeqConfigError, SolverError } from "../errors.js";
import { invert } from "../linalg.js";
import { activationByName } from "../activations.js";
import type { LinearOperator, Resolvent, StructuredMap } from "../types.js";
import { convSame, convSameT } from "./conv-ops.js";
import { affineInjection } from "./injection.js";
import { numberArg, stringArg, type CellArgs, type CellParams } from "./params.js";
import { boundFromStructure } from "./structured.js";
import type { CellDefinition } from "./types.js";

/** W as a math matrix (acting on column vectors), for dense cells: (1−m)I − AᵀA + B − Bᵀ. */
export function monotoneMatrix(a: tf.Tensor, b: tf.Tensor, m: number): tf.Tensor2D {
  return tf.tidy(() => {
    const n = a.shape[0];
    const ata = tf.matMul(a as tf.Tensor2D, a as tf.Tensor2D, true, false);
    return tf.eye(n).mul(1 - m).sub(ata).add(b).sub(b.transpose()) as tf.Tensor2D;
  });
}

/** Dense W (a math matrix) on row-batched states: z ↦ z Wᵀ and its adjoint z ↦ z W. */
function denseMatrixOperator(w: tf.Tensor2D): LinearOperator {
  return {
    apply: (z) => tf.matMul(z as tf.Tensor2D, w, false, true),
    applyT: (z) => tf.matMul(z as tf.Tensor2D, w),
  };
}

function convMonotoneOperator(a: tf.Tensor, b: tf.Tensor, m: number): LinearOperator {
  const common = (z: tf.Tensor) => z.mul(1 - m).sub(convSameT(convSame(z, a), a));
  return {
    apply: (z) => tf.tidy(() => common(z).add(convSame(z, b)).sub(convSameT(z, b))),
    applyT: (z) => tf.tidy(() => common(z).add(convSameT(z, b)).sub(convSame(z, b))),
  };
}

function denseResolvent(label: string, w: tf.Tensor2D, alpha: number): Resolvent {
  const n = w.shape[0];
  const wData = w.dataSync();
  const mat = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) mat[i * n + j] = (i === j ? 1 + alpha : 0) - alpha * wData[i * n + j];
  }
  const inv = invert(mat, n);
  if (!inv) {
    throw new SolverError({
      label,
      solver: "peaceman_rachford",
      step: 0,
      residual: NaN,
      reason: "the system I + α(I − W) is singular (the cell's parameters contain NaN/Inf or are degenerate)",
    });
  }
  const r = tf.tensor2d(Float32Array.from(inv), [n, n]);
  return {
    // Rows: (R x)ᵀ = xᵀ Rᵀ; (Rᵀ x)ᵀ = xᵀ R.
    solve: (x) => tf.matMul(x as tf.Tensor2D, r, false, true),
    solveT: (x) => tf.matMul(x as tf.Tensor2D, r),
    dispose: () => r.dispose(),
  };
}

function iterativeResolvent(op: LinearOperator, alpha: number): Resolvent {
  const m = (x: tf.Tensor) => tf.tidy(() => x.mul(1 + alpha).sub(op.apply(x).mul(alpha)));
  const mT = (x: tf.Tensor) => tf.tidy(() => x.mul(1 + alpha).sub(op.applyT(x).mul(alpha)));
  return {
    solve: (x, warm) => cgnr(m, mT, x, warm),
    solveT: (x, warm) => cgnr(mT, m, x, warm),
    dispose: () => {},
  };
}

export function monotoneCell(label: string, args: CellArgs, p: CellParams, kind: "dense" | "conv"): CellDefinition {
  const m = numberArg(label, "monotone", args, "m", 1.0);
  if (!(m > 0)) throw new DeqConfigError(label, `cell monotone setting "m" must be > 0, got ${m}`);
  stringArg(label, "monotone", args, "activation", ["relu"], "relu");
  const activation = activationByName("relu")!;

  /** A and B as they act: raw matrices (dense) or scaled, Frobenius-normalised kernels (conv). */
  const factors = (): [tf.Tensor, tf.Tensor] =>
    tf.tidy(() => {
      const a = p.get("A");
      const b = p.get("B");
      if (kind === "dense") return [a.clone(), b.clone()];
      return [
        a.mul(p.get("A.scale")).div(a.norm().add(1e-12)),
        b.mul(p.get("B.scale")).div(b.norm().add(1e-12)),
      ];
    });

  const structureFor = (inputs: tf.Tensor[]): StructuredMap => {
    const [a, b] = factors();
    // Dense: W is formed once per binding, so each application is one matmul instead of four.
    const w = kind === "dense" ? monotoneMatrix(a, b, m) : undefined;
    const linear = w ? denseMatrixOperator(w) : convMonotoneOperator(a, b, m);
    return {
      linear,
      injection: affineInjection(kind, inputs[0], p),
      activation,
      resolvent: (alpha) => (w ? denseResolvent(label, w, alpha) : iterativeResolvent(linear, alpha)),
    };
  };

  return {
    family: "monotone",
    prepare: () => {},
    bind: (inputs) => boundFromStructure(structureFor(inputs)),
  };
}
