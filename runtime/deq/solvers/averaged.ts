/**
 * The averaged iteration of ℓ∞-contractive cells: z ← (1−α) z + α f(z).
 *
 * With α = auto, α* = 1/(1 − min_i min(a_ii, 0)) from the cell's A (the step for which the
 * averaged map is an ℓ∞ contraction when μ∞(A) < 1, with factor 1 − α*(1 − μ)). NEMON's rule
 * guards larger steps: α is divided by 1.5 whenever the step fails to shrink by 15% — the step
 * is α·(f(z) − z), so the test compares α_k·r_k with 0.85·α_{k−1}·r_{k−1} (r the batch's worst
 * stopping residual). α never goes below α* on an ℓ∞ cell (convergence is guaranteed there, and
 * shrinking further only slows the iteration: with μ near 1 the contraction is slower than 15%
 * per step, so the rule would otherwise drive α to its floor and stall), nor below
 * min(α₀, 1e-3) on other cells.
 */
import * as tf from "../../tf.js";
import { DeqConfigError } from "../errors.js";
import { ResidualMonitor } from "../monitor.js";
import type { AveragedSettings, FixedPointMap, SolveContext, SolverResult, StructuredMap } from "../types.js";

export const SHRINK = 1.5;
export const REQUIRED_DROP = 0.85;

/** The starting α: the setting, or α* from the cell's A. */
export function averagedAlpha(settings: AveragedSettings, structure: StructuredMap | undefined, label: string): number {
  if (settings.alpha !== "auto") return settings.alpha;
  const star = safeAlpha(structure);
  if (star === undefined) {
    throw new DeqConfigError(
      label,
      "solver averaged(alpha: auto) needs an ℓ∞ cell (cell: linf(...)) to compute α*; give alpha a number for other cells",
    );
  }
  return star;
}

/** α* = 1/(1 − min_i min(a_ii, 0)) for ℓ∞ cells; undefined for cells without that structure. */
export function safeAlpha(structure: StructuredMap | undefined): number | undefined {
  if (!structure?.minDiagonal) return undefined;
  return 1 / (1 - Math.min(structure.minDiagonal(), 0));
}

export function averaged(f: FixedPointMap, z0: tf.Tensor, settings: AveragedSettings, ctx: SolveContext): SolverResult {
  const alpha0 = averagedAlpha(settings, ctx.structure, ctx.label);
  let alpha = alpha0;
  const mon = new ResidualMonitor(settings, ctx);
  let z = z0.clone();
  const floor = Math.min(alpha0, safeAlpha(ctx.structure) ?? 1e-3);
  /** α·r at the previous step: the length of the step just taken, relative to ‖f(z)‖. */
  let previousStep = Infinity;
  try {
    for (;;) {
      const fz = tf.tidy(() => f(z));
      const verdict = mon.observe(z, fz);
      if (verdict === "diverged" || verdict === "nonfinite") {
        fz.dispose();
        throw mon.failure(
          `${mon.describe(verdict)} with α = ${alpha.toPrecision(3)}`,
          "the cell's A may have left the ℓ∞-contractive set; check its parameters",
        );
      }
      if (verdict === "converged" || mon.remaining <= 0) {
        fz.dispose();
        return mon.finish();
      }
      const step = alpha * mon.lastWorst;
      if (step > REQUIRED_DROP * previousStep && alpha > floor) alpha = Math.max(alpha / SHRINK, floor);
      previousStep = step;
      const a = alpha;
      const next = tf.tidy(() => z.mul(1 - a).add(fz.mul(a)));
      fz.dispose();
      z.dispose();
      z = next;
    }
  } finally {
    z.dispose();
  }
}
