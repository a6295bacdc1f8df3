/**
 * A checked search: the space (one distribution per varied value), the metric and its mode,
 * the scheduler, the number of samples and the seed. `simc tune` reads only this and the
 * spec's text (to substitute the sampled values into it).
 */
import type { Origin } from "../core/values.js";
import type { SearchMetricName } from "../vocabulary/search.js";

/** One value a search may pick: its source spelling (substituted into the spec) and its value. */
export interface Candidate {
  text: string;
  value: number | string | boolean;
}

export type Distribution =
  | { kind: "choice"; values: Candidate[] }
  /** Uniform on [low, high). */
  | { kind: "uniform"; low: number; high: number }
  /** exp(U[log low, log high)). */
  | { kind: "loguniform"; low: number; high: number }
  /** An int in [low, high). */
  | { kind: "randint"; low: number; high: number }
  /** An int in [low, high], rounded to a multiple of q. */
  | { kind: "qrandint"; low: number; high: number; q: number };

/** Where a varied value goes: a train setting (`lr` is the optimizer's) or a model parameter. */
export type DimensionTarget = "train" | "parameter";

export interface SearchDimension {
  name: string;
  target: DimensionTarget;
  /** Whether sampled numbers are written as ints (`64`) or floats (`0.5`). */
  integer: boolean;
  distribution: Distribution;
  origin: Origin;
}

export type SchedulerSpec = { kind: "fifo" } | { kind: "asha"; grace: number; reduction: number; brackets: number };

export type SearchMetric = SearchMetricName;

export interface SearchSpec {
  dimensions: SearchDimension[];
  metric: SearchMetric;
  mode: "max" | "min";
  scheduler: SchedulerSpec;
  samples: number;
  seed: number;
}
