/**
 * `simc analyze SPEC|RUN`: the Koopman spectrum of a model's dynamics. The DEQ target (the
 * default; a SIM's derived cell) is iterated from z = 0 on test inputs and analysed by EDMD with
 * residuals; the SIM target reports how close its lift C·B (or E·D) is to a projection. A run
 * directory brings its weights (and names its spec); `--plot` draws the eigenvalues, `--json`
 * prints a versioned document on stdout and nothing else there.
 */
import { existsSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import type * as tf from "../../runtime/tf.js";
import { Matrix } from "ml-matrix";
import { eigenvaluePlotSpec } from "../../charts/eigenvalue-plot.js";
import { renderChart } from "../../charts/render.js";
import { DEFAULT_THRESHOLDS } from "../../analysis/classify.js";
import { DICTIONARY_FORMS, parseDictionary } from "../../analysis/dictionary.js";
import { DEFAULT_RIDGE } from "../../analysis/edmd.js";
import { AnalysisError } from "../../analysis/errors.js";
import { liftReport, type LiftReport } from "../../analysis/lift.js";
import { ANALYSIS_JSON_VERSION, liftLines, spectrumTable, type AnalysisDocument } from "../../analysis/report.js";
import { analyzeTrajectories, type SpectrumAnalysis } from "../../analysis/spectrum.js";
import { iterateCell, type Damping, type IteratedTrajectories } from "../../analysis/trajectories.js";
import { ANALYSIS_CODES } from "../../core/codes/analysis.js";
import { writeFileAtomic } from "../../core/atomic-write.js";
import type { Value } from "../../compiler/checked-model.js";
import { initBackend } from "../../runtime/backend/index.js";
import { hasCheckpoint, MANIFEST_FILE, readManifest, restoreCheckpoint, type CheckpointManifest } from "../../runtime/checkpoint.js";
import { createExecutor, type Executor } from "../../runtime/executor.js";
import { householderBasis } from "../../runtime/kernels.js";
import { resolveTrainConfig } from "../../runtime/train/config.js";

import { CommandUsageError, dataBaseDir, loadDataOrFail, loadModuleOrFail, reportFailure, type CliOptions, type ExitCode } from "../command-kit.js";

interface AnalyzeOptions {
  target?: "sim" | "deq";
  model?: string;
  checkpoint?: string;
  spec?: string;
  data?: string;
  samples: number;
  steps: number;
  skip: number;
  rank: number;
  dictionary: string;
  residual: number;
  unit: number;
  ridge: number;
  seed?: number;
  alpha: Damping;
  plot?: string;
  backend?: string;
  json: boolean;
}

const badOption = (problem: string, hint: string) => new AnalysisError(ANALYSIS_CODES.badOption, "", problem, hint);

function count(options: CliOptions, key: string, flag: string, fallback: number, least = 1): number {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < least) throw badOption(`${flag} ${String(raw)} is not a whole number ≥ ${least}`, `write e.g. ${flag} ${fallback}`);
  return value;
}

function positive(options: CliOptions, key: string, flag: string, fallback: number, allowZero = false): number {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw badOption(`${flag} ${String(raw)} is not a ${allowZero ? "non-negative" : "positive"} number`, `write e.g. ${flag} ${fallback}`);
  }
  return value;
}

function text(options: CliOptions, key: string, flag: string): string | undefined {
  const raw = options[key];
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" && typeof raw !== "number") throw new CommandUsageError(`${flag} expects a value`);
  const value = String(raw);
  if (value === "") throw new CommandUsageError(`${flag} expects a value`);
  return value;
}

