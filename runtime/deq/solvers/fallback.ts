/**
 * What quasi-Newton solvers do when their own method breaks down (NaN/Inf, divergence, a
 * least-squares system that stays singular after regularisation): continue from each sample's
 * best state with damped Picard (τ = 0.5; on an ℓ∞ cell τ = min(0.5, α*), for which the
 * iteration is guaranteed to converge) for the remaining budget, and record the switch in the
 * statistics. If that fails too, the solve fails with a SolverError.
 */
import { ResidualMonitor } from "../monitor.js";
import type { FixedPointMap, SolverResult, StructuredMap } from "../types.js";
import { safeAlpha } from "./averaged.js";
import { picardLoop } from "./picard.js";

export const FALLBACK_DAMPING = 0.5;

export function fallBackToPicard(
  f: FixedPointMap,
  mon: ResidualMonitor,
  method: string,
  reason: string,
  structure?: StructuredMap,
): SolverResult {
  if (!mon.hasFiniteBest()) {
    throw mon.failure(`${reason}, and no finite state to fall back from`, "check the inputs and the cell's parameters for NaN/Inf");
  }
  const damping = Math.min(FALLBACK_DAMPING, safeAlpha(structure) ?? 1);
  mon.fellBack = `${method} → picard(damping: ${Number(damping.toPrecision(3))}) at step ${mon.steps}: ${reason}`;
  if (mon.remaining <= 0) return mon.finish();
  mon.resetGuard();
  const outcome = picardLoop(f, mon.bestCopy(), damping, mon);
  if (outcome === "diverged" || outcome === "nonfinite") {
    throw mon.failure(
      `${mon.describe(outcome)} after falling back from ${method} (${reason})`,
      "the cell is not contractive here; use a cell with a convergence guarantee (monotone, linf, pcdeq) or a norm",
    );
  }
  return mon.finish();
}
