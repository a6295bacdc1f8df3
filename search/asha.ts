/**
 * Asynchronous successive halving (ASHA), as Ray Tune's `AsyncHyperBandScheduler` defines it,
 * as a pure state machine: the caller feeds it each trial's results in the order they arrive and
 * acts on its decisions.
 *
 * - Bracket s (0 ≤ s < brackets) has rungs at grace · reduction^(k + s) epochs for
 *   k = 0 … ⌊log(max_t / grace) / log(reduction) − s + 1⌋ − 1.
 * - A new trial joins a bracket drawn with probability ∝ e^(rungs of the bracket) (seeded here,
 *   where Ray uses NumPy's global generator).
 * - A result at epoch t is checked against the highest rung ≤ t at which the trial has no result
 *   yet: the trial stops when its metric (negated when smaller is better) is below that rung's
 *   1 − 1/reduction quantile (linear interpolation, NaNs ignored) of the results recorded there
 *   before it; either way its metric is recorded at the rung.
 * - A trial stops at max_t. Here max_t is the trial's own epochs (a search may vary them); the
 *   rungs are laid out up to the largest epochs any trial can have.
 * - A completed trial's last result is recorded like any other (Ray's `on_trial_complete`).
 */
import { mixSeed, uniformStream } from "../runtime/rng.js";

export type Decision = "continue" | "stop";

export interface AshaOptions {
  grace: number;
  reduction: number;
  brackets: number;
  /** The largest epochs a trial may run: where the rungs end. */
  maxT: number;
  mode: "max" | "min";
  seed: number;
}

export interface Rung {
  milestone: number;
  /** Trial id → recorded (sign-adjusted) metric, in arrival order. */
  recorded: Map<string, number>;
}

/** `q`-th percentile (0–100) with linear interpolation between order statistics, NaNs ignored. */
export function percentile(values: readonly number[], q: number): number | undefined {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const position = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
}

export class Bracket {
  /** Highest milestone first, as Ray keeps them. */
  readonly rungs: Rung[];

  constructor(
    grace: number,
    maxT: number,
    readonly reduction: number,
    s: number,
  ) {
    const count = Math.trunc(Math.log(maxT / grace) / Math.log(reduction) - s + 1);
    this.rungs = [];
    for (let k = count - 1; k >= 0; k--) this.rungs.push({ milestone: grace * reduction ** (k + s), recorded: new Map() });
  }

  cutoff(rung: Rung): number | undefined {
    return percentile([...rung.recorded.values()], (1 - 1 / this.reduction) * 100);
  }

  onResult(trial: string, epoch: number, value: number): Decision {
    for (const rung of this.rungs) {
      if (epoch < rung.milestone || rung.recorded.has(trial)) continue;
      const cutoff = this.cutoff(rung);
      const decision: Decision = cutoff !== undefined && value < cutoff ? "stop" : "continue";
      rung.recorded.set(trial, value);
      return decision;
    }
    return "continue";
  }
}

export class Asha {
  readonly brackets: Bracket[];
  private readonly bracketOf = new Map<string, Bracket>();
  private readonly maxTOf = new Map<string, number>();
  private readonly next: () => number;
  private readonly sign: number;

  constructor(readonly options: AshaOptions) {
    const { grace, reduction, brackets, maxT } = options;
    if (!(grace > 0) || !(maxT >= grace) || !(reduction > 1) || !(brackets >= 1)) {
      throw new RangeError(`ASHA needs grace > 0, max_t ≥ grace, reduction > 1 and brackets ≥ 1 (got ${grace}, ${maxT}, ${reduction}, ${brackets})`);
    }
    this.brackets = Array.from({ length: brackets }, (_, s) => new Bracket(grace, maxT, reduction, s));
    this.next = uniformStream(mixSeed(options.seed, 0xa5a));
    this.sign = options.mode === "max" ? 1 : -1;
  }

  /** Registers a trial that will run at most `maxT` epochs; returns its bracket's index. */
  addTrial(trial: string, maxT: number): number {
    const sizes = this.brackets.map((b) => b.rungs.length);
    const largest = Math.max(...sizes);
    const weights = sizes.map((n) => Math.exp(n - largest));
    const total = weights.reduce((a, b) => a + b, 0);
    let u = this.next() * total;
    let index = weights.length - 1;
    for (let i = 0; i < weights.length; i++) {
      if (u < weights[i]) {
        index = i;
        break;
      }
      u -= weights[i];
    }
    this.bracketOf.set(trial, this.brackets[index]);
    this.maxTOf.set(trial, maxT);
    return index;
  }

  /** The decision after a trial's result at `epoch`. */
  onResult(trial: string, epoch: number, metric: number): Decision {
    const bracket = this.bracketOf.get(trial);
    if (!bracket) throw new Error(`ASHA: trial ${trial} was never added`);
    if (epoch >= (this.maxTOf.get(trial) ?? this.options.maxT)) return "stop";
    return bracket.onResult(trial, epoch, this.sign * metric);
  }

  /** A trial ended (finished or stopped) with this last result. */
  onComplete(trial: string, epoch: number, metric: number): void {
    this.bracketOf.get(trial)?.onResult(trial, epoch, this.sign * metric);
  }
}
