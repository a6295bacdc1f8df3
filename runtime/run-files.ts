/**
 * The files of a run directory besides the checkpoint:
 *
 *   settings.json          resolved settings, backend, model and spec (text hash), data sizes
 *   spec.sim | model.json  the spec's text (or the compiled IR) the run was started from
 *   model.ir.json          the compiled model, written before each checkpoint (`simc export RUN`)
 *   metrics.jsonl / .csv   one record per epoch
 *   steps.jsonl / .csv     one record per optimiser step
 *   test.json              test metrics and timings, once the run has finished
 *   loss.svg, accuracy.svg, lr.svg, and for DEQs solver-steps.svg and solver-residual.svg
 *
 * Metrics and plots are rewritten whole and atomically after every epoch, so a resumed run
 * never carries lines from an epoch whose checkpoint was lost.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic-write.js";
import { serializeIR } from "../ir/serialize.js";
import type { IRModule } from "../ir/types.js";
import type { ModelFingerprint } from "../ir/fingerprint.js";
import type { SolverSummary } from "./metrics.js";
import { lineChartSvg, type Series } from "./plot.js";
import type { TrainConfig } from "./train/config.js";
import type { EpochRecord, StepRecord } from "./train/types.js";

export const METRICS_FILE = "metrics.jsonl";
export const METRICS_CSV = "metrics.csv";
export const STEPS_FILE = "steps.jsonl";
export const STEPS_CSV = "steps.csv";
export const SETTINGS_FILE = "settings.json";
export const TEST_FILE = "test.json";
/** The compiled model the run trains (IR JSON), so the run can be evaluated or exported on its own. */
export const RUN_MODEL_FILE = "model.ir.json";
export const PLOT_FILE = "loss.svg";
export const ACCURACY_PLOT = "accuracy.svg";
export const LR_PLOT = "lr.svg";
export const SOLVER_STEPS_PLOT = "solver-steps.svg";
export const SOLVER_RESIDUAL_PLOT = "solver-residual.svg";
export const RUN_FILES_VERSION = 1;
/** The copy of what the run was started from: a spec's text, or compiled IR. */
export const SPEC_COPIES = ["spec.sim", "model.json"];

export function specCopyName(file: string): string {
  return file.toLowerCase().endsWith(".json") ? SPEC_COPIES[1] : SPEC_COPIES[0];
}

/** What a run was started with: enough to compare it with other runs and to reproduce it. */
export interface RunSettings {
  version: typeof RUN_FILES_VERSION;
  model: string;
  target: string;
  variant?: string;
  /** The file the run was started from, the SHA-256 of its text, and the copy kept here. */
  spec: { file: string; sha256: string; copy: string };
  backend: { name: string; detail: string };
  /** Every training setting as the run used it (spec, then command line, then defaults). */
  settings: TrainConfig;
  /** The settings given on the command line, as written. */
  commandLine: Record<string, string>;
  parameters: { trainable: number; frozen: number };
  /** The model's structure and initialisation, hashed (`eval` refuses a spec that differs). */
  fingerprint: ModelFingerprint;
  data: { name: string; train: number; validation: number; test: number };
  startedAt: string;
}

/** The test set's metrics at the end of a run, and what the run cost. */
export interface TestRecord {
  version: typeof RUN_FILES_VERSION;
  loss: number;
  accuracy?: number;
  psnr?: number;
  count: number;
  solver?: SolverSummary;
  epochs: number;
  steps: number;
  msPerStep: number;
  wallSeconds: number;
  finishedAt: string;
}

export interface RunFilesContent {
  history: readonly EpochRecord[];
  steps: readonly StepRecord[];
  title: string;
}

const jsonLines = (records: readonly object[]) => records.map((r) => JSON.stringify(r)).join("\n") + (records.length ? "\n" : "");

export function metricsLines(history: readonly EpochRecord[]): string {
  return jsonLines(history);
}

type Cell = number | string | undefined;

/** RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled. */
function csvField(value: Cell): string {
  if (value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(columns: readonly string[], rows: readonly Cell[][]): string {
  return [columns, ...rows].map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}

const EPOCH_COLUMNS = [
  "epoch",
  "step",
  "lr",
  "train_loss",
  "train_accuracy",
  "val_loss",
  "val_accuracy",
  "val_psnr",
  "val_seconds",
  "solver_steps",
  "solver_not_converged",
  "solver_rel_residual",
  "solver_abs_residual",
  "backward_steps",
  "backward_not_converged",
  "backward_rel_residual",
  "backward_abs_residual",
  "seconds",
];

export function metricsCsv(history: readonly EpochRecord[]): string {
  const rows = history.map((r): Cell[] => {
    const s = r.solver;
    const b = s?.backward;
    return [
      r.epoch,
      r.step,
      r.lr,
      r.trainLoss,
      r.trainAccuracy,
      r.valLoss,
      r.valAccuracy,
      r.valPsnr,
      r.valSeconds,
      s?.meanSteps,
      s?.notConverged,
      s?.maxRelResidual,
      s?.maxAbsResidual,
      b?.meanSteps,
      b?.notConverged,
      b?.maxRelResidual,
      b?.maxAbsResidual,
      r.seconds,
    ];
  });
  return csvText(EPOCH_COLUMNS, rows);
}

const STEP_COLUMNS = [
  "epoch",
  "step",
  "lr",
  "loss",
  "accuracy",
  "solver_steps",
  "solver_rel_residual",
  "solver_abs_residual",
  "backward_steps",
  "backward_rel_residual",
  "backward_abs_residual",
];

export function stepsCsv(steps: readonly StepRecord[]): string {
  const rows = steps.map((r): Cell[] => {
    const s = r.solver;
    const b = s?.backward;
    return [r.epoch, r.step, r.lr, r.loss, r.accuracy, s?.steps, s?.relResidual, s?.absResidual, b?.steps, b?.relResidual, b?.absResidual];
  });
  return csvText(STEP_COLUMNS, rows);
}

/** At most `limit` points: consecutive points averaged in equal buckets (keeps long runs' plots small). */
function thin(points: { x: number; y: number }[], limit = 1000): { x: number; y: number }[] {
  if (points.length <= limit) return points;
  const size = Math.ceil(points.length / limit);
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    out.push({
      x: bucket[bucket.length - 1].x,
      y: bucket.reduce((a, p) => a + p.y, 0) / bucket.length,
    });
  }
  return out;
}

const COLORS = {
  step: "#aec7e8",
  train: "#1f77b4",
  validation: "#ff7f0e",
  backward: "#d62728",
  extra: "#2ca02c",
  extra2: "#9467bd",
};

function series(label: string, color: string, points: { x: number; y: number }[]): Series {
  return { label, color, points: thin(points) };
}

const present = (s: Series) => s.points.length > 0;

/** Loss by optimiser step: every step's batch loss, the epoch means and the validation loss. */
export function lossPlot(history: readonly EpochRecord[], title: string, steps: readonly StepRecord[] = []): string {
  const all = [
    series(
      "step loss",
      COLORS.step,
      steps.map((s) => ({ x: s.step, y: s.loss })),
    ),
    series(
      "train loss",
      COLORS.train,
      history.map((r) => ({ x: r.step, y: r.trainLoss })),
    ),
    series(
      "validation loss",
      COLORS.validation,
      history.filter((r) => r.valLoss !== undefined).map((r) => ({ x: r.step, y: r.valLoss as number })),
    ),
  ].filter(present);
  return lineChartSvg(all, { title, xLabel: "step", yLabel: "loss" });
}

function accuracyPlot(history: readonly EpochRecord[], steps: readonly StepRecord[], title: string): string {
  const all = [
    series(
      "step accuracy",
      COLORS.step,
      steps.filter((s) => s.accuracy !== undefined).map((s) => ({ x: s.step, y: s.accuracy as number })),
    ),
    series(
      "train accuracy",
      COLORS.train,
      history.filter((r) => r.trainAccuracy !== undefined).map((r) => ({ x: r.step, y: r.trainAccuracy as number })),
    ),
    series(
      "validation accuracy",
      COLORS.validation,
      history.filter((r) => r.valAccuracy !== undefined).map((r) => ({ x: r.step, y: r.valAccuracy as number })),
    ),
  ].filter(present);
  return lineChartSvg(all, { title, xLabel: "step", yLabel: "accuracy" });
}

function lrPlot(steps: readonly StepRecord[], title: string): string {
  return lineChartSvg(
    [
      series(
        "learning rate",
        COLORS.train,
        steps.map((s) => ({ x: s.step, y: s.lr })),
      ),
    ],
    {
      title,
      xLabel: "step",
      yLabel: "learning rate",
    },
  );
}

function solverStepsPlot(steps: readonly StepRecord[], title: string): string {
  const all = [
    series(
      "forward",
      COLORS.train,
      steps.filter((s) => s.solver).map((s) => ({ x: s.step, y: s.solver!.steps })),
    ),
    series(
      "backward",
      COLORS.backward,
      steps.filter((s) => s.solver?.backward).map((s) => ({ x: s.step, y: s.solver!.backward!.steps })),
    ),
  ].filter(present);
  return lineChartSvg(all, {
    title,
    xLabel: "step",
    yLabel: "solver iterations",
  });
}

function solverResidualPlot(steps: readonly StepRecord[], title: string): string {
  const solved = steps.filter((s) => s.solver);
  const backward = solved.filter((s) => s.solver!.backward);
  const all = [
    series(
      "forward relative",
      COLORS.train,
      solved.map((s) => ({ x: s.step, y: s.solver!.relResidual })),
    ),
    series(
      "forward absolute",
      COLORS.extra,
      solved.map((s) => ({ x: s.step, y: s.solver!.absResidual })),
    ),
    series(
      "backward relative",
      COLORS.backward,
      backward.map((s) => ({ x: s.step, y: s.solver!.backward!.relResidual })),
    ),
    series(
      "backward absolute",
      COLORS.extra2,
      backward.map((s) => ({ x: s.step, y: s.solver!.backward!.absResidual })),
    ),
  ].filter(present);
  return lineChartSvg(all, {
    title,
    xLabel: "step",
    yLabel: "largest residual in the batch",
  });
}

/** Rewrites every metrics file and plot from the run's records so far. */
export function writeRunFiles(dir: string, content: RunFilesContent): void {
  const { history, steps, title } = content;
  writeFileAtomic(join(dir, METRICS_FILE), metricsLines(history));
  writeFileAtomic(join(dir, METRICS_CSV), metricsCsv(history));
  writeFileAtomic(join(dir, STEPS_FILE), jsonLines(steps));
  writeFileAtomic(join(dir, STEPS_CSV), stepsCsv(steps));
  writeFileAtomic(join(dir, PLOT_FILE), lossPlot(history, title, steps));
  writeFileAtomic(join(dir, LR_PLOT), lrPlot(steps, title));
  if (steps.some((s) => s.accuracy !== undefined)) writeFileAtomic(join(dir, ACCURACY_PLOT), accuracyPlot(history, steps, title));
  if (steps.some((s) => s.solver)) {
    writeFileAtomic(join(dir, SOLVER_STEPS_PLOT), solverStepsPlot(steps, title));
    writeFileAtomic(join(dir, SOLVER_RESIDUAL_PLOT), solverResidualPlot(steps, title));
  }
}

/** The records of a JSON-lines file; a damaged line (a crash mid-write) is skipped. */
function readJsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  const records: T[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch {
      // the other records still count
    }
  }
  return records;
}

/** The step records of an earlier run in `dir` up to `lastStep` (a resumed run continues them). */
export function readStepRecords(dir: string, lastStep: number): StepRecord[] {
  return readJsonLines<StepRecord>(join(dir, STEPS_FILE)).filter((r) => typeof r.step === "number" && r.step <= lastStep);
}

export function readEpochRecords(dir: string): EpochRecord[] {
  return readJsonLines<EpochRecord>(join(dir, METRICS_FILE));
}

export function writeRunSettings(dir: string, settings: RunSettings): void {
  writeFileAtomic(join(dir, SETTINGS_FILE), `${JSON.stringify(settings, null, 2)}\n`);
}

export function writeTestRecord(dir: string, record: TestRecord): void {
  writeFileAtomic(join(dir, TEST_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** A JSON file of a run directory, or undefined when it is missing or unreadable. */
export function readRunJson<T>(dir: string, file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, file), "utf8")) as T;
  } catch {
    return undefined;
  }
}

export function writeRunModel(dir: string, module: IRModule): void {
  writeFileAtomic(join(dir, RUN_MODEL_FILE), serializeIR(module));
}
