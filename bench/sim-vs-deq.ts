/**
 * Time per training epoch of the MNIST single-tier SIM, the DEQ derived from the same spec, and
 * the monDEQ baseline, on the same digits with the same batch size, with the solver's mean
 * steps. The paper reports the SIM about ten times faster than the DEQ under the same batch.
 * SIMC_BENCH_DIGITS (default 1024) and SIMC_BENCH_BATCH (default 128) change the workload.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { IRModule } from "../ir/types.js";
import { initBackend } from "../runtime/backend/index.js";
import { loadDataset } from "../runtime/data/index.js";
import type { Dataset } from "../runtime/data/types.js";
import { createExecutor } from "../runtime/executor.js";
import { loadModel } from "../api/load-model.js";
import { resolveTrainConfig } from "../runtime/train/config.js";
import { train } from "../runtime/train/train.js";
import { trainingOnly } from "./simc-train-step.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

interface Row {
  label: string;
  epochSeconds: number;
  msPerStep: number;
  steps: number;
  solverSteps?: number;
  notConverged?: number;
}

function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** The first `count` training examples (views). */
function head(dataset: Dataset, count: number): Dataset {
  const per = dataset.inputShape.reduce((a, b) => a * b, 1);
  const perY = dataset.train.yShape.reduce((a, b) => a * b, 1);
  const train = { ...dataset.train, count, x: dataset.train.x.subarray(0, count * per), y: dataset.train.y.subarray(0, count * perY) };
  return { ...dataset, train };
}

async function timeEpoch(label: string, module: IRModule, dataset: Dataset, batch: number): Promise<Row> {
  const config = resolveTrainConfig(module.train, { epochs: 1, batch, seed: 0 });
  const executor = createExecutor(module, { seed: 0 });
  try {
    // One step first warms up kernels and caches; the epoch after it is measured.
    await train({ executor, dataset: head(dataset, Math.min(batch, dataset.train.count)), config });
    const result = await train({ executor, dataset, config });
    const measured = result.history[0];
    return {
      label,
      epochSeconds: measured.seconds,
      msPerStep: result.msPerStep,
      steps: result.steps,
      solverSteps: measured.solver?.meanSteps,
      notConverged: measured.solver?.notConverged,
    };
  } finally {
    executor.dispose();
  }
}

function load(file: string, target?: "sim" | "deq"): IRModule | string {
  if (!existsSync(file)) return `${file} does not exist yet`;
  const loaded = loadModel(file, { target });
  if (!loaded.ok) return `${file}: ${loaded.message ?? loaded.diagnostics.map((d) => d.message).join("; ")}`;
  return loaded.module;
}

export async function bench(): Promise<void> {
  const backend = await initBackend();
  const digits = envInt("SIMC_BENCH_DIGITS", 1024);
  const batch = envInt("SIMC_BENCH_BATCH", 128);
  const dataset = trainingOnly(await loadDataset("mnist", { baseDir: root, limit: digits, seed: 0, validation: 0 }));
  console.log(`backend: ${backend.detail}; ${dataset.train.count} digits, batch ${batch}, one epoch each (after a warm-up step)`);

  const single = join(root, "specs/mnist/sim-single.sim");
  const candidates: [string, string, "sim" | "deq" | undefined][] = [
    ["SIM (single tier)", single, "sim"],
    ["DEQ (derived from the SIM spec)", single, "deq"],
    ["monDEQ", join(root, "specs/mnist/mondeq.sim"), undefined],
  ];
  const rows: Row[] = [];
  for (const [label, file, target] of candidates) {
    const module = load(file, target);
    if (typeof module === "string") {
      console.log(`${label}: skipped (${module})`);
      continue;
    }
    rows.push(await timeEpoch(label, module, dataset, batch));
  }
  if (rows.length === 0) return;
  const base = rows[0].epochSeconds;
  const header = ["model", "s/epoch", "ms/step", "solver steps", "not converged", "× SIM"];
  const table = rows.map((r) => [
    r.label,
    r.epochSeconds.toFixed(2),
    r.msPerStep.toFixed(0),
    r.solverSteps === undefined ? "—" : r.solverSteps.toFixed(1),
    r.notConverged === undefined ? "—" : `${(100 * r.notConverged).toFixed(1)}%`,
    (r.epochSeconds / base).toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(header));
  for (const row of table) console.log(line(row));
}
