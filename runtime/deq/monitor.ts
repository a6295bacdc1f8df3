/**
 * Bookkeeping shared by every solver: per-sample residuals at each step, the stopping rule,
 * NaN/Inf detection, the divergence guard, and the best state seen so far for each sample
 * (what the solver returns, so a late blow-up never replaces a good iterate).
 */
import * as tf from "../tf.js";
import { SolverError } from "./errors.js";
import { sampleNorms, selectSamples } from "./norms.js";
import type { CommonSolverSettings, SolveContext, SolverStats } from "./types.js";

/** Added to ‖f(z)‖ in the relative residual so an all-zero fixed point does not divide by zero. */
export const REL_EPS = 1e-8;

/**
 * - `converged`: every sample's stopping residual is ≤ tol;
 * - `diverged`: the batch's worst absolute residual, or its worst stopping residual, grew for
 *   `patience` consecutive steps and is now more than twice what it was at the first step: the
 *   iteration is moving away from where it started. (Accelerated solvers climb for a few steps
 *   on hard problems and then converge; float32 noise wobbles at a residual floor; neither
 *   ends up above twice the starting residual.) Both residuals are watched because an expanding
 *   map can keep the relative one flat: z ↦ 2z + 1 has ‖f(z) − z‖/‖f(z)‖ → 1/2 while
 *   ‖f(z) − z‖ doubles every step;
 * - `nonfinite`: f(z) or z contains NaN/Inf for some sample.
 */
export type Verdict = "continue" | "converged" | "diverged" | "nonfinite";

/** Counts consecutive increases of a sequence and remembers its first value. */
class GrowthWatch {
  private growth = 0;
  private previous = Infinity;
  private first: number | undefined;

  /** Adds a value; true when it has grown `patience` times in a row to above twice the first value. */
  push(value: number, patience: number): boolean {
    this.first ??= value;
    this.growth = value > this.previous ? this.growth + 1 : 0;
    this.previous = value;
    return this.growth >= patience && value > 2 * this.first;
  }

  reset(): void {
    this.growth = 0;
    this.previous = Infinity;
    this.first = undefined;
  }
}

export class ResidualMonitor {
  readonly cap: number;
  steps = 0;
  readonly trace: number[] = [];
  fellBack?: string;
  /** The batch's worst stopping residual at the last step (NaN when not finite). */
  lastWorst = NaN;
  /** The batch's worst absolute residual at the last step. */
  lastWorstAbs = NaN;

  private best: tf.Tensor | undefined;
  private bestMetric: number[] = [];
  private bestAbs: number[] = [];
  private bestRel: number[] = [];
  private readonly growthOfMetric = new GrowthWatch();
  private readonly growthOfAbs = new GrowthWatch();

  constructor(
    private readonly settings: CommonSolverSettings,
    private readonly ctx: SolveContext,
  ) {
    this.cap = ctx.training ? settings.maxIter : settings.evalMaxIter;
  }

  get remaining(): number {
    return this.cap - this.steps;
  }

  /** Records the residual of state `z` whose image is `fz`; keeps neither tensor. */
  observe(z: tf.Tensor, fz: tf.Tensor): Verdict {
    this.steps++;
    const batch = z.shape[0];
    const values = tf.tidy(() => {
      const abs = sampleNorms(fz.sub(z));
      const rel = abs.div(sampleNorms(fz).add(REL_EPS));
      return tf.concat([abs, rel]);
    });
    const data = values.dataSync();
    values.dispose();
    const abs = Array.from(data.subarray(0, batch));
    const rel = Array.from(data.subarray(batch));
    const metric = this.settings.stop === "rel" ? rel : abs;
    const finite = metric.map((v, i) => Number.isFinite(v) && Number.isFinite(abs[i]));
    this.trace.push(finite.every(Boolean) ? Math.max(...rel) : NaN);

    const improved = metric.map((v, i) => finite[i] && !(v >= (this.bestMetric[i] ?? Infinity)));
    if (this.best === undefined) {
      this.best = tf.keep(z.clone());
      this.bestMetric = metric.map((v, i) => (finite[i] ? v : Infinity));
      this.bestAbs = abs.map((v, i) => (finite[i] ? v : Infinity));
      this.bestRel = rel.map((v, i) => (finite[i] ? v : Infinity));
    } else if (improved.some(Boolean)) {
      const next = tf.keep(selectSamples(improved, z, this.best));
      this.best.dispose();
      this.best = next;
      improved.forEach((yes, i) => {
        if (!yes) return;
        this.bestMetric[i] = metric[i];
        this.bestAbs[i] = abs[i];
        this.bestRel[i] = rel[i];
      });
    }

    if (!finite.every(Boolean)) {
      this.lastWorst = NaN;
      this.lastWorstAbs = NaN;
      return "nonfinite";
    }
    this.lastWorstAbs = Math.max(...abs);
    const worst = Math.max(...metric);
    this.lastWorst = worst;
    if (worst <= this.settings.tol) return "converged";
    const patience = this.settings.patience;
    const metricDiverges = this.growthOfMetric.push(worst, patience);
    const absDiverges = this.growthOfAbs.push(this.lastWorstAbs, patience);
    return metricDiverges || absDiverges ? "diverged" : "continue";
  }

  /** Whether every sample has a finite best state to restart from. */
  hasFiniteBest(): boolean {
    return this.best !== undefined && this.bestMetric.every((v) => Number.isFinite(v));
  }

  /** A copy of the best state (owned by the caller). */
  bestCopy(): tf.Tensor {
    if (!this.best) throw new Error("no state observed yet");
    return this.best.clone();
  }

  /** Starts the divergence guard afresh (after switching method). */
  resetGuard(): void {
    this.growthOfMetric.reset();
    this.growthOfAbs.reset();
  }

  /** Hands over the best state (owned by the caller) and the statistics describing it. */
  finish(): { z: tf.Tensor; stats: SolverStats } {
    if (!this.best) throw new Error("no state observed yet");
    // A fresh (un-kept) tensor, so an enclosing tf.tidy can release it like any other result.
    const z = this.best.clone();
    this.best.dispose();
    this.best = undefined;
    const stats: SolverStats = {
      steps: this.steps,
      absResidual: this.bestAbs,
      relResidual: this.bestRel,
      trace: this.trace,
      converged: this.bestMetric.map((v) => v <= this.settings.tol),
    };
    if (this.fellBack) stats.fellBack = this.fellBack;
    return { z, stats };
  }

  dispose(): void {
    this.best?.dispose();
    this.best = undefined;
  }

  /** The error for a failed solve; releases the monitor's state. */
  failure(reason: string, hint?: string): SolverError {
    this.dispose();
    return new SolverError({
      label: this.ctx.label,
      solver: this.ctx.solverName,
      step: this.steps,
      residual: this.lastWorst,
      residualKind: this.settings.stop,
      absResidual: this.lastWorstAbs,
      reason,
      hint,
    });
  }

  /** Why a verdict is a failure, in words. */
  describe(verdict: Verdict): string {
    if (verdict === "nonfinite") return "the state or f(state) contains NaN or Inf";
    return `the residual grew for ${this.settings.patience} consecutive steps (diverging)`;
  }
}
