/**
 * The search loop: sample the trials, run them on an executor, feed each epoch's metric to the
 * scheduler (FIFO or ASHA) and stop the trials it stops, journal every change, and finish with
 * the trials ranked by their last metric. The same loop drives local child processes and queue
 * workers; the trials, their values and their training are the same either way.
 */
import { resolve, join } from "node:path";
import type { SearchSpec } from "../compiler/search-spec.js";
import { Asha } from "./asha.js";
import type { TrialEvents, TrialExecutor } from "./executor.js";
import { JournalError, metricValue, readJournal, writeJournal, type Journal, type TrialState } from "./journal.js";
import { sampleTrials, type Assignment } from "./space.js";
import { substitute } from "./substitute.js";
import type { TrialEpoch, TrialJob, TrialOutcome } from "./trial-protocol.js";

export interface TuneRequest {
  /** The spec file (absolute or relative to the working directory). */
  specFile: string;
  specText: string;
  model: string;
  search: SearchSpec;
  /** The spec's own epochs, for trials whose epochs are not searched. */
  epochs: number;
  outDir: string;
  /** Overrides the spec's `samples`. */
  samples?: number;
  resume: boolean;
  limit?: number;
  backend?: string;
  /** Called after every change (live tables). */
  onUpdate?: (journal: Journal) => void;
}

export interface RankedTrial {
  trial: TrialState;
  /** The trial's last metric. */
  metric: number;
}

export function trialId(index: number): string {
  return `t${String(index).padStart(3, "0")}`;
}

export function trialDir(outDir: string, id: string): string {
  return join(outDir, "trials", id);
}

export function lastMetric(trial: TrialState): number {
  const last = trial.results[trial.results.length - 1];
  return last ? metricValue(last.metric) : NaN;
}

/** Trials with results, best first (NaN last). */
export function rankTrials(journal: Journal): RankedTrial[] {
  const sign = journal.mode === "max" ? -1 : 1;
  return journal.trials
    .filter((t) => t.results.length > 0)
    .map((trial) => ({ trial, metric: lastMetric(trial) }))
    .sort((a, b) => (Number.isNaN(a.metric) ? 1 : Number.isNaN(b.metric) ? -1 : sign * (a.metric - b.metric)));
}

const isOver = (t: TrialState) => t.status === "stopped" || t.status === "finished" || t.status === "failed";

function freshJournal(request: TuneRequest, assignments: Assignment[]): Journal {
  const { search } = request;
  return {
    version: 1,
    spec: resolve(request.specFile),
    model: request.model,
    seed: search.seed,
    metric: search.metric,
    mode: search.mode,
    scheduler: search.scheduler,
    trials: assignments.map((assignment, i) => {
      const epochs = assignment.epochs ? Number(assignment.epochs.value) : request.epochs;
      const values = Object.fromEntries(Object.entries(assignment).map(([k, c]) => [k, c.text]));
      return { id: trialId(i), values, epochs, status: "pending", results: [] };
    }),
    events: [],
  };
}

/** A journal left by another search must not be continued by this one. */
function checkResumable(journal: Journal, fresh: Journal, dir: string): void {
  const same =
    journal.spec === fresh.spec &&
    journal.model === fresh.model &&
    journal.trials.length === fresh.trials.length &&
    journal.trials.every((t, i) => JSON.stringify(t.values) === JSON.stringify(fresh.trials[i].values));
  if (!same) {
    throw new JournalError(
      `${dir} holds a different search (${journal.spec}, model ${journal.model}, ${journal.trials.length} trials)`,
      "resume it with the same spec and --samples, or choose another --out",
    );
  }
}

export class Tuner {
  readonly journal: Journal;
  private readonly outDir: string;
  private readonly asha?: Asha;
  private readonly jobs = new Map<string, TrialJob>();
  private executor?: TrialExecutor;
  private finish?: () => void;

