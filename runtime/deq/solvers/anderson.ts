/**
 * Anderson acceleration (type II), batched: each sample keeps its own mixing weights.
 *
 * With the last n ≤ `memory` iterates x_i and images f_i, residuals g_i = f_i − x_i, the weights
 * α minimise ‖Σ α_i g_i‖ subject to Σ α_i = 1:  (G Gᵀ + λ s I) y = 1,  α = y / Σ y, where s is
 * the mean of diag(G Gᵀ), so `lam` regularises relative to the current residual scale (an
 * absolute λ would swamp the system near convergence and turn the method into plain averaging).
 * The next iterate is β Σ α_i f_i + (1−β) Σ α_i x_i.
 *
 * The small systems are solved in float64 on the host by Cholesky. A rank-deficient history
 * (repeated or parallel residuals) is handled by the regulariser; if Cholesky still fails,
 * the regulariser grows ×100 up to three times; after that, or on NaN/Inf or divergence, the
 * solver falls back to damped Picard (recorded in `stats.fellBack`).
 */
import * as tf from "../../tf.js";
import { choleskySolve } from "../linalg.js";
import { ResidualMonitor } from "../monitor.js";
import { flattenBatch } from "../norms.js";
import type { AndersonSettings, FixedPointMap, SolveContext, SolverResult } from "../types.js";
import { fallBackToPicard } from "./fallback.js";

/**
 * Mixing weights for each sample from its Gram matrix (n×n, row-major per sample);
 * undefined for a sample whose system stays singular.
 */
export function andersonWeights(gram: Float64Array[], n: number, lam: number): (Float64Array | undefined)[] {
  return gram.map((h) => {
    let trace = 0;
    for (let i = 0; i < n; i++) trace += h[i * n + i];
    const scale = Math.max(trace / n, 1e-30);
    const ones = new Float64Array(n).fill(1);
    let reg = Math.max(lam, 1e-12) * scale;
    for (let attempt = 0; attempt < 4; attempt++, reg *= 100) {
      const m = new Float64Array(h);
      for (let i = 0; i < n; i++) m[i * n + i] += reg;
      const y = choleskySolve(m, ones, n);
      if (!y) continue;
      const sum = y.reduce((a, b) => a + b, 0);
      if (!Number.isFinite(sum) || Math.abs(sum) < 1e-300) continue;
      return y.map((v) => v / sum);
    }
    return undefined;
  });
}

export function anderson(f: FixedPointMap, z0: tf.Tensor, settings: AndersonSettings, ctx: SolveContext): SolverResult {
  const mon = new ResidualMonitor(settings, ctx);
  const shape = z0.shape;
  const batch = shape[0];
  const xs: tf.Tensor2D[] = [];
  const fs: tf.Tensor2D[] = [];
  const gs: tf.Tensor2D[] = [];
  /** Per sample, the Gram matrix of the residual history, `memory`×`memory` with the live n×n block first. */
  let gram: number[][][] = Array.from({ length: batch }, () => []);
  const clearHistory = () => {
    for (const t of [...xs, ...fs, ...gs]) t.dispose();
    xs.length = fs.length = gs.length = 0;
  };

  let z = z0.clone();
  try {
    for (;;) {
      const fz = tf.tidy(() => f(z));
      const verdict = mon.observe(z, fz);
      if (verdict === "converged" || (verdict === "continue" && mon.remaining <= 0)) {
        fz.dispose();
        return mon.finish();
      }
      if (verdict !== "continue") {
        fz.dispose();
        return fallBackToPicard(f, mon, "anderson", mon.describe(verdict), ctx.structure);
      }
      // Push the new pair, dropping the oldest when the memory is full.
      const x = tf.tidy(() => flattenBatch(z));
      const fx = tf.tidy(() => flattenBatch(fz));
      fz.dispose();
      const g = tf.sub(fx, x) as tf.Tensor2D;
      if (xs.length === settings.memory) {
        xs.shift()!.dispose();
        fs.shift()!.dispose();
        gs.shift()!.dispose();
        gram = gram.map((rows) => rows.slice(1).map((row) => row.slice(1)));
      }
      xs.push(x);
      fs.push(fx);
      gs.push(g);
      const n = gs.length;
      const dots = tf.tidy(() => tf.matMul(tf.stack(gs, 1), g.expandDims(2)).reshape([batch, n]));
      const dotData = dots.dataSync();
      dots.dispose();
      gram = gram.map((rows, b) => {
        const next = rows.map((row, i) => [...row, dotData[b * n + i]]);
        next.push(Array.from(dotData.subarray(b * n, b * n + n)));
        return next;
      });
      const weights = andersonWeights(
        gram.map((rows) => Float64Array.from(rows.flat())),
        n,
        settings.lam,
      );
      const singular = weights.findIndex((w) => w === undefined);
      if (singular >= 0) {
        return fallBackToPicard(
          f,
          mon,
          "anderson",
          `singular least-squares system for sample ${singular} even with regularisation`,
          ctx.structure,
        );
      }
      const next = tf.tidy(() => {
        const a = tf.tensor3d(
          weights.flatMap((w) => Array.from(w!)),
          [batch, 1, n],
        );
        const mixF = tf.matMul(a, tf.stack(fs, 1)).reshape(shape);
        if (settings.beta === 1) return mixF;
        const mixX = tf.matMul(a, tf.stack(xs, 1)).reshape(shape);
        return mixF.mul(settings.beta).add(mixX.mul(1 - settings.beta));
      });
      z.dispose();
      z = next;
    }
  } finally {
    z.dispose();
    clearHistory();
  }
}
