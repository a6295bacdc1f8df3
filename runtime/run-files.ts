/**
 * The files of a run directory besides the checkpoint: `metrics.jsonl` (one JSON object per
 * epoch) and `loss.svg` (train and validation loss by epoch). Both are rewritten whole and
 * atomically from the run's history after every epoch, so a resumed run never carries lines
 * from an epoch whose checkpoint was lost.
 */
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic-write.js";
import { lineChartSvg } from "./plot.js";
import type { EpochRecord } from "./train/types.js";

export const METRICS_FILE = "metrics.jsonl";
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