/** The command's options, checked: a pure function tests can call. */
export function parseAnalyzeOptions(options: CliOptions): AnalyzeOptions {
  const target = text(options, "target", "--target");
  if (target !== undefined && target !== "sim" && target !== "deq") throw badOption(`--target ${target} is neither deq nor sim`, "write --target deq (the dynamics) or --target sim (the lift)");
  const dictionary = text(options, "dictionary", "--dictionary") ?? "state+input:8";
  if (!parseDictionary(dictionary)) {
    throw new AnalysisError(ANALYSIS_CODES.unknownDictionary, "", `--dictionary ${dictionary} names no dictionary`, `write one of ${DICTIONARY_FORMS.join(", ")}`);
  }
  const plot = text(options, "plot", "--plot");
  if (plot !== undefined && ![".svg", ".png"].includes(extname(plot).toLowerCase())) {
    throw badOption(`--plot ${plot} is neither an .svg nor a .png file`, "write --plot spectrum.svg or --plot spectrum.png");
  }
  const seed = options.seed === undefined ? undefined : count(options, "seed", "--seed", 0, 0);
  const alphaText = text(options, "alpha", "--alpha");
  const alpha: Damping = alphaText === undefined ? 1 : alphaText === "auto" ? "auto" : Number(alphaText);
  if (alpha !== "auto" && !(alpha > 0 && alpha <= 1)) throw badOption(`--alpha ${alphaText} is neither auto nor a number in (0, 1]`, "write --alpha 1 (plain iteration), --alpha 0.5 or --alpha auto");
  return {
    target,
    model: text(options, "model", "--model"),
    checkpoint: text(options, "checkpoint", "--checkpoint"),
    spec: text(options, "spec", "--spec"),
    data: text(options, "data", "--data"),
    samples: count(options, "samples", "--samples", 256),
    steps: count(options, "steps", "--steps", 50),
    skip: count(options, "skip", "--skip", 0, 0),
    rank: count(options, "rank", "--rank", 32),
    dictionary,
    residual: positive(options, "residualMax", "--residual-max", DEFAULT_THRESHOLDS.residual),
    unit: positive(options, "unitTol", "--unit-tol", DEFAULT_THRESHOLDS.unit),
    ridge: positive(options, "ridge", "--ridge", DEFAULT_RIDGE, true),
    seed,
    alpha,
    plot,
    backend: text(options, "backend", "--backend"),
    json: options.json === true,
  };
}

/** Which spec and which run directory the positional argument and options name. */
function locate(file: string, o: AnalyzeOptions): { spec: string; run?: string; manifest?: CheckpointManifest } {
  const isDir = existsSync(file) && statSync(file).isDirectory();
  const run = isDir ? file : o.checkpoint;
  if (run === undefined) return { spec: file };
  const dir = resolve(run);
  if (!hasCheckpoint(dir)) {
    throw new AnalysisError(ANALYSIS_CODES.noCheckpoint, dir, `no ${MANIFEST_FILE} here, so no trained weights to analyse`, `train into it first (simc train SPEC --out ${run}), or analyse the spec itself`);
  }
  const manifest = readManifest(dir);
  const spec = isDir ? (o.spec ?? manifest.source) : file;
  if (!spec) {
    throw new AnalysisError(ANALYSIS_CODES.noCheckpoint, dir, "the checkpoint does not name the spec it was trained from", "pass it: simc analyze SPEC --checkpoint DIR");
  }
  return { spec, run: dir, manifest };
}

/**
 * The SIM's projection(s): free pairs (B, C) or (D, E), or an orthogonal QQᵀ from V. Weights are
 * read asynchronously: the webgpu backend has no synchronous read under Node.
 */
async function liftReports(executor: Executor): Promise<LiftReport[]> {
  const names = new Set(executor.parameters.map((p) => p.name));
  const read = async (param: string) => new Matrix((await executor.variable(param).array()) as number[][]);
  const reports: LiftReport[] = [];
  for (const [name, prefix, down, up] of [
    ["C·B", "lift", "B", "C"],
    ["E·D", "embed", "D", "E"],
  ] as const) {
    if (names.has(`${prefix}.${down}`) && names.has(`${prefix}.${up}`)) {
      reports.push(liftReport(name, await read(`${prefix}.${down}`), await read(`${prefix}.${up}`)));
    } else if (names.has(`${prefix}.V`)) {
      const q = householderBasis(executor.variable(`${prefix}.V`) as tf.Tensor2D);
      const basis = new Matrix(await q.array());
      q.dispose();
      reports.push(liftReport(name, basis, basis.transpose()));
    }
  }
  return reports;
}

