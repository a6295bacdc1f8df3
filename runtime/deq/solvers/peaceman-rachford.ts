/**
 * Peaceman–Rachford splitting for monotone cells f(z) = σ(W z + c), σ = relu:
 *   u½ = 2z − u;  z½ = (I + α(I − W))⁻¹ (u½ + α c);  u = 2 z½ − u½;  z = σ(u).
 * Converges for every α > 0. The resolvent comes from the cell, built once per solve: an
 * explicit inverse for dense cells, conjugate gradients on the normal equations for conv cells
 * (warm-started from the previous z½). The residual is the cell's own ‖f(z) − z‖.
 */
import * as tf from "@tensorflow/tfjs";
import { ResidualMonitor } from "../monitor.js";
import type { FixedPointMap, SolveContext, SolverResult, SplittingSettings } from "../types.js";
import { requireSplitting } from "./splitting.js";

export function peacemanRachford(
  f: FixedPointMap,
  z0: tf.Tensor,
  settings: SplittingSettings,
  ctx: SolveContext,
): SolverResult {
  const { injection, activation, resolvent } = requireSplitting(ctx, "peaceman_rachford", true);
  const alpha = settings.alpha;
  const mon = new ResidualMonitor(settings, ctx);
  const inverse = resolvent!(alpha);
  const shifted = tf.mul(injection, alpha);
  let u = z0.clone();
  let z = tf.tidy(() => activation.apply(u));
  let half: tf.Tensor | undefined;
  try {
    for (;;) {
      const fz = tf.tidy(() => f(z));
      const verdict = mon.observe(z, fz);
      fz.dispose();
      if (verdict === "diverged" || verdict === "nonfinite") {
        throw mon.failure(mon.describe(verdict), "the cell's parameters may contain NaN/Inf or the resolvent solve failed");
      }
      if (verdict === "converged" || mon.remaining <= 0) return mon.finish();
      const [uNext, zNext, halfNext] = tf.tidy(() => {
        const uHalf = z.mul(2).sub(u);
        const zHalf = inverse.solve(uHalf.add(shifted), half);
        const un = zHalf.mul(2).sub(uHalf);
        return [un, activation.apply(un), zHalf];
      });
      u.dispose();
      z.dispose();
      half?.dispose();
      u = uNext;
      z = zNext;
      half = halfNext;
    }
  } finally {
    u.dispose();
    z.dispose();
    half?.dispose();
    shifted.dispose();
    inverse.dispose();
  }
}
