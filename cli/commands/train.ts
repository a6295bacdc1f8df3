/**
 * `simc train SPEC|IR`: compile (or read) a model, load its data, train it with progress,
 * per-epoch metrics, atomic checkpoints (`--resume` continues a killed run), and report the
 * test metrics. `--json` prints only a final versioned document on stdout.
 * Exit codes: 0 trained, 1 problems in the input (spec, data, divergence), 2 usage.
 */
import { parseDataArgument } from "../../compiler/data-argument.js";
import { resolve } from "node:path";
import { initBackend } from "../../runtime/backend/index.js";
import type { Dataset } from "../../runtime/data/types.js";
import { createExecutor } from "../../runtime/executor.js";
import { chooseReporter } from "../../runtime/progress.js";
import { writeReconstruction } from "../../runtime/reconstruct.js";
import { resolveTrainConfig, type TrainConfig, type TrainOverrides } from "../../runtime/train/config.js";
import { train } from "../../runtime/train/train.js";
import { CommandUsageError, dataBaseDir, reportFailure, loadDataOrFail, loadModuleOrFail, type CliOptions, type ExitCode } from "../command-kit.js";

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
  resume: boolean;
  json: boolean;
}

function integerOption(options: CliOptions, key: string, flag: string, min: number): number | undefined {
  const raw = options[key];
  if (raw === undefined) return undefined;
  const value = typeof raw === "number" ? raw : Number(raw);
  if (typeof raw === "boolean" || !Number.isInteger(value) || value < min) {
    throw new CommandUsageError(`--${flag} expects an integer ≥ ${min}, got '${String(raw)}'`);
  }
  return value;
}

function stringOption(options: CliOptions, key: string, flag: string): string | undefined {
  const raw = options[key];
  if (raw === undefined) return undefined;
  if (typeof raw === "boolean" || raw === "") throw new CommandUsageError(`--${flag} expects a value`);
  return String(raw);
}

/** Validates the command line; throws `CommandUsageError` with what is wrong. */
export function parseTrainOptions(options: CliOptions): TrainCommandOptions {
  const target = stringOption(options, "target", "target");
  if (target !== undefined && target !== "sim" && target !== "deq") {
    throw new CommandUsageError(`--target must be sim or deq, got '${target}'`);
  }
  const lrRaw = options.lr;
  let lr: number | undefined;
  if (lrRaw !== undefined) {
    lr = typeof lrRaw === "number" ? lrRaw : Number(lrRaw);
    if (typeof lrRaw === "boolean" || !Number.isFinite(lr) || lr <= 0)
      throw new CommandUsageError(`--lr expects a positive number, got '${String(lrRaw)}'`);
  }
  return {
    target,
    model: stringOption(options, "model", "model"),
    data: stringOption(options, "data", "data"),
    epochs: integerOption(options, "epochs", "epochs", 1),
    batch: integerOption(options, "batch", "batch", 0),
    lr,
    limit: integerOption(options, "limit", "limit", 0),
    seed: integerOption(options, "seed", "seed", 0),
    validateEvery: integerOption(options, "validateEvery", "validate-every", 0),
    backend: stringOption(options, "backend", "backend"),
    out: stringOption(options, "out", "out"),
    resume: options.resume === true,
    json: options.json === true,
  };
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

export async function runTrain(file: unknown, options: CliOptions): Promise<ExitCode> {
  const started = performance.now();
  let json = options.json === true;
  // Human-readable lines go to stdout, or to stderr when stdout carries the JSON document.
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  try {
    if (typeof file !== "string" || file === "") throw new CommandUsageError("train needs a .sim spec or a compiled .json IR file");
    const o = parseTrainOptions(options);
    json = o.json;
    const backend = await initBackend(o.backend);
    say(`backend: ${backend.detail}`);

    const module = loadModuleOrFail(file, { model: o.model, target: o.target, seed: o.seed });
    const overrides: TrainOverrides = { epochs: o.epochs, batch: o.batch, lr: o.lr, limit: o.limit, seed: o.seed, validateEvery: o.validateEvery };
    // The same rule as `data:` in a spec: a name, a call or a path (relative to the current directory).
    if (o.data !== undefined) overrides.data = parseDataArgument(o.data);
    const config = resolveTrainConfig(module.train, overrides);
    const dataset = await loadDataOrFail(module, config, o.data !== undefined ? process.cwd() : dataBaseDir(file, module));
    const outDir = resolve(o.out ?? `runs/${module.model}-${module.target}`);

    say(
      `model: ${module.model} (${module.target}${module.variant ? `, ${module.variant}` : ""}) — ${thousands(module.trainableParams)} trainable, ${thousands(module.frozenParams)} frozen parameters`,
    );
    say(describeData(dataset));
    say(`${describeOptimizer(config)} → ${outDir}`);

    const executor = createExecutor(module, { seed: config.seed });
    try {
      const result = await train({ executor, dataset, config, outDir, resume: o.resume, reporter: chooseReporter(json, say) });
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
      say(
        `wall time ${wallSeconds.toFixed(1)} s (${result.steps} steps: median ${result.medianStepMs.toFixed(0)} ms/step after the first, ` +
          `first ${result.firstStepMs.toFixed(0)} ms, mean ${result.msPerStep.toFixed(0)} ms)`,
      );
      if (json) {
        const metrics: Record<string, number> = {};
        if (test?.accuracy !== undefined) metrics.accuracy = test.accuracy;
        if (test?.psnr !== undefined) metrics.psnr = test.psnr;
        if (test) metrics.loss = test.loss;
        const last = result.history[result.history.length - 1];
        const document = {
          version: 1,
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
  }
}
