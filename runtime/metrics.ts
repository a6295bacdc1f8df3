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
  calls: number;
  /** Fallbacks the solver reported (distinct messages). */
  fellBack?: string[];
}

/** Aggregates implicit-node reports over an epoch. */
export class SolverTally {
  private steps = 0;
  private calls = 0;
  private samples = 0;
  private failed = 0;
  private worst = 0;
  private readonly fallbacks = new Set<string>();

  add(reports: readonly ImplicitReport[]): void {
    for (const r of reports) {
      this.steps += r.steps;
      this.calls += 1;
      this.samples += r.samples;
      this.failed += r.notConverged;
      this.worst = Math.max(this.worst, r.maxRelResidual);
      if (r.fellBack) this.fallbacks.add(r.fellBack);
    }
  }

  summary(): SolverSummary | undefined {
    if (this.calls === 0) return undefined;
    const summary: SolverSummary = {
      meanSteps: this.steps / this.calls,
      notConverged: this.samples === 0 ? 0 : this.failed / this.samples,
      maxRelResidual: this.worst,
      calls: this.calls,
    };
    if (this.fallbacks.size > 0) summary.fellBack = [...this.fallbacks];
    return summary;
  }
}
