import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "../../runtime/tf.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataset } from "../../runtime/data/index.js";
import type { Dataset } from "../../runtime/data/types.js";
import { readManifest } from "../../runtime/checkpoint.js";
import { createExecutor, type Executor } from "../../runtime/executor.js";
import { resolveTrainConfig, type TrainConfig } from "../../runtime/train/config.js";
import { train, TrainingDivergedError } from "../../runtime/train/train.js";
import { epochOrder } from "../../runtime/rng.js";
import { digitDeq, digitMlp } from "../runtime/ir-fixtures.js";

let digits: Dataset;
const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), "simc-train-"));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  await tf.setBackend("cpu");
  digits = await loadDataset("mnist", { baseDir: ".", limit: 300, seed: 0, validation: 0.1 });
  // A small test split keeps the final evaluation quick.
  digits = { ...digits, test: { ...digits.test, count: 200, x: digits.test.x.subarray(0, 200 * 784), y: digits.test.y.subarray(0, 200) } };
});

afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function config(overrides: Record<string, unknown> = {}): TrainConfig {
  return resolveTrainConfig({
    data: "mnist",
    loss: "cross_entropy",
    optimizer: { call: "adam", args: { lr: 3e-3 } },
    schedule: { call: "constant", args: {} },
    batch: 50,
    epochs: 3,
    validation: 0.1,
    seed: 5,
    ...overrides,
  } as Parameters<typeof resolveTrainConfig>[0]);
}

const weightsOf = (e: Executor) => e.parameters.map((p) => Array.from(p.variable.dataSync()));

