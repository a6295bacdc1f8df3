import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "../../runtime/tf.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckpointError, readManifest, restoreCheckpoint, saveCheckpoint } from "../../runtime/checkpoint.js";
import { createExecutor } from "../../runtime/executor.js";
import { resolveTrainConfig } from "../../runtime/train/config.js";
import { createOptimizer } from "../../runtime/train/optimizer.js";
import { lossPlot } from "../../runtime/run-files.js";
import { niceTicks } from "../../runtime/plot.js";
import { moduleOf, node, param } from "./ir-fixtures.js";

const dirs: string[] = [];
beforeAll(async () => {
  await tf.setBackend("cpu");
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const model = moduleOf([3], [node("d", "dense", ["input"], [2], {}, ["w", "b"])], [param("w", [3, 2]), param("b", [2])]);
const config = resolveTrainConfig({ data: "mnist", optimizer: { call: "adam", args: {} } });
const adam = config.optimizer;

describe("checkpoints", () => {
  it("round-trip parameters and optimiser state, and keep only the newest weights file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "simc-ckpt-"));
    dirs.push(dir);
    const a = createExecutor(model);
    const optA = createOptimizer(adam, a.trainable);
    optA.apply([tf.ones([3, 2]), tf.ones([2])], 0.1);
    await saveCheckpoint(dir, a, optA, { epoch: 1, step: 1, config, history: [] });
    optA.apply([tf.ones([3, 2]), tf.ones([2])], 0.1);
    await saveCheckpoint(dir, a, optA, { epoch: 2, step: 2, config, history: [] });
    expect(readdirSync(dir).filter((f) => f.endsWith(".bin"))).toEqual(["weights-0002.bin"]);
    expect(readdirSync(dir).some((f) => f.endsWith(".tmp"))).toBe(false);

    const b = createExecutor(model);
    const optB = createOptimizer(adam, b.trainable);
    const manifest = restoreCheckpoint(dir, b, optB);
    expect(manifest.epoch).toBe(2);
    expect(optB.iterations).toBe(2);
    expect(Array.from(b.variable("w").dataSync())).toEqual(Array.from(a.variable("w").dataSync()));
    optB
      .slots()
      .forEach((slot, i) => expect(Array.from(slot.variable.dataSync())).toEqual(Array.from(optA.slots()[i].variable.dataSync())));
  });

  it("refuses a checkpoint of another model or optimiser", async () => {
    const dir = mkdtempSync(join(tmpdir(), "simc-ckpt-"));
    dirs.push(dir);
    const a = createExecutor(model);
    await saveCheckpoint(dir, a, createOptimizer(adam, a.trainable), { epoch: 1, step: 1, config, history: [] });
    const other = createExecutor(moduleOf([3], [node("d", "dense", ["input"], [4], {}, ["w"])], [param("w", [3, 4])]));
    expect(() => restoreCheckpoint(dir, other)).toThrow(/shape \[3,2\], the model expects \[3,4\]/);
    const sgd = createOptimizer({ kind: "sgd", lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0 }, a.trainable);
    expect(() => restoreCheckpoint(dir, createExecutor(model), sgd)).toThrow(CheckpointError);
    expect(() => readManifest(join(dir, "missing"))).toThrow(/no checkpoint here/);
    expect(existsSync(join(dir, "checkpoint.json"))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "checkpoint.json"), "utf8")).config.optimizer.kind).toBe("adam");
  });
});

describe("loss plot", () => {
  it("picks round ticks and draws one polyline per series", () => {
    expect(niceTicks(0, 2.3, 5)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(1, 10, 9)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(niceTicks(1, 10, 4)).toEqual([5, 10]);
    const svg = lossPlot(
      [
        { epoch: 1, step: 10, lr: 1e-3, trainLoss: 2, valLoss: 1.5, seconds: 1 },
        { epoch: 2, step: 20, lr: 1e-3, trainLoss: 1, valLoss: 1.2, seconds: 1 },
      ],
      "m (sim)",
    );
    expect(svg.match(/<polyline points="[\d., ]+" fill="none" stroke="#/g)).toHaveLength(2);
    expect(svg).toContain(">train loss<");
    expect(svg).toContain(">m (sim)<");
  });
});
