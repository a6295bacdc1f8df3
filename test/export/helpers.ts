/** Shared by the export tests: models from the shipped specs, simc's own evaluation, onnxruntime. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as tf from "../../runtime/tf.js";
import { PNG } from "pngjs";
import * as ort from "onnxruntime-node";
import { expect } from "vitest";
import type { Value } from "../../core/values.js";
import type { IRModule } from "../../ir/types.js";
import { isDataError, loadDataset, type Dataset, type Split } from "../../runtime/data/index.js";
import { createExecutor } from "../../runtime/executor.js";
import { resolveTrainConfig } from "../../runtime/train/config.js";
import { train } from "../../runtime/train/train.js";
import { loadModel } from "../../api/load-model.js";
import type { ExportSource } from "../../export/source.js";

export function moduleOf(spec: string, target?: "sim" | "deq"): IRModule {
  const loaded = loadModel(spec, target ? { target } : {});
  if (!loaded.ok) throw new Error(`${spec}: ${loaded.message ?? loaded.diagnostics.map((d) => d.message).join("; ")}`);
  return loaded.module;
}

/** simc's evaluation (inference mode) of a batch, and the solver reports. */
export function simcForward(source: ExportSource, x: Float32Array, count: number): { output: Float32Array; steps: number[] } {
  const input = tf.tensor(x, [count, ...source.module.input.shape]);
  const result = source.executor.forward(input, { training: false });
  const output = Float32Array.from(result.output.dataSync());
  result.output.dispose();
  input.dispose();
  return { output, steps: result.implicit.map((r) => r.steps) };
}

export async function onnxRun(bytes: Uint8Array, x: Float32Array, dims: number[]): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run({ input: new ort.Tensor("float32", x, dims) });
  } finally {
    await session.release();
  }
}

/** Every element within `tolerance` relative to the output's largest magnitude (at least 1). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  expect(worst).toBeLessThanOrEqual(tolerance);
}

/** Index of the largest value in each row of a [rows, width] array. */
export function argmaxRows(values: ArrayLike<number>, width: number): number[] {
  const rows: number[] = [];
  for (let r = 0; r < values.length / width; r++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (values[r * width + c] > values[r * width + best]) best = c;
    rows.push(best);
  }
  return rows;
}

/**
 * `count` real inputs for a module: the first test examples of its own data set, or — where that
 * data set is not on this machine (CIFAR-10, SVHN) — crops of a real photograph of the input's size.
 */
export async function realExamples(module: IRModule, spec: string, count: number): Promise<Float32Array> {
  const size = module.input.shape.reduce((a, b) => a * b, 1);
  try {
    const dataset = await loadDataset(module.train?.data as Value, { baseDir: dirname(resolve(spec)), seed: 0, validation: 0, limit: count });
    if (dataset.test.count >= count) return dataset.test.x.slice(0, count * size);
  } catch (error) {
    if (!isDataError(error)) throw error;
  }
  const [height, width, channels] = module.input.shape;
  const photo = PNG.sync.read(readFileSync("data/astronaut.png"));
  const x = new Float32Array(count * size);
  for (let n = 0; n < count; n++)
    for (let h = 0; h < height; h++)
      for (let w = 0; w < width; w++)
        for (let c = 0; c < channels; c++) {
          const pixel = ((40 * n + h) * photo.width + 37 * n + w) * 4 + c;
          x[((n * height + h) * width + w) * channels + c] = photo.data[pixel] / 255;
        }
  return x;
}

function firstExamples(split: Split, count: number): Split {
  const n = Math.min(count, split.count);
  const xSize = split.x.length / split.count;
  const ySize = split.y.length / split.count;
  return { ...split, x: split.x.slice(0, n * xSize), y: split.y.slice(0, n * ySize), count: n };
}

/**
 * Trains `spec` for one short epoch (`limit` examples, a small test split) into `dir`, as
 * `simc train --out DIR` does: the run directory gets the compiled model and the checkpoint.
 */
export async function trainTinyRun(spec: string, target: "sim" | "deq", dir: string, limit = 256): Promise<IRModule> {
  const module = moduleOf(spec, target);
  const config = { ...resolveTrainConfig(module.train, { epochs: 1, limit, batch: 64 }), validation: 0 };
  const dataset = await loadDataset(config.data, { baseDir: dirname(resolve(spec)), limit, seed: config.seed, validation: 0 });
  const small: Dataset = { ...dataset, test: firstExamples(dataset.test, 64), validation: undefined };
  const executor = createExecutor(module, { seed: config.seed });
  try {
    await train({ executor, dataset: small, config, outDir: dir, evalBatch: 64 });
  } finally {
    executor.dispose();
  }
  return module;
}
