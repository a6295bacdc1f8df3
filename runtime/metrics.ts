/**
 * Per-epoch bookkeeping: running means of loss and accuracy (accumulated as tensors-free JS
 * numbers), PSNR from a mean squared error, and the solver statistics of implicit nodes.
 */
import type { ImplicitReport } from "./implicit-node.js";

/** A mean over examples (or positions) accumulated batch by batch. */
export class RunningMean {
  private sum = 0;
  private weight = 0;

  add(value: number, weight: number): void {
    this.sum += value * weight;
    this.weight += weight;
  }

  get count(): number {
    return this.weight;
  }

  get value(): number {
    return this.weight === 0 ? NaN : this.sum / this.weight;
  }
}

/** PSNR in dB of values with peak 1 (images scaled to [0, 1]) from their mean squared error. */
export function psnrFromMse(mse: number): number {
  return mse === 0 ? Infinity : -10 * Math.log10(mse);
}

export interface SolverSummary {
  /** Mean solver iterations per call. */
  meanSteps: number;
  /** Fraction of samples whose residual did not reach the tolerance. */
  notConverged: number;
  /** Largest relative residual seen. */
  maxRelResidual: number;
  /** Largest absolute residual ‖f(z) − z‖₂ seen. */
  maxAbsResidual: number;
  calls: number;
  /** Fallbacks the solver reported (distinct messages). */
  fellBack?: string[];
  /** The backward (implicit-gradient) solves, when the backward mode solves one. */
  backward?: BackwardSummary;
}

export interface BackwardSummary {
  meanSteps: number;
  notConverged: number;
  maxRelResidual: number;
  maxAbsResidual: number;
  calls: number;
}

/** Sums over the solves of one direction (forward or backward). */
class SolveTally {
  steps = 0;
  calls = 0;
  samples = 0;
  failed = 0;
  worstRel = 0;
  worstAbs = 0;

  add(r: { steps: number; samples: number; notConverged: number; maxRelResidual: number; maxAbsResidual: number }): void {
    this.steps += r.steps;
    this.calls += 1;
    this.samples += r.samples;
    this.failed += r.notConverged;
    this.worstRel = Math.max(this.worstRel, r.maxRelResidual);
    this.worstAbs = Math.max(this.worstAbs, r.maxAbsResidual);
  }

  summary(): BackwardSummary {
    return {
      meanSteps: this.steps / this.calls,
      notConverged: this.samples === 0 ? 0 : this.failed / this.samples,
      maxRelResidual: this.worstRel,
      maxAbsResidual: this.worstAbs,
      calls: this.calls,
    };
  }
}

/** Aggregates implicit-node reports over an epoch. */
export class SolverTally {
  private readonly forward = new SolveTally();
  private readonly backward = new SolveTally();
  private readonly fallbacks = new Set<string>();

  add(reports: readonly ImplicitReport[]): void {
    for (const r of reports) {
      this.forward.add(r);
      if (r.backward) this.backward.add(r.backward);
      if (r.fellBack) this.fallbacks.add(r.fellBack);
    }
  }

  summary(): SolverSummary | undefined {
    if (this.forward.calls === 0) return undefined;
    const summary: SolverSummary = this.forward.summary();
    if (this.fallbacks.size > 0) summary.fellBack = [...this.fallbacks];
    if (this.backward.calls > 0) summary.backward = this.backward.summary();
    return summary;
  }
}
