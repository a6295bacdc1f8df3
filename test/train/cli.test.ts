import { capture } from "./capture.js";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runEval } from "../../cli/commands/eval.js";
import { describeStepTimes, parseTrainOptions, runTrain } from "../../cli/commands/train.js";
import { serializeIR } from "../../ir/serialize.js";
import { digitMlp, trainRecord } from "../runtime/ir-fixtures.js";

let dir: string;
let irFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "simc-cli-"));
  const module = digitMlp(16);
  module.train = trainRecord(0.003, { batch: 50, epochs: 2 });
  irFile = join(dir, "mlp.json");
  writeFileSync(irFile, serializeIR(module));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());


describe("simc train / simc eval", () => {
  it("trains compiled IR; --json prints only the final document; eval reproduces the test metrics", async () => {
    const out = join(dir, "run");
    const trained = await capture(() => runTrain(irFile, { limit: 200, epochs: 1, backend: "cpu", out, json: true }));
    expect(trained.code).toBe(0);
    const doc = JSON.parse(trained.stdout);
    expect(doc).toMatchObject({ version: 1, model: "fixture", target: "sim", backend: "cpu", epochs: 1 });
    expect(doc.metrics.accuracy).toBeGreaterThan(0.2);
    expect(doc.metrics.loss).toBeGreaterThan(0);
    expect(doc.wallSeconds).toBeGreaterThan(0);
    expect(trained.stderr.startsWith("backend: cpu")).toBe(true);
    expect(trained.stderr).toMatch(/epoch 1\/1 {2}loss/);
    expect(readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n")).toHaveLength(1);

    const evaluated = await capture(() => runEval(irFile, { checkpoint: out, backend: "cpu", json: true }));
    expect(evaluated.code).toBe(0);
    const evalDoc = JSON.parse(evaluated.stdout);
    expect(evalDoc.metrics.accuracy).toBeCloseTo(doc.metrics.accuracy, 6);
    expect(evalDoc.metrics.loss).toBeCloseTo(doc.metrics.loss, 4);
    expect(evalDoc.epoch).toBe(1);
  });

  it("prints human output with the backend first, flags overriding the spec", async () => {
    const result = await capture(() =>
      runTrain(irFile, { limit: 100, epochs: 1, batch: 100, lr: 0.01, backend: "cpu", out: join(dir, "human") }),
    );
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe("backend: cpu (plain JavaScript, slow)");
    expect(result.stdout).toContain("adam lr 0.01, constant, batch 100, 1 epoch");
    expect(result.stdout).toMatch(/test: accuracy \d+\.\d\d%/);
    expect(result.stdout).toMatch(/^wall time \d+\.\d s \(1 step, \d+ ms\)$/m);
  });

  it("says which ms/step is which: the median after the first, the first, the mean of all", () => {
    const timing = { steps: 4, firstStepMs: 900.2, medianStepMs: 101.4, msPerStep: 301.6 };
    expect(describeStepTimes(timing)).toBe("4 steps: median 101 ms/step after the first, first 900 ms, mean of all 302 ms");
    expect(describeStepTimes({ ...timing, steps: 0 })).toBe("no steps");
  });

  it("usage errors exit 1 with a coded message", async () => {
    expect(() => parseTrainOptions({ target: "gpu" })).toThrow("--target must be sim or deq");
    expect(() => parseTrainOptions({ epochs: 0 })).toThrow("--epochs expects an integer ≥ 1");
    expect(() => parseTrainOptions({ lr: "fast" })).toThrow("--lr expects a positive number");
    const r = await capture(() => runTrain(irFile, { epochs: "x" }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("simc train: error[SIM7201]: --epochs expects an integer");
    const e = await capture(() => runEval(irFile, {}));
    expect(e.code).toBe(1);
    expect(e.stderr).toContain("--checkpoint");
  });

  it("input problems exit 1 with a clear message and no stack trace", async () => {
    const badData = await capture(() => runTrain(irFile, { data: "nosuchset", backend: "cpu", out: join(dir, "bad") }));
    expect(badData.code).toBe(1);
    expect(badData.stderr).toContain("unknown data set 'nosuchset'");
    expect(badData.stderr).not.toMatch(/\n\s+at /);

    const spec = join(dir, "broken.sim");
    writeFileSync(spec, "model m {\n  input: [2\n}\n");
    const badSpec = await capture(() => runTrain(spec, { backend: "cpu" }));
    expect(badSpec.code).toBe(1);
    expect(badSpec.stderr).toContain("broken.sim");
    expect(badSpec.stderr).not.toMatch(/\n\s+at /);

    const missing = await capture(() => runEval(irFile, { checkpoint: join(dir, "nowhere"), backend: "cpu" }));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no checkpoint here");
  });
});
