/**
 * Limited-memory ("good") Broyden's method on g(z) = f(z) − z, batched per sample.
 *
 * H ≈ (∂g/∂z)⁻¹ starts at −I (so the first step is a Picard step) and gets rank-one updates
 * H ← H + (Δz − HΔg)(ΔzᵀH) / (ΔzᵀHΔg), stored as the last `memory` pairs (u, v) with
 * H = −I + Σ u vᵀ; the oldest pair is dropped when the memory is full. Full steps z ← z − H g.
 * A sample whose update denominator is (numerically) zero skips that update instead of
 * producing Inf. NaN/Inf or divergence → damped Picard from the best states (`stats.fellBack`).
 */
import * as tf from "../../tf.js";
import { ResidualMonitor } from "../monitor.js";
import { flattenBatch } from "../norms.js";
import type { BroydenSettings, FixedPointMap, SolveContext, SolverResult } from "../types.js";
import { fallBackToPicard } from "./fallback.js";

/** H t = −t + Σ u_i ⟨v_i, t⟩ for flat `[B, d]` t. */
function applyH(us: tf.Tensor2D[], vs: tf.Tensor2D[], t: tf.Tensor2D): tf.Tensor2D {
  if (us.length === 0) return tf.neg(t);
  const coeff = tf.matMul(tf.stack(vs, 1), t.expandDims(2)); // [B, n, 1]
  const sum = tf.matMul(tf.stack(us, 1), coeff, true, false).squeeze([2]); // [B, d]
  return tf.sub(sum, t) as tf.Tensor2D;
}

/** tᵀ H = −tᵀ + Σ ⟨t, u_i⟩ v_iᵀ for flat `[B, d]` t. */
function applyHT(us: tf.Tensor2D[], vs: tf.Tensor2D[], t: tf.Tensor2D): tf.Tensor2D {
  return applyH(vs, us, t);
}

export function broyden(f: FixedPointMap, z0: tf.Tensor, settings: BroydenSettings, ctx: SolveContext): SolverResult {
  const mon = new ResidualMonitor(settings, ctx);
  const shape = z0.shape;
  const image = (flat: tf.Tensor2D) => tf.tidy(() => flattenBatch(f(flat.reshape(shape))));
  const us: tf.Tensor2D[] = [];
  const vs: tf.Tensor2D[] = [];
  let z = tf.tidy(() => flattenBatch(z0.clone()));
  let g: tf.Tensor2D | undefined;
  /** The step that led to the current z (−H g at the previous state). */
  let previousStep: tf.Tensor2D | undefined;
  try {
    for (;;) {
      const fz = image(z);
      const verdict = tf.tidy(() => mon.observe(z.reshape(shape), fz.reshape(shape)));
      if (verdict === "converged" || (verdict === "continue" && mon.remaining <= 0)) {
        fz.dispose();
        return mon.finish();
      }
      if (verdict !== "continue") {
        fz.dispose();
        return fallBackToPicard(f, mon, "broyden", mon.describe(verdict), ctx.structure);
      }
      const gNew = tf.sub(fz, z) as tf.Tensor2D;
      fz.dispose();
      if (g !== undefined) {
        // z was reached from the previous state by dz; g changed by dg.
        const update = tf.tidy(() => {
          const dz = previousStep!;
          const dg = tf.sub(gNew, g!) as tf.Tensor2D;
          const hdg = applyH(us, vs, dg);
          const vT = applyHT(us, vs, dz);
          const den = vT.mul(dg).sum(1, true);
          const scale = vT.norm("euclidean", 1, true).mul(dg.norm("euclidean", 1, true));
          const ok = tf.logicalAnd(den.abs().greater(scale.mul(1e-10)), tf.isFinite(den));
          const safeDen = tf.where(ok, den, tf.onesLike(den));
          const u = tf.where(ok.broadcastTo(dz.shape), tf.sub(dz, hdg).div(safeDen), tf.zerosLike(dz));
          return [u, vT] as tf.Tensor2D[];
        });
        if (us.length === settings.memory) {
          us.shift()!.dispose();
          vs.shift()!.dispose();
        }
        us.push(update[0]);
        vs.push(update[1]);
        g.dispose();
      }
      g = gNew;
      previousStep?.dispose();
      previousStep = tf.tidy(() => tf.neg(applyH(us, vs, g!)) as tf.Tensor2D);
      const next = tf.add(z, previousStep) as tf.Tensor2D;
      z.dispose();
      z = next;
    }
  } finally {
    z.dispose();
    g?.dispose();
    previousStep?.dispose();
    for (const t of [...us, ...vs]) t.dispose();
  }
}
