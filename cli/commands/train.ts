/**
 * `simc train SPEC|IR`: compile (or read) a model, load its data, train it with progress,
 * per-step and per-epoch metrics, atomic checkpoints (`--resume` continues a killed run), and
 * report the test metrics. Every run gets its own directory (`runtime/run-dir.ts`) recording its
 * settings and results. `--set KEY=VALUE` overrides any train setting, checked like the spec.
 * `--json` prints only a final versioned document on stdout, an error document on failure.
 * Exit codes: 0 trained, 1 problems in the input (spec, data, divergence), 2 usage.
 */
import { parseDataArgument } from "../../compiler/data-argument.js";
import { resolve } from "node:path";
import { initBackend } from "../../runtime/backend/index.js";
import type { Dataset } from "../../runtime/data/types.js";
import { createExecutor } from "../../runtime/executor.js";
import { chooseReporter, DEFAULT_PROGRESS_SECONDS } from "../../runtime/progress.js";
import { chooseRunDir } from "../../runtime/run-dir.js";
import { beginRunRecord, finishRunRecord } from "../../runtime/run-record.js";
import { writeReconstruction } from "../../runtime/reconstruct.js";
import { resolveTrainConfig, type TrainConfig, type TrainOverrides } from "../../runtime/train/config.js";
import { train, type TrainResult } from "../../runtime/train/train.js";
import { prepareOutputDirectory } from "../../core/output-path.js";
import { defaultBudget, requireWithinBudget } from "../../runtime/memory-budget.js";
import { lockRunDirectory, type RunLock } from "../../runtime/run-lock.js";
import { CommandUsageError, dataBaseDir, reportFailure, loadDataOrFail, loadModuleOrFail, type CliOptions, type ExitCode } from "../command-kit.js";
import { booleanFlag, byteSizeFlag, integerFlag, positiveNumberFlag, SEED_RULE, stringFlag } from "../flags.js";

export interface TrainCommandOptions {
  target?: "sim" | "deq";
  model?: string;
  data?: string;
  epochs?: number;
  batch?: number;
  lr?: number;
  limit?: number;
  seed?: number;
  validateEvery?: number;
  backend?: string;
  out?: string;
  /** Memory budget in bytes (default: a fraction of the machine's memory). */
  memory?: number;
  resume: boolean;
  resumeAnyway: boolean;
  /** Replace the run in `--out` (or the series' first directory). */
  overwrite: boolean;
  /** `KEY=VALUE` train settings. */
  set: string[];
  /** Seconds between progress lines when the output is not a terminal. */
  progressEvery: number;
  json: boolean;
}

/** Validates the command line; throws `CommandUsageError` with what is wrong. */
export function parseTrainOptions(options: CliOptions): TrainCommandOptions {
  const target = stringFlag(options, "target", "target");
  if (target !== undefined && target !== "sim" && target !== "deq") {
    throw new CommandUsageError(`--target must be sim or deq, got '${target}'`);
  }
  const rawSet = options.set === undefined ? [] : Array.isArray(options.set) ? options.set : [options.set];
  const set = rawSet.map((entry) => {
    const text = typeof entry === "string" ? entry : String(entry);
    if (!/^\s*[A-Za-z_][A-Za-z0-9_]*\s*=/.test(text)) {
      throw new CommandUsageError(`--set expects KEY=VALUE (a train setting), got '${text}'; e.g. --set 'schedule=cosine(min_lr: 1e-5)'`);
    }
    return text;
  });
  const overwrite = booleanFlag(options, "overwrite", "overwrite");
  const resume = booleanFlag(options, "resume", "resume") || booleanFlag(options, "resumeAnyway", "resume-anyway");
  if (resume && overwrite) throw new CommandUsageError("--resume and --overwrite exclude each other");
  return {
    target,
    model: stringFlag(options, "model", "model"),
    data: stringFlag(options, "data", "data"),
    epochs: integerFlag(options, "epochs", "epochs", { min: 1 }),
    batch: integerFlag(options, "batch", "batch", { min: 0, note: "0 trains on the whole training set as one batch" }),
    lr: positiveNumberFlag(options, "lr", "lr"),
    limit: integerFlag(options, "limit", "limit", { min: 1, note: "leave --limit out to use every example" }),
    seed: integerFlag(options, "seed", "seed", SEED_RULE),
    validateEvery: integerFlag(options, "validateEvery", "validate-every", { min: 0, note: "0 keeps the default: every epoch of mini-batch training, by time for full-batch training" }),
    backend: stringFlag(options, "backend", "backend"),
    out: stringFlag(options, "out", "out"),
    memory: byteSizeFlag(options, "memory", "memory"),
    resume,
    resumeAnyway: booleanFlag(options, "resumeAnyway", "resume-anyway"),
    overwrite,
    set,
    progressEvery: positiveNumberFlag(options, "progressEvery", "progress-every") ?? DEFAULT_PROGRESS_SECONDS,
    json: booleanFlag(options, "json", "json"),
  };
}

