/**
 * What a tuner and a trial say to each other, locally (a child process's IPC channel) or through
 * the queue (a job's data, progress and return value). Plain JSON.
 */
import type { SearchMetric } from "../compiler/search-spec.js";
import type { EpochRecord } from "../runtime/train/types.js";

/** Everything a trial needs, on this machine or another that sees the same files. */
export interface TrialJob {
  /** Search-unique id, `t003`. */
  id: string;
  /** Absolute path of the original spec (imports and data paths resolve from it). */
  specFile: string;
  /** The spec with the trial's values written in. */
  specText: string;
  model: string;
  /** The trial's run directory (checkpoints, metrics, its spec); shared by every worker. */
  dir: string;
  metric: SearchMetric;
  limit?: number;
  backend?: string;
  /** Train seed (retraining runs the best trial with several). */
  seed?: number;
}

export interface TrialEpoch {
  epoch: number;
  /** The search's metric at this epoch (NaN when the run does not report it). */
  metric: number;
  record: EpochRecord;
  /** Read back from a checkpoint when the trial resumed (already trained, maybe already reported). */
  replayed: boolean;
}

export interface TrialOutcome {
  epochs: number;
  resumedFrom: number;
  test?: { loss: number; accuracy?: number; psnr?: number };
}

export type TrialMessage =
  | { kind: "epoch"; epoch: TrialEpoch }
  | { kind: "done"; outcome: TrialOutcome }
  | { kind: "failed"; message: string };

export function metricOf(record: EpochRecord, metric: SearchMetric): number {
  const value =
    metric === "val_accuracy" ? record.valAccuracy : metric === "val_loss" ? record.valLoss : metric === "val_psnr" ? record.valPsnr : record.trainLoss;
  return value ?? NaN;
}
