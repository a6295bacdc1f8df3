/**
 * One trial in its own process: check the trial's spec, load its data, train with a checkpoint
 * after every epoch (resuming from the trial directory's checkpoint when there is one), and
 * report each epoch's metric to the parent over the IPC channel. The parent stops a trial by
 * ending the process; the process ends itself when the parent goes away.
 */
import { dirname, join } from "node:path";
import { checkSource } from "../compiler/check.js";
import { lowerModel } from "../compiler/lower/index.js";
import { writeFileAtomic } from "../core/atomic-write.js";
import type { Diagnostic } from "../core/diagnostic.js";
import type { IRModule } from "../ir/types.js";
import { initBackend } from "../runtime/backend/index.js";
import { hasCheckpoint, readManifest } from "../runtime/checkpoint.js";
import { loadDataset } from "../runtime/data/index.js";
import { createExecutor } from "../runtime/executor.js";
import { resolveTrainConfig } from "../runtime/train/config.js";
import { dataFitProblem } from "../runtime/train/fit-check.js";
import { train } from "../runtime/train/train.js";
import type { TrainReporter } from "../runtime/progress.js";
import { metricOf, type TrialJob, type TrialMessage } from "./trial-protocol.js";

export const TRIAL_SPEC_FILE = "spec.sim";

export class TrialError extends Error {}

function describeErrors(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}:${d.loc.line}:${d.loc.column}: ${d.code} ${d.message}`);
}

/** The trial's spec, checked as if it were the original file (its imports resolve from there), and lowered. */
function compileTrial(job: TrialJob): IRModule {
  const checked = checkSource(job.specText, job.specFile);
  const model = checked.models.find((m) => m.name === job.model);
  if (!model) throw new TrialError([`the spec of trial ${job.id} has errors`, ...describeErrors(checked.diagnostics)].join("\n"));
  const lowered = lowerModel(model, model.defaultTarget, { seed: job.seed ?? model.train.seed });
  if (!lowered.module) throw new TrialError([`trial ${job.id} cannot be lowered`, ...describeErrors(lowered.diagnostics)].join("\n"));
  return lowered.module;
}

/** Trains one trial; `send` receives its epochs as they finish. */
export async function runTrial(job: TrialJob, send: (message: TrialMessage) => void): Promise<void> {
  writeFileAtomic(join(job.dir, TRIAL_SPEC_FILE), job.specText);
  await initBackend(job.backend);
  const module = compileTrial(job);
  const config = resolveTrainConfig(module.train, { limit: job.limit, seed: job.seed });
  const dataset = await loadDataset(config.data, {
    baseDir: dirname(job.specFile),
    limit: config.limit || undefined,
    seed: config.seed,
    validation: config.validation,
  });
  const problem = dataFitProblem(module, dataset, config.loss);
  if (problem) throw new TrialError(problem);
  // Epochs trained before an interruption are reported again: the tuner may not have seen them.
  if (hasCheckpoint(job.dir)) {
    const manifest = readManifest(job.dir);
    for (const record of manifest.history.slice(0, manifest.epoch)) {
      send({ kind: "epoch", epoch: { epoch: record.epoch, metric: metricOf(record, job.metric), record, replayed: true } });
    }
  }
  const reporter: TrainReporter = {
    begin: () => undefined,
    step: () => undefined,
    epoch: (record) => send({ kind: "epoch", epoch: { epoch: record.epoch, metric: metricOf(record, job.metric), record, replayed: false } }),
    note: () => undefined,
    end: () => undefined,
  };
  const executor = createExecutor(module, { seed: config.seed });
  try {
    const result = await train({ executor, dataset, config, outDir: job.dir, resume: true, reporter });
    const test = result.test ? { loss: result.test.loss, accuracy: result.test.accuracy, psnr: result.test.psnr } : undefined;
    send({ kind: "done", outcome: { epochs: result.history.length, resumedFrom: result.resumedFrom, ...(test ? { test } : {}) } });
  } finally {
    executor.dispose();
  }
}

function messageOf(error: unknown): string {
  if (error && typeof error === "object" && "format" in error && typeof (error as { format: unknown }).format === "function") {
    return (error as { format(): string }).format();
  }
  return error instanceof Error ? error.message : String(error);
}

/** The child's side: one `TrialJob` in, messages out, exit. */
function serve(): void {
  const send = (message: TrialMessage) => process.send?.(message);
  process.on("disconnect", () => process.exit(0));
  process.once("message", (job: TrialJob) => {
    runTrial(job, send).then(
      () => process.disconnect(),
      (error: unknown) => {
        send({ kind: "failed", message: messageOf(error) });
        process.disconnect();
      },
    );
  });
}

if (process.send && process.env.SIMC_TRIAL_PROCESS === "1") serve();
