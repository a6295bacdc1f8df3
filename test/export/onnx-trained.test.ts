/**
 * Trained runs exported with `simc export RUN`: a MNIST SIM, and the pcDEQ and ℓ∞ DEQs whose
 * forward solve becomes an ONNX Loop. onnxruntime's outputs equal simc's evaluation of the
 * checkpoint on real test digits, the predicted classes are the same, and each Loop stops
 * after as many evaluations of f as simc's solver, within its cap.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExport } from "../../cli/commands/export.js";
import { capture } from "../train/capture.js";
import { initBackend } from "../../runtime/backend/index.js";
import { loadModel } from "../../api/load-model.js";
import { readSolverSpec } from "../../runtime/deq/settings.js";
import type { ImplicitAttrs } from "../../ir/types.js";
import { exportSource } from "../../export/source.js";
import { argmaxRows, expectClose, onnxRun, realExamples, simcForward, trainTinyRun } from "./helpers.js";

let root: string;

beforeAll(async () => {
  // simc's SIMD kernels: training the conv SIM is many times faster than on the plain cpu backend.
  await initBackend("wasm");
  root = mkdtempSync(join(tmpdir(), "simc-export-"));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each([
  ["specs/mnist/sim-single.sim", "sim"],
  ["specs/mnist/pcdeq.sim", "deq"],
  ["specs/mnist/linf.sim", "deq"],
] as const)("a trained %s run (%s target) exported as ONNX", (spec, target) => {
  it("runs in onnxruntime as simc evaluates it", async () => {
    const run = join(root, `${target}-${spec.replace(/\W/g, "_")}`);
    await trainTinyRun(spec, target, run, 128);
    const out = join(run, "exported.onnx");
    const { code, stdout } = await capture(() => runExport(run, { json: true, out, softmax: true }));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ version: 1, format: "onnx", files: [out], metadata: { model: expect.any(String), epoch: "1" } });

    const loaded = loadModel(join(run, "model.ir.json"));
    if (!loaded.ok) throw new Error("the run's model does not load");
    const module = loaded.module;
    const source = exportSource(module, run);
    try {
      const count = 32;
      const x = await realExamples(module, spec, count);
      const expected = simcForward(source, x, count);
      const outputs = await onnxRun(new Uint8Array(readFileSync(out)), x, [count, ...module.input.shape]);
      const actual = outputs.output.data as Float32Array;
      expectClose(actual, expected.output);
      expect(argmaxRows(actual, 10)).toEqual(argmaxRows(expected.output, 10));

      const implicit = module.graph.nodes.filter((n) => n.op === "implicit");
      expect(implicit.length).toBe(target === "deq" ? 1 : 0);
      for (const [i, node] of implicit.entries()) {
        const cap = readSolverSpec(node.id, (node.attrs as unknown as ImplicitAttrs).solver).settings.evalMaxIter;
        const steps = Number((outputs[`steps:${node.id}`].data as BigInt64Array)[0]);
        expect(steps).toBeGreaterThan(1);
        expect(steps).toBeLessThanOrEqual(cap);
        expect(steps).toBe(expected.steps[i]);
      }
    } finally {
      source.dispose();
    }
  }, 120_000);
});
