/**
 * The search's state on disk (`search.json` in the search directory), rewritten atomically after
 * every change: the trials with their values and results, and the results in the order the
 * scheduler received them. A killed search resumes from it: finished and stopped trials are kept,
 * running ones continue from their checkpoints, and replaying the recorded results rebuilds the
 * scheduler exactly.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { RUNTIME_CODES } from "../core/codes/runtime.js";
import { writeFileAtomic } from "../core/atomic-write.js";
import { CodedFailure } from "../core/failure.js";
import type { SchedulerSpec, SearchMetric } from "../compiler/search-spec.js";
import type { TrialOutcome } from "./trial-protocol.js";

export const JOURNAL_FILE = "search.json";
export const JOURNAL_VERSION = 1;

export type TrialStatus = "pending" | "running" | "stopped" | "finished" | "failed";

export interface TrialState {
  id: string;
  /** Sampled values as written into the trial's spec. */
  values: Record<string, string>;
  /** The trial's own epochs: its ASHA budget. */
  epochs: number;
  status: TrialStatus;
  /** One per epoch, in order. */
  results: { epoch: number; metric: number }[];
  outcome?: TrialOutcome;
  message?: string;
}

/** What the scheduler was told, in order: a result, or the end of a trial. */
export type JournalEvent = { trial: string; epoch: number; metric: number } | { trial: string; end: true };

export interface Journal {
  version: number;
  spec: string;
  model: string;
  seed: number;
  metric: SearchMetric;
  mode: "max" | "min";
  scheduler: SchedulerSpec;
  trials: TrialState[];
  events: JournalEvent[];
}

export class JournalError extends CodedFailure {
  constructor(message: string, hint?: string) {
    super(RUNTIME_CODES.searchDirectory, message, hint ? { hint } : {});
  }
}

export function journalPath(dir: string): string {
  return join(dir, JOURNAL_FILE);
}

export function readJournal(dir: string): Journal | undefined {
  const path = journalPath(dir);
  if (!existsSync(path)) return undefined;
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(path, "utf8")) as Journal;
  } catch (error) {
    throw new JournalError(`${path}: not a readable search journal (${(error as Error).message})`);
  }
  if (journal.version !== JOURNAL_VERSION || !Array.isArray(journal.trials) || !Array.isArray(journal.events)) {
    throw new JournalError(`${path}: not a search journal of this version of simc (version ${String(journal.version)})`);
  }
  return journal;
}

export function writeJournal(dir: string, journal: Journal): void {
  // NaN (a metric a run did not report) does not survive JSON: it is written as null.
  writeFileAtomic(journalPath(dir), `${JSON.stringify(journal, (_, v: unknown) => (typeof v === "number" && Number.isNaN(v) ? null : v), 2)}\n`);
}

/** null (NaN as written) back to NaN. */
export function metricValue(value: number | null): number {
  return value === null ? NaN : value;
}
