/**
 * Iteration counts of fixed-point solvers on contractive maps. If each step shrinks the
 * residual by a factor q < 1, the residual after k steps is q^k times the first one, so
 * reaching a tolerance tol (relative to the first step) takes ⌈ln(tol) / ln(q)⌉ steps.
 */

/** The contraction factor assumed for cells whose factor is not known before training. */
export const ASSUMED_CONTRACTION = 0.9;

/** Steps for a residual shrinking by `factor` per step to fall below `tol`; Infinity when factor ≥ 1. */
export function stepsToReach(tol: number, factor: number): number {
  if (tol >= 1) return 0;
  if (factor <= 0) return 1;
  if (factor >= 1) return Infinity;
  return Math.ceil(Math.log(tol) / Math.log(factor) - 1e-9);
}

/** Damped Picard `z ← (1−τ)z + τ f(z)` on a q-contraction contracts by 1 − τ(1 − q). */
export function dampedFactor(q: number, damping: number): number {
  return 1 - damping * (1 - q);
}

/**
 * The ℓ∞ cell at initialisation: `a_ii = m + T_ii − Σ_j |T_ij|` with `T_ij ~ N(0, s²)`, whose
 * typical value is `m − n·s·sqrt(2/π)` (E|T_ij| = s·sqrt(2/π)). The averaged solver's automatic
 * step is `α* = 1/(1 − min(a_ii, 0))`.
 */
export function linfAutoAlpha(m: number, n: number, std: number): number {
  const diagonal = m - n * std * Math.sqrt(2 / Math.PI);
  return 1 / (1 - Math.min(diagonal, 0));
}

/** Averaged iteration on an ℓ∞ cell with μ∞(A) ≤ m contracts by 1 − α(1 − m) (for α ≤ α*). */
export function averagedFactor(m: number, alpha: number): number {
  return 1 - alpha * (1 - m);
}

/** Short numbers for messages: 0.9, 0.95, 1e-3. */
export function formatNumber(x: number): string {
  if (x !== 0 && (Math.abs(x) < 1e-2 || Math.abs(x) >= 1e6)) return x.toExponential().replace(/\.?0+e/, "e").replace("e+", "e");
  return String(Number(x.toPrecision(4)));
}