describe("training", () => {
  it("decreases the loss on real digits and writes metrics, plot and checkpoint", async () => {
    const executor = createExecutor(digitMlp(32, { batchnorm: true, dropout: 0.1 }), { seed: 5 });
    const outDir = scratch();
    const result = await train({ executor, dataset: digits, config: config(), outDir });
    const losses = result.history.map((r) => r.trainLoss);
    expect(losses).toHaveLength(3);
    expect(losses[2]).toBeLessThan(losses[0] * 0.7);
    expect(result.history[2].valAccuracy).toBeGreaterThan(0.5);
    expect(result.test?.accuracy).toBeGreaterThan(0.5);
    expect(result.test?.count).toBe(200);

    const lines = readFileSync(join(outDir, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([1, 2, 3]);
    expect(lines[0].trainLoss).toBeCloseTo(losses[0], 10);
    const svg = readFileSync(join(outDir, "loss.svg"), "utf8");
    expect(svg).toContain("<svg");
    expect(svg).toContain("validation loss");
    expect(readManifest(outDir).epoch).toBe(3);
    executor.dispose();
  });

  it("keeps the number of live tensors flat across training steps", async () => {
    const executor = createExecutor(digitMlp(16, { batchnorm: true, dropout: 0.2 }), { seed: 1 });
    const counts: number[] = [];
    const reporter = {
      begin: () => undefined,
      step: () => counts.push(tf.memory().numTensors),
      epoch: () => undefined,
      note: () => undefined,
      end: () => undefined,
    };
    await train({ executor, dataset: digits, config: config({ epochs: 2 }), reporter });
    expect(counts.length).toBe(12);
    expect(new Set(counts.slice(1)).size).toBe(1);
    executor.dispose();
  });

  it("a run resumed from its checkpoint ends with the same weights as an uninterrupted run", async () => {
    const model = digitMlp(16, { batchnorm: true, dropout: 0.2 });
    const cfg = config({ epochs: 3, schedule: { call: "onecycle", args: {} } });

    const whole = createExecutor(model, { seed: 5 });
    await train({ executor: whole, dataset: digits, config: cfg, outDir: scratch() });

    const dir = scratch();
    const first = createExecutor(model, { seed: 5 });
    const partial = await train({ executor: first, dataset: digits, config: cfg, outDir: dir, stopAfterEpochs: 1 });
    expect(partial.history).toHaveLength(1);
    expect(partial.test).toBeUndefined();
    first.dispose();

    const resumed = createExecutor(model, { seed: 5 });
    expect(weightsOf(resumed)).not.toEqual(weightsOf(whole));
    const rest = await train({ executor: resumed, dataset: digits, config: cfg, outDir: dir, resume: true });
    expect(rest.resumedFrom).toBe(1);
    expect(rest.history.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(weightsOf(resumed)).toEqual(weightsOf(whole));
    whole.dispose();
    resumed.dispose();
  });

  it("stops within one step when the loss becomes NaN, naming the step and keeping the last checkpoint", async () => {
    const model = digitMlp(16);
    const executor = createExecutor(model, { seed: 2 });
    const dir = scratch();
    await train({ executor, dataset: digits, config: config({ epochs: 1 }), outDir: dir });
    const before = readFileSync(join(dir, readManifest(dir).weights));

    // One corrupted training example: the step whose batch holds it must be the last one.
    const corrupted = 123;
    const x = digits.train.x.slice();
    x[corrupted * 784 + 400] = NaN;
    const poisoned = { ...digits, train: { ...digits.train, x } };
    const position = Array.from(epochOrder(300, 5, 2)).indexOf(corrupted);
    const expectedStep = 6 + Math.floor(position / 50) + 1;

    let completed = 0;
    const reporter = {
      begin: () => undefined,
      step: () => void (completed += 1),
      epoch: () => undefined,
      note: () => undefined,
      end: () => undefined,
    };
    const error = await train({ executor, dataset: poisoned, config: config({ epochs: 3 }), outDir: dir, resume: true, reporter }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const diverged = error as TrainingDivergedError;
    expect(diverged.epoch).toBe(2);
    expect(diverged.step).toBe(expectedStep);
    expect(completed).toBe(expectedStep - 6 - 1); // the diverging step itself never completes
    expect(diverged.message).toContain(`training stopped at epoch 2, step ${expectedStep}`);
    expect(diverged.message).toContain("the loss is NaN");
    expect(diverged.message).toContain("inputs or targets contain NaN");
    expect(diverged.message).toContain("last good checkpoint (epoch 1)");
    expect(readManifest(dir).epoch).toBe(1);
    expect(readFileSync(join(dir, readManifest(dir).weights))).toEqual(before);
    executor.dispose();
  });

  it("names a too-high learning rate when the parameters blow up", async () => {
    const executor = createExecutor(digitMlp(16), { seed: 2 });
    const error = await train({
      executor,
      dataset: digits,
      config: config({ epochs: 3, optimizer: { call: "sgd", args: { lr: 1e30 } } }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toMatch(/learning rate too high \(lr = 1\.00e\+30/);
    expect((error as Error).message).toContain("no checkpoint was written");
    executor.dispose();
  });

  it("gradient clipping changes the update when the gradient norm exceeds the cap", async () => {
    const sgd = { optimizer: { call: "sgd", args: { lr: 0.1 } }, epochs: 1, batch: 300 };
    const model = digitMlp(8);
    const deltas = async (clip?: number) => {
      const executor = createExecutor(model, { seed: 4 });
      const before = weightsOf(executor);
      await train({ executor, dataset: digits, config: config(clip === undefined ? sgd : { ...sgd, clip }) });
      const after = weightsOf(executor);
      executor.dispose();
      return after.flatMap((w, i) => w.map((v, j) => v - before[i][j]));
    };
    const free = await deltas();
    const norm = Math.hypot(...free) / 0.1; // one full-batch SGD step: Δ = −lr·g
    expect(norm).toBeGreaterThan(0.01);
    const capped = await deltas(norm / 4);
    const ratio = Math.hypot(...capped) / Math.hypot(...free);
    expect(ratio).toBeCloseTo(0.25, 3);
    capped.forEach((d, i) => expect(d).toBeCloseTo(free[i] / 4, 5));
    const loose = await deltas(norm * 4);
    loose.forEach((d, i) => expect(d).toBeCloseTo(free[i], 6));
  });

  it("trains through an implicit node and reports its solver statistics per epoch", async () => {
    const executor = createExecutor(digitDeq(16), { seed: 1 });
    const result = await train({ executor, dataset: digits, config: config({ epochs: 2 }) });
    const [first, second] = result.history;
    expect(second.trainLoss).toBeLessThan(first.trainLoss);
    for (const record of result.history) {
      expect(record.solver?.calls).toBe(6);
      expect(record.solver?.meanSteps).toBeGreaterThan(1);
      expect(record.solver?.notConverged).toBe(0);
    }
    expect(result.test?.solver?.meanSteps).toBeGreaterThan(1);
    executor.dispose();
  });

  it("projects parameters constrained to be nonnegative after every step (pcDEQ)", async () => {
    const model = digitMlp(8);
    model.params = model.params.map((p) => (p.name === "out.weight" ? { ...p, constraint: "nonnegative" } : p));
    const executor = createExecutor(model, { seed: 1 });
    expect(Math.min(...executor.variable("out.weight").dataSync())).toBeLessThan(0);
    await train({ executor, dataset: digits, config: config({ epochs: 1 }) });
    const projected = Array.from(executor.variable("out.weight").dataSync());
    expect(Math.min(...projected)).toBe(0);
    expect(Math.min(...executor.variable("h.weight").dataSync())).toBeLessThan(0);
    executor.dispose();
  });

  it("full-batch training takes one step per epoch", async () => {
    const executor = createExecutor(digitMlp(8), { seed: 4 });
    const result = await train({ executor, dataset: digits, config: config({ batch: 0, epochs: 2 }) });
    expect(result.steps).toBe(2);
    expect(result.history.map((r) => r.step)).toEqual([1, 2]);
    expect(existsSync("runs")).toBe(existsSync("runs")); // nothing written without outDir
    executor.dispose();
  });

  it("validates at the cadence validate_every sets, and after the last epoch", async () => {
    const executor = createExecutor(digitMlp(8), { seed: 4 });
    const result = await train({ executor, dataset: digits, config: config({ batch: 100, epochs: 3, extra: { validate_every: 2 } }) });
    expect(result.history.map((r) => r.valLoss !== undefined)).toEqual([false, true, true]);
    expect(result.history[1].valAccuracy).toBeGreaterThan(0);
    executor.dispose();
  });
});