export async function runAnalyze(file: unknown, options: CliOptions): Promise<ExitCode> {
  const started = performance.now();
  const json = options.json === true;
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  try {
    if (typeof file !== "string" || file === "") throw new CommandUsageError("analyze needs a .sim spec, a compiled .json IR file or a run directory");
    const o = parseAnalyzeOptions(options);
    const { spec, run, manifest } = locate(file, o);
    const target = (manifest?.target as "sim" | "deq" | undefined) ?? o.target ?? "deq";
    if (manifest && o.target && o.target !== manifest.target) {
      throw badOption(`--target ${o.target} differs from the run's target ${manifest.target}`, "drop --target: a run's weights fit only the target it was trained for");
    }
    const backend = await initBackend(o.backend);
    say(`backend: ${backend.detail}`);
    const module = loadModuleOrFail(spec, { model: manifest?.model ?? o.model, target, seed: manifest?.config.seed ?? o.seed });
    const executor = createExecutor(module, { seed: manifest?.config.seed ?? o.seed ?? 0 });
    try {
      if (run) restoreCheckpoint(run, executor);
      say(`model: ${module.model} (${module.target}) from ${spec}${run ? `, weights of epoch ${manifest?.epoch} from ${run}` : ", initialised weights"}`);
      const lift = await liftReports(executor);
      let spectrum: SpectrumAnalysis | null = null;
      let trajectories: IteratedTrajectories | undefined;
      let dataName: string | null = null;
      if (module.target === "deq") {
        const overrides = o.data !== undefined ? { data: o.data as Value } : {};
        const config = manifest ? { ...manifest.config, ...overrides } : resolveTrainConfig(module.train, { ...overrides, seed: o.seed });
        const dataset = await loadDataOrFail(module, config, o.data !== undefined ? process.cwd() : dataBaseDir(spec, module));
        const samples = Math.min(o.samples, dataset.test.count);
        const size = dataset.inputShape.reduce((a, b) => a * b, 1);
        trajectories = await iterateCell(executor, dataset.test.x.subarray(0, samples * size), dataset.inputShape, samples, o.steps, o.alpha);
        if (!trajectories) throw new AnalysisError(ANALYSIS_CODES.nothingToIterate, spec, `model '${module.model}' compiled for ${module.target} has no implicit node`, "analyse it with --target deq");
        dataName = dataset.name;
        const how = trajectories.alpha === 1 ? "plain iteration" : `averaged iteration, α = ${trajectories.alpha.toPrecision(4)}`;
        say(`trajectories: ${samples} test inputs of ${dataset.name}, z₀ = 0, ${trajectories.steps} steps of the cell (${how}; ${trajectories.seconds.toFixed(1)} s)`);
        if (trajectories.steps < trajectories.requestedSteps) say(`  the states left every bounded set after ${trajectories.steps} steps; the pairs stop there`);
        const dictionary = parseDictionary(o.dictionary)!;
        spectrum = analyzeTrajectories(trajectories, {
          dictionary,
          rank: o.rank,
          ridge: o.ridge,
          thresholds: { ...DEFAULT_THRESHOLDS, residual: o.residual, unit: o.unit },
          seed: o.seed ?? 0,
          skip: o.skip,
        });
        const captured = spectrum.state.captured;
        say(
          `EDMD: dictionary ${spectrum.dictionary}, ${spectrum.observables} observables on ${spectrum.state.coordinates} of ${spectrum.state.dim} state coordinates ` +
            `(${(100 * captured).toFixed(2)}% of the state's variance), ${spectrum.pairs} snapshot pairs, ridge ${spectrum.ridge}`,
        );
        say("");
        say(spectrumTable(spectrum));
        say("");
        say(spectrum.verdict.summary);
      } else if (lift.length === 0) {
        throw new AnalysisError(ANALYSIS_CODES.noLift, spec, `model '${module.model}' has no Koopman lift C·B or E·D`, "analyse its dynamics with --target deq");
      }
      for (const report of lift) liftLines(report).forEach((line) => say(line));
      let plot: string | null = null;
      if (o.plot && spectrum) {
        const format = extname(o.plot).toLowerCase() === ".png" ? "png" : "svg";
        const chart = eigenvaluePlotSpec(spectrum.eigen, {
          title: `${module.model}: Koopman eigenvalues (${spectrum.dictionary}, case ${spectrum.verdict.case})`,
        });
        plot = resolve(o.plot);
        writeFileAtomic(plot, renderChart(chart, format));
        say(`plot: ${plot}`);
      } else if (o.plot && lift.length > 0) {
        const format = extname(o.plot).toLowerCase() === ".png" ? "png" : "svg";
        const values = lift[0].eigenvalues.map((v) => ({ ...v, role: Math.hypot(v.re - 1, v.im) < 1e-3 ? "fixed point" : "decay", amplitude: 1, residual: 0 }));
        plot = resolve(o.plot);
        writeFileAtomic(plot, renderChart(eigenvaluePlotSpec(values, { title: `${module.model}: eigenvalues of ${lift[0].name}` }), format));
        say(`plot: ${plot}`);
      }
      const wallSeconds = (performance.now() - started) / 1000;
      say(`wall time ${wallSeconds.toFixed(1)} s`);
      if (json) {
        const document: AnalysisDocument = {
          version: ANALYSIS_JSON_VERSION,
          model: module.model,
          target: module.target,
          source: { spec: resolve(spec), checkpoint: run ?? null, epoch: manifest?.epoch ?? null },
          data: dataName && trajectories ? { name: dataName, samples: trajectories.count } : null,
          trajectories: trajectories
            ? { steps: trajectories.steps, requestedSteps: trajectories.requestedSteps, alpha: trajectories.alpha, seconds: trajectories.seconds }
            : null,
          spectrum,
          lift,
          plot,
          wallSeconds,
        };
        process.stdout.write(`${JSON.stringify(document, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`);
      }
      return 0;
    } finally {
      executor.dispose();
    }
  } catch (error) {
    return reportFailure("analyze", error, typeof file === "string" ? file : "", json);
  }
}
