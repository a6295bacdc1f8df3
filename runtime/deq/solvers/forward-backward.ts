/**
 * Forward–backward splitting for monotone cells f(z) = σ(W z + c):
 *   z ← σ((1−α) z + α (W z + c)).
 * Converges for α ≤ 2m/L² (m the monotonicity margin, L a Lipschitz bound of I − W), so the
 * default α is small. The residual is the cell's own ‖f(z) − z‖, computed from the same W z.
 */
import * as tf from "../../tf.js";
import { ResidualMonitor } from "../monitor.js";
import type { FixedPointMap, SolveContext, SolverResult, SplittingSettings } from "../types.js";
import { requireSplitting } from "./splitting.js";

export function forwardBackward(
  _f: FixedPointMap,
  z0: tf.Tensor,
  settings: SplittingSettings,
  ctx: SolveContext,
): SolverResult {
  const { linear, injection, activation } = requireSplitting(ctx, "forward_backward", false);
  const alpha = settings.alpha;
  const mon = new ResidualMonitor(settings, ctx);
  let z = z0.clone();
  try {
    for (;;) {
      const [fz, next] = tf.tidy(() => {
        const pre = linear.apply(z).add(injection);
        return [activation.apply(pre), activation.apply(z.mul(1 - alpha).add(pre.mul(alpha)))];
      });
      const verdict = mon.observe(z, fz);
      fz.dispose();
      if (verdict === "diverged" || verdict === "nonfinite") {
        next.dispose();
        throw mon.failure(mon.describe(verdict), `forward_backward needs a small alpha (≤ 2m/L²); try a smaller alpha or peaceman_rachford`);
      }
      if (verdict === "converged" || mon.remaining <= 0) {
        next.dispose();
        return mon.finish();
      }
      z.dispose();
      z = next;
    }
  } finally {
    z.dispose();
  }
}