/** The options a user gave, as written, for the run's record. */
function commandLineOf(o: TrainCommandOptions): Record<string, string> {
  const given: Record<string, string> = {};
  const plain = { target: o.target, model: o.model, data: o.data, epochs: o.epochs, batch: o.batch, lr: o.lr, limit: o.limit, seed: o.seed };
  for (const [key, value] of Object.entries(plain)) if (value !== undefined) given[key] = String(value);
  for (const entry of o.set) {
    const equals = entry.indexOf("=");
    given[entry.slice(0, equals).trim()] = entry.slice(equals + 1).trim();
  }
  return given;
}

const thousands = (n: number) => n.toLocaleString("en-US");

export function describeData(dataset: Dataset): string {
  const parts = [`${thousands(dataset.train.count)} train`];
  if (dataset.validation && dataset.validation.count > 0) parts.push(`${thousands(dataset.validation.count)} validation`);
  parts.push(`${thousands(dataset.test.count)} test`);
  return `data: ${dataset.name} — ${parts.join(" / ")}${dataset.meta?.split ? `; ${dataset.meta.split}` : ""}`;
}

function describeOptimizer(config: TrainConfig): string {
  const o = config.optimizer;
  const schedule = config.schedule.kind === "onecycle" ? `onecycle (max lr ${config.schedule.maxLr})` : config.schedule.kind;
  const batch = config.batch === 0 ? "full batch" : `batch ${config.batch}`;
  const clip = config.clip === undefined ? "" : `, clip ${config.clip}`;
  return `train: ${o.kind} lr ${o.lr}, ${schedule}, ${batch}, ${config.epochs} epoch${config.epochs === 1 ? "" : "s"}${clip}, seed ${config.seed}`;
}

/** Which ms/step is which: the steady state (median after the first), the first, the mean of all. */
export function describeStepTimes(result: Pick<TrainResult, "steps" | "firstStepMs" | "medianStepMs" | "msPerStep">): string {
  if (result.steps <= 1) return result.steps === 0 ? "no steps" : `1 step, ${result.firstStepMs.toFixed(0)} ms`;
  return (
    `${result.steps} steps: median ${result.medianStepMs.toFixed(0)} ms/step after the first, ` +
    `first ${result.firstStepMs.toFixed(0)} ms, mean of all ${result.msPerStep.toFixed(0)} ms`
  );
}

type ValidationTime = Pick<TrainResult, "validations" | "validationSeconds" | "validationCadence" | "wallSeconds">;

/** Validation's share of the training's wall time, and the rule that set how often it ran. */
export function describeValidationTime(result: ValidationTime): string | undefined {
  if (result.validations === 0) return undefined;
  const share = result.wallSeconds > 0 ? (100 * result.validationSeconds) / result.wallSeconds : 0;
  const passes = `${result.validations} pass${result.validations === 1 ? "" : "es"}`;
  return (
    `validation ${result.validationSeconds.toFixed(1)} s in ${passes}: ${share.toFixed(1)} % of training's ${result.wallSeconds.toFixed(1)} s ` +
    `(${result.validationCadence}; validate_every sets it)`
  );
}

