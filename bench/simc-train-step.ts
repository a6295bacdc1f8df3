/**
 * simc's own training step, as `simc train` runs it: the MNIST single-tier SIM compiled from
 * specs/mnist/sim-single.sim, trained by the training loop (loss, gradient norm, divergence
 * checks, Adam) on the bundled digits, on the current backend. The loop reports the first step
 * and the median of the steps after it.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadModel } from "../api/load-model.js";
import { loadDataset } from "../runtime/data/index.js";
import type { Dataset } from "../runtime/data/types.js";
import { createExecutor } from "../runtime/executor.js";
import { resolveTrainConfig } from "../runtime/train/config.js";
import { train } from "../runtime/train/train.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const MNIST_SPEC = "specs/mnist/sim-single.sim";

export interface LoopTiming {
  first: number;
  median: number;
  steps: number;
}

/** The training split alone: no validation, an empty test split (timing runs evaluate nothing). */
export function trainingOnly(full: Dataset): Dataset {
  return {
    ...full,
    validation: undefined,
    test: { ...full.test, count: 0, x: full.test.x.subarray(0, 0), y: full.test.y.subarray(0, 0) },
  };
}

/** `steps` + 1 training steps at `batch` (no validation, no test pass). */
export async function timeSimcTrainStep(batch: number, steps: number): Promise<LoopTiming> {
  const loaded = loadModel(join(root, MNIST_SPEC), { target: "sim" });
  if (!loaded.ok)
    throw new Error(`${MNIST_SPEC}: ${loaded.message ?? loaded.diagnostics.map((d) => d.message).join("; ")}`);
  const dataset = trainingOnly(await loadDataset("mnist", { baseDir: root, limit: batch * (steps + 1), seed: 0, validation: 0 }));
  const config = resolveTrainConfig(loaded.module.train, { epochs: 1, batch, seed: 0 });
  const executor = createExecutor(loaded.module, { seed: 0 });
  try {
    const result = await train({ executor, dataset, config });
    return { first: result.firstStepMs, median: result.medianStepMs, steps: result.steps };
  } finally {
    executor.dispose();
  }
}
