/**
 * The files of a run directory besides the checkpoint: `model.ir.json` (the compiled model,
 * written before each checkpoint, so that `simc export RUN` needs nothing else),
 * `metrics.jsonl` (one JSON object per epoch) and `loss.svg` (train and validation loss by
 * epoch). All are rewritten whole and atomically after every epoch, so a resumed run never
 * carries lines from an epoch whose checkpoint was lost.
 */
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic-write.js";
import { serializeIR } from "../ir/serialize.js";
import type { IRModule } from "../ir/types.js";
import { lineChartSvg } from "./plot.js";
import type { EpochRecord } from "./train/types.js";

export const METRICS_FILE = "metrics.jsonl";
/** The compiled model the run trains (IR JSON), so the run can be evaluated or exported on its own. */
export const RUN_MODEL_FILE = "model.ir.json";
export const PLOT_FILE = "loss.svg";

export function metricsLines(history: readonly EpochRecord[]): string {
  return history.map((record) => JSON.stringify(record)).join("\n") + (history.length ? "\n" : "");
}

export function lossPlot(history: readonly EpochRecord[], title: string): string {
  const train = { label: "train loss", color: "#1f77b4", points: history.map((r) => ({ x: r.epoch, y: r.trainLoss })) };
  const validation = {
    label: "validation loss",
    color: "#ff7f0e",
    points: history.filter((r) => r.valLoss !== undefined).map((r) => ({ x: r.epoch, y: r.valLoss as number })),
  };
  const series = validation.points.length > 0 ? [train, validation] : [train];
  return lineChartSvg(series, { title, xLabel: "epoch", yLabel: "loss" });
}

export function writeRunFiles(dir: string, history: readonly EpochRecord[], title: string): void {
  writeFileAtomic(join(dir, METRICS_FILE), metricsLines(history));
  writeFileAtomic(join(dir, PLOT_FILE), lossPlot(history, title));
}

export function writeRunModel(dir: string, module: IRModule): void {
  writeFileAtomic(join(dir, RUN_MODEL_FILE), serializeIR(module));
}