  constructor(private readonly request: TuneRequest) {
    this.outDir = resolve(request.outDir);
    const samples = request.samples ?? request.search.samples;
    const assignments = sampleTrials(request.search.dimensions, samples, request.search.seed);
    const fresh = freshJournal(request, assignments);
    const existing = readJournal(this.outDir);
    if (existing && !request.resume) {
      throw new JournalError(`${this.outDir} already holds a search`, "pass --resume to continue it, or choose another --out");
    }
    if (existing) checkResumable(existing, fresh, this.outDir);
    this.journal = existing ?? fresh;
    assignments.forEach((assignment, i) => {
      const id = trialId(i);
      this.jobs.set(id, {
        id,
        specFile: resolve(request.specFile),
        specText: substitute(request.specText, request.specFile, request.model, request.search.dimensions, assignment),
        model: request.model,
        dir: trialDir(this.outDir, id),
        metric: request.search.metric,
        ...(request.limit !== undefined ? { limit: request.limit } : {}),
        ...(request.backend !== undefined ? { backend: request.backend } : {}),
      });
    });
    const scheduler = request.search.scheduler;
    if (scheduler.kind === "asha") {
      const maxT = Math.max(...this.journal.trials.map((t) => t.epochs));
      this.asha = new Asha({ ...scheduler, maxT: Math.max(maxT, scheduler.grace), mode: request.search.mode, seed: request.search.seed });
      for (const trial of this.journal.trials) this.asha.addTrial(trial.id, trial.epochs);
      this.replay();
    }
  }

  /** Rebuilds the scheduler from the recorded results, in their order. */
  private replay(): void {
    const last = new Map<string, { epoch: number; metric: number }>();
    for (const event of this.journal.events) {
      if ("end" in event) {
        const result = last.get(event.trial);
        if (result) this.asha?.onComplete(event.trial, result.epoch, result.metric);
      } else {
        const metric = metricValue(event.metric);
        last.set(event.trial, { epoch: event.epoch, metric });
        this.asha?.onResult(event.trial, event.epoch, metric);
      }
    }
  }

  job(id: string): TrialJob {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no trial ${id}`);
    return job;
  }

  private trial(id: string): TrialState | undefined {
    return this.journal.trials.find((t) => t.id === id);
  }

  private save(): void {
    writeJournal(this.outDir, this.journal);
    this.request.onUpdate?.(this.journal);
  }

  private end(trial: TrialState, status: TrialStatusOver): void {
    trial.status = status;
    const last = trial.results[trial.results.length - 1];
    if (last) this.asha?.onComplete(trial.id, last.epoch, metricValue(last.metric));
    this.journal.events.push({ trial: trial.id, end: true });
  }

  readonly events: TrialEvents = {
    epoch: (id: string, epoch: TrialEpoch) => {
      const trial = this.trial(id);
      if (!trial || isOver(trial) || trial.results.some((r) => r.epoch === epoch.epoch)) return;
      trial.results.push({ epoch: epoch.epoch, metric: epoch.metric });
      this.journal.events.push({ trial: id, epoch: epoch.epoch, metric: epoch.metric });
      const decision = this.asha ? this.asha.onResult(id, epoch.epoch, epoch.metric) : epoch.epoch >= trial.epochs ? "stop" : "continue";
      // At its last epoch a trial finishes by itself (and evaluates its test set).
      if (decision === "stop" && epoch.epoch < trial.epochs) {
        this.end(trial, "stopped");
        this.executor?.stop(id);
        this.save();
        this.launch();
        return;
      }
      this.save();
    },
    done: (id: string, outcome: TrialOutcome) => {
      const trial = this.trial(id);
      if (!trial || isOver(trial)) return;
      trial.outcome = outcome;
      this.end(trial, "finished");
      this.save();
      this.launch();
    },
    failed: (id: string, message: string) => {
      const trial = this.trial(id);
      if (!trial || isOver(trial)) return;
      trial.message = message;
      this.end(trial, "failed");
      this.save();
      this.launch();
    },
  };

  /** Starts pending trials while the executor has free slots; resolves the run when all are over. */
  private launch(): void {
    const executor = this.executor;
    if (!executor) return;
    let running = this.journal.trials.filter((t) => t.status === "running").length;
    for (const trial of this.journal.trials) {
      if (running >= executor.slots) break;
      if (trial.status !== "pending") continue;
      trial.status = "running";
      running += 1;
      this.save();
      executor.start(this.job(trial.id));
    }
    if (this.journal.trials.every(isOver)) this.finish?.();
  }

  /** Runs every trial that is not over; resolves with the journal when all are. */
  async run(makeExecutor: (events: TrialEvents) => TrialExecutor | Promise<TrialExecutor>): Promise<Journal> {
    // Trials that were running when the search stopped continue from their checkpoints.
    for (const trial of this.journal.trials) if (trial.status === "running") trial.status = "pending";
    this.save();
    const executor = await makeExecutor(this.events);
    this.executor = executor;
    try {
      await new Promise<void>((done) => {
        this.finish = done;
        this.launch();
      });
    } finally {
      this.executor = undefined;
      await executor.close();
    }
    return this.journal;
  }
}

type TrialStatusOver = "stopped" | "finished" | "failed";
