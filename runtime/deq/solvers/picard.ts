/**
 * Fixed-point (Picard) iteration with damping τ: z ← (1−τ) z + τ f(z). τ = 1 is the plain
 * iteration (pcDEQ's solver); smaller τ trades speed for a wider basin.
 */
import * as tf from "../../tf.js";
import { ResidualMonitor, type Verdict } from "../monitor.js";
import type { FixedPointMap, PicardSettings, SolveContext, SolverResult } from "../types.js";

export type LoopOutcome = Verdict | "capped";

/** Runs damped Picard from `start` (consumed) until the monitor says stop or the cap is hit. */
export function picardLoop(f: FixedPointMap, start: tf.Tensor, damping: number, mon: ResidualMonitor): LoopOutcome {
  let z = start;
  for (;;) {
    const fz = tf.tidy(() => f(z));
    const verdict = mon.observe(z, fz);
    if (verdict !== "continue" || mon.remaining <= 0) {
      fz.dispose();
      z.dispose();
      return verdict === "continue" ? "capped" : verdict;
    }
    const next = damping === 1 ? fz : tf.tidy(() => z.mul(1 - damping).add(fz.mul(damping)));
    if (next !== fz) fz.dispose();
    z.dispose();
    z = next;
  }
}

export function picard(f: FixedPointMap, z0: tf.Tensor, settings: PicardSettings, ctx: SolveContext): SolverResult {
  const mon = new ResidualMonitor(settings, ctx);
  const outcome = picardLoop(f, z0.clone(), settings.damping, mon);
  if (outcome === "diverged" || outcome === "nonfinite") {
    throw mon.failure(
      mon.describe(outcome),
      settings.damping > 0.5
        ? "try picard(damping: 0.5), anderson, or a cell with a convergence guarantee (monotone, linf, pcdeq)"
        : "the cell is not contractive here; use a cell with a convergence guarantee (monotone, linf, pcdeq) or a norm",
    );
  }
  return mon.finish();
}
