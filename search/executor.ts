/** How a tuner runs trials: locally in child processes, or as jobs on a queue served by workers. */
import type { TrialEpoch, TrialJob, TrialOutcome } from "./trial-protocol.js";

export interface TrialEvents {
  epoch(id: string, epoch: TrialEpoch): void;
  done(id: string, outcome: TrialOutcome): void;
  failed(id: string, message: string): void;
}

export interface TrialExecutor {
  /** Trials that may run at once (the tuner keeps this many started). */
  readonly slots: number;
  start(job: TrialJob): void;
  /** The scheduler stopped the trial: end it (its last checkpoint stays). */
  stop(id: string): void;
  close(): Promise<void>;
}
