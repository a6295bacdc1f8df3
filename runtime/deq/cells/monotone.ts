/**
 * Monotone cells (monDEQ): f(z, x) = relu(W z + U x + b) with W = (1−m)I − AᵀA + B − Bᵀ, so
 * I − W = mI + AᵀA + (Bᵀ − B) ⪰ mI whatever A and B are. Dense: A, B are n×n matrices. Conv: A, B
 * are k×k kernels, Frobenius-normalised and scaled by the learned `A.scale`, `B.scale`; their
 * transposes are the adjoint convolutions.
 *
 * Conv cells pad A and B circularly (as monDEQ), so W commutes with circular shifts.
 *
 * The Peaceman–Rachford resolvent (I + α(I − W))⁻¹: dense cells invert the n×n matrix (float64
 * on the host); conv cells invert W's per-frequency matrices (monotone-spectral.ts). Either is
 * built once per parameter values and α, and kept until the parameters change, so the forward
 * solve, the backward solve and every evaluation batch of one step share it.
 */
import * as tf from "../../tf.js";
import { DeqConfigError, SolverError } from "../errors.js";
import { invert } from "../linalg.js";
import { activationByName } from "../activations.js";
import type { LinearOperator, Resolvent, StructuredMap } from "../types.js";
import { spectralGrid } from "../fourier.js";
import { monotoneTransfer, spectralOperator, spectralResolvent } from "./monotone-spectral.js";
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
  // Kept: the cache holds it beyond the scope that built it.
  const r = tf.keep(tf.tensor2d(Float32Array.from(inv), [n, n]));
  return {
    // Rows: (R x)ᵀ = xᵀ Rᵀ; (Rᵀ x)ᵀ = xᵀ R.
    solve: (x) => tf.matMul(x as tf.Tensor2D, r, false, true),
    solveT: (x) => tf.matMul(x as tf.Tensor2D, r),
    dispose: () => r.dispose(),
  };
}

/**
 * Keeps the last resolvent built for one node, with what it was built from: the parameters'
 * data (a variable gets new data at every optimiser step), α and the state's grid. `dispose` on
 * what it hands out is a no-op; the cache frees a resolvent when it replaces it, or on `clear`.
 */
export class ResolventCache {
  private key: unknown[] = [];
  private held: Resolvent | undefined;

  get(key: unknown[], build: () => Resolvent): Resolvent {
    const same = this.held && key.length === this.key.length && key.every((k, i) => k === this.key[i]);
    if (!same) {
      this.held?.dispose();
      this.held = undefined;
      this.held = build();
      this.key = key;
    }
    const r = this.held!;
    return { solve: r.solve, solveT: r.solveT, dispose: () => {} };
  }

  clear(): void {
    this.held?.dispose();
    this.held = undefined;
    this.key = [];
  }
}

/** For callers without a session (tests, benches): one cache per node label. Executors pass their own. */
const resolventCaches = new Map<string, ResolventCache>();

/** Frees every cached resolvent (their tensors are kept across calls). */
export function clearResolventCaches(): void {
  for (const cache of resolventCaches.values()) cache.clear();
  resolventCaches.clear();
}

export function monotoneCell(label: string, args: CellArgs, p: CellParams, kind: "dense" | "conv", own?: ResolventCache): CellDefinition {
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

  let cache = own ?? resolventCaches.get(label);
  if (!cache) resolventCaches.set(label, (cache = new ResolventCache()));
  const structureFor = (inputs: tf.Tensor[]): StructuredMap => {
    const [a, b] = factors();
    const injection = affineInjection(kind, inputs[0], p);
    const names = kind === "dense" ? ["A", "B"] : ["A", "B", "A.scale", "B.scale"];
    const cached = (alpha: number, build: () => Resolvent) =>
      cache.get([...names.map((name) => p.get(name).dataId), alpha, ...injection.shape.slice(1)], build);
    if (kind === "dense") {
      // W is formed once per binding, so each application is one matmul instead of four.
      const w = monotoneMatrix(a, b, m);
      const resolvent = (alpha: number) => cached(alpha, () => denseResolvent(label, w, alpha));
      return { linear: denseMatrixOperator(w), injection, activation, resolvent };
    }
    const [, height = 0, width = 0] = injection.shape;
    const grid = spectralGrid(height, width);
    const transfer = monotoneTransfer(a, b, m, grid);
    const resolvent = (alpha: number) => cached(alpha, () => spectralResolvent(label, transfer, alpha, grid));
    return { linear: spectralOperator(transfer, grid), injection, activation, resolvent };
  };

  return {
    family: "monotone",
    prepare: () => {},
    bind: (inputs) => boundFromStructure(structureFor(inputs)),
  };
}