export async function runTrain(file: unknown, options: CliOptions): Promise<ExitCode> {
  const started = performance.now();
  let json = options.json === true;
  // Human-readable lines go to stdout, or to stderr when stdout carries the JSON document.
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  let lock: RunLock | undefined;
  try {
    if (typeof file !== "string" || file === "") throw new CommandUsageError("train needs a .sim spec or a compiled .json IR file", "SIM7204");
    const o = parseTrainOptions(options);
    json = o.json;
    const backend = await initBackend(o.backend);
    say(`backend: ${backend.detail}`);

    const module = loadModuleOrFail(file, { model: o.model, target: o.target, seed: o.seed, trainOverrides: o.set });
    const overrides: TrainOverrides = { epochs: o.epochs, batch: o.batch, lr: o.lr, limit: o.limit, seed: o.seed, validateEvery: o.validateEvery };
    // The same rule as `data:` in a spec: a name, a call or a path (relative to the current directory).
    if (o.data !== undefined) overrides.data = parseDataArgument(o.data);
    const config = resolveTrainConfig(module.train, overrides);
    const budget = o.memory ?? defaultBudget();
    // Parameters first (a batch of one), before the data is read; the real batch once it is known.
    requireWithinBudget(module, "train", 1, budget);
    // The run directory is checked and locked before any work that it would hold; an explicit
    // --out is locked before it is inspected, so a second run into it meets the lock first.
    const requested = o.out === undefined ? undefined : prepareOutputDirectory(o.out);
    if (requested !== undefined) lock = lockRunDirectory(requested);
    const { dir: outDir, replaced } = chooseRunDir({
      out: requested,
      base: resolve(`runs/${module.model}-${module.target}`),
      resume: o.resume,
      overwrite: o.overwrite,
    });
    if (lock === undefined) lock = lockRunDirectory(prepareOutputDirectory(outDir));
    const dataset = await loadDataOrFail(module, config, o.data !== undefined ? process.cwd() : dataBaseDir(file, module));
    requireWithinBudget(module, "train", config.batch > 0 ? Math.min(config.batch, dataset.train.count) : dataset.train.count, budget);
    const runBackend = { name: backend.name, detail: backend.detail };
    beginRunRecord(outDir, { file, module, config, backend: runBackend, dataset, commandLine: commandLineOf(o) });
    if (replaced) say(`replacing the earlier run in ${outDir} (--overwrite)`);

    say(
      `model: ${module.model} (${module.target}${module.variant ? `, ${module.variant}` : ""}) — ${thousands(module.trainableParams)} trainable, ${thousands(module.frozenParams)} frozen parameters`,
    );
    say(describeData(dataset));
    say(`${describeOptimizer(config)} → ${outDir}`);

    const executor = createExecutor(module, { seed: config.seed });
    try {
      const result = await train({
        executor,
        dataset,
        config,
        outDir,
        resume: o.resume,
        resumeAnyway: o.resumeAnyway,
        reporter: chooseReporter(json, say, o.progressEvery),
      });
      finishRunRecord(outDir, result);
      const test = result.test;
      let reconstruction: string | undefined;
      if (dataset.meta?.image) reconstruction = await writeReconstruction(outDir, executor, dataset.meta.image);
      const wallSeconds = (performance.now() - started) / 1000;
      if (test) {
        const metric =
          test.accuracy !== undefined
            ? `accuracy ${(100 * test.accuracy).toFixed(2)}%`
            : test.psnr !== undefined
              ? `PSNR ${test.psnr.toFixed(2)} dB`
              : "";
        const solver = test.solver
          ? `  solver ${test.solver.meanSteps.toFixed(1)} steps, ${(100 * test.solver.notConverged).toFixed(2)}% not converged`
          : "";
        say(`test: ${metric}${metric ? "  " : ""}loss ${test.loss.toFixed(4)}  (${thousands(test.count)} examples)${solver}`);
      }
      if (reconstruction) say(`reconstruction: ${reconstruction}`);
      const validationTime = describeValidationTime(result);
      if (validationTime) say(validationTime);
      say(`wall time ${wallSeconds.toFixed(1)} s (${describeStepTimes(result)})`);
      if (json) {
        const metrics: Record<string, number> = {};
        if (test?.accuracy !== undefined) metrics.accuracy = test.accuracy;
        if (test?.psnr !== undefined) metrics.psnr = test.psnr;
        if (test) metrics.loss = test.loss;
        const last = result.history[result.history.length - 1];
        const document = {
          version: 1,
          ok: true,
          model: module.model,
          target: module.target,
          backend: backend.name,
          backendDetail: backend.detail,
          epochs: result.history.length,
          metrics,
          wallSeconds,
          msPerStep: result.msPerStep,
          firstStepMs: result.firstStepMs,
          medianStepMs: result.medianStepMs,
          steps: result.steps,
          resumedFrom: result.resumedFrom,
          parameters: { trainable: module.trainableParams, frozen: module.frozenParams },
          // Every setting the run used, resolved: the same for a spec and its compiled IR.
          settings: config,
          data: {
            name: dataset.name,
            train: dataset.train.count,
            validation: dataset.validation?.count ?? 0,
            test: dataset.test.count,
          },
          validation: last ? { loss: last.valLoss ?? null, accuracy: last.valAccuracy ?? null, psnr: last.valPsnr ?? null } : null,
          validationTime: {
            passes: result.validations,
            seconds: result.validationSeconds,
            shareOfTraining: result.wallSeconds > 0 ? result.validationSeconds / result.wallSeconds : 0,
            cadence: result.validationCadence,
          },
          solver: test?.solver ?? null,
          outDir,
        };
        process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      }
      return 0;
    } finally {
      executor.dispose();
    }
  } catch (error) {
    return reportFailure("train", error, typeof file === "string" ? file : "", json);
  } finally {
    lock?.release();
  }
}
