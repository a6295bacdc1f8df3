/**
 * Run directories read back for comparison (`simc runs`): which runs there are under a
 * directory, and for each its model, target, settings, best validation result, test result and
 * time. Runs written before `settings.json` existed are read from their checkpoint manifest.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { MANIFEST_FILE, type CheckpointManifest } from "./checkpoint.js";
import { holdsRun } from "./run-dir.js";
import { readEpochRecords, readRunJson, SETTINGS_FILE, TEST_FILE, type RunSettings, type TestRecord } from "./run-files.js";
import type { TrainConfig } from "./train/config.js";
import type { EpochRecord } from "./train/types.js";

export interface RunSummary {
  /** Path relative to the directory searched (`.` for the directory itself). */
  name: string;
  dir: string;
  model: string;
  target: string;
  backend?: string;
  /** Settings flattened to `key → value text` (`optimizer.lr → 0.001`). */
  settings: Record<string, string>;
  epochs: { done: number; planned: number };
  /** The best epoch by validation: accuracy, else PSNR, else lowest loss. */
  bestValidation?: {
    epoch: number;
    metric: "accuracy" | "psnr" | "loss";
    value: number;
  };
  test?: { metric: "accuracy" | "psnr" | "loss"; value: number; loss: number };
  /** Seconds spent in training epochs. */
  seconds: number;
  startedAt?: string;
}

/** Every run under `root` (itself included), at most `depth` directory levels down, sorted by path. */
export function findRuns(root: string, depth = 3): string[] {
  const found: string[] = [];
  const walk = (dir: string, level: number) => {
    if (holdsRun(dir)) found.push(dir);
    if (level >= depth) return;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries.sort()) {
      if (entry.startsWith(".") || entry === "node_modules") continue;
      const path = join(dir, entry);
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) walk(path, level + 1);
    }
  };
  if (existsSync(root)) walk(root, 0);
  return found;
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/**
 * `{ optimizer: { kind: "adam", lr: 0.001 } }` → `optimizer → adam(lr: 0.001)` and
 * `optimizer.lr → 0.001`: a setting with a kind both whole and by its parts, names as in specs.
 */
export function flattenSettings(config: TrainConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (value !== null && typeof value === "object" && "kind" in value) {
      const { kind, ...parts } = value as Record<string, unknown>;
      const entries = Object.entries(parts).filter(([, v]) => v !== undefined);
      out[snake(key)] = `${text(kind)}(${entries.map(([k, v]) => `${snake(k)}: ${text(v)}`).join(", ")})`;
      for (const [k, v] of entries) out[`${snake(key)}.${snake(k)}`] = text(v);
    } else {
      out[snake(key)] = text(value);
    }
  }
  return out;
}

function bestValidation(history: readonly EpochRecord[]): RunSummary["bestValidation"] {
  const pick = (metric: "accuracy" | "psnr" | "loss", read: (r: EpochRecord) => number | undefined, higher: boolean) => {
    let best: RunSummary["bestValidation"];
    for (const r of history) {
      const value = read(r);
      if (value === undefined || !Number.isFinite(value)) continue;
      if (!best || (higher ? value > best.value : value < best.value)) best = { epoch: r.epoch, metric, value };
    }
    return best;
  };
  return pick("accuracy", (r) => r.valAccuracy, true) ?? pick("psnr", (r) => r.valPsnr, true) ?? pick("loss", (r) => r.valLoss, false);
}

export function readRunSummary(dir: string, root: string): RunSummary | undefined {
  const settings = readRunJson<RunSettings>(dir, SETTINGS_FILE);
  const manifest = readRunJson<CheckpointManifest>(dir, MANIFEST_FILE);
  const config = settings?.settings ?? manifest?.config;
  const model = settings?.model ?? manifest?.model;
  if (!config || !model) return undefined;
  const history = manifest?.history.slice(0, manifest.epoch) ?? readEpochRecords(dir);
  const test = readRunJson<TestRecord>(dir, TEST_FILE);
  const summary: RunSummary = {
    name: relative(root, dir) || ".",
    dir,
    model,
    target: settings?.target ?? manifest?.target ?? "?",
    settings: flattenSettings(config),
    epochs: { done: history.length, planned: config.epochs },
    seconds: test?.wallSeconds ?? history.reduce((sum, r) => sum + r.seconds, 0),
  };
  if (settings) {
    summary.backend = settings.backend.name;
    summary.startedAt = settings.startedAt;
  }
  const best = bestValidation(history);
  if (best) summary.bestValidation = best;
  if (test) {
    const metric = test.accuracy !== undefined ? "accuracy" : test.psnr !== undefined ? "psnr" : "loss";
    summary.test = {
      metric,
      value: test.accuracy ?? test.psnr ?? test.loss,
      loss: test.loss,
    };
  }
  return summary;
}

/**
 * The setting keys whose values are not the same in every run (a key some runs lack differs).
 * A setting whose kind differs (onecycle vs cosine) is shown whole; otherwise only its parts
 * that differ (`optimizer.lr`).
 */
export function differingSettings(runs: readonly RunSummary[]): string[] {
  const differs = (key: string) => new Set(runs.map((r) => r.settings[key] ?? "—")).size > 1;
  const kindOf = (value: string | undefined) => value?.slice(0, Math.max(value.indexOf("("), 0)) ?? "—";
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.settings)))].filter(differs);
  // Settings with a kind (written `kind(parts)` by flattenSettings).
  const whole = new Set(keys.filter((key) => !key.includes(".") && runs.some((r) => /^\w+\(/.test(r.settings[key] ?? ""))));
  return keys
    .filter((key) => {
      const group = key.split(".")[0];
      if (!whole.has(group)) return true;
      const kindDiffers = new Set(runs.map((r) => kindOf(r.settings[group]))).size > 1;
      return key.includes(".") ? !kindDiffers : kindDiffers;
    })
    .sort();
}
