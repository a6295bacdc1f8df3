/**
 * Peaceman–Rachford splitting for monotone cells f(z) = σ(W z + c), σ = relu:
 *   u½ = 2z − u;  z½ = (I + α(I − W))⁻¹ (u½ + α c);  u = 2 z½ − u½;  z = σ(u).
 * Converges for every α > 0. The resolvent comes from the cell (an exact inverse: a dense
 * matrix, or per-frequency matrices for conv cells), built once per parameter values.
 *
 * The iterate watched and returned is z½, because its residual is free: the resolvent step says
 * (1 + α) z½ − α W z½ = u½ + α c, so W z½ + c = ((1 + α) z½ − u½) / α and
 *   f(z½) = σ(((1 + α) z½ − u½) / α)
 * without applying W — for a conv cell that halves the cost of an iteration. The residual is
 * still the cell's own ‖f(z½) − z½‖ (exact up to the resolvent's float32 rounding).
 */
import * as tf from "../../tf.js";
import { ResidualMonitor } from "../monitor.js";
import type { FixedPointMap, SolveContext, SolverResult, SplittingSettings } from "../types.js";
import { requireSplitting } from "./splitting.js";

export function peacemanRachford(
  _f: FixedPointMap,
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
  try {
    for (;;) {
      const [uNext, zNext, half, fHalf] = tf.tidy(() => {
        const uHalf = z.mul(2).sub(u);
        const zHalf = inverse.solve(uHalf.add(shifted));
        const un = zHalf.mul(2).sub(uHalf);
        const image = activation.apply(zHalf.mul(1 + alpha).sub(uHalf).div(alpha));
        return [un, activation.apply(un), zHalf, image];
      });
      u.dispose();
      z.dispose();
      u = uNext;
      z = zNext;
      const verdict = mon.observe(half, fHalf);
      half.dispose();
      fHalf.dispose();
      if (verdict === "diverged" || verdict === "nonfinite") {
        throw mon.failure(mon.describe(verdict), "the cell's parameters may contain NaN/Inf or the resolvent solve failed");
      }
      if (verdict === "converged" || mon.remaining <= 0) return mon.finish();
    }
  } finally {
    u.dispose();
    z.dispose();
    shifted.dispose();
    inverse.dispose();
  }
}
