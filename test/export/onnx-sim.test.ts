/**
 * Every shipped SIM spec, initialised with its seed, exported as ONNX and run by onnxruntime on
 * real inputs: the outputs equal simc's own evaluation and the predicted classes are the same.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import * as tf from "../../runtime/tf.js";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../api/load-model.js";
import { exportSource } from "../../export/source.js";
import { onnxModel } from "../../export/onnx/index.js";
import { exportMetadata } from "../../export/write-export.js";
import * as ort from "onnxruntime-node";
import { argmaxRows, expectClose, moduleOf, onnxRun, realExamples, simcForward } from "./helpers.js";

const SIM_SPECS = readdirSync("specs").flatMap((dir) =>
  readdirSync(join("specs", dir))
    .map((file) => join("specs", dir, file))
    .filter((spec) => loadModel(spec, { target: "sim" }).ok),
);

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("ONNX export of the shipped SIM specs", () => {
  it("covers every SIM form the specs ship", () => {
    const variants = new Set(SIM_SPECS.map((spec) => moduleOf(spec, "sim").variant));
    expect([...variants].sort()).toEqual(["rff-only", "single", "two"]);
    expect(SIM_SPECS.length).toBeGreaterThanOrEqual(10);
  });

  it.each(SIM_SPECS)("%s runs in onnxruntime as in simc", async (spec) => {
    const module = moduleOf(spec, "sim");
    const source = exportSource(module, undefined, module.source?.seed ?? 0);
    try {
      const count = 6;
      const x = await realExamples(module, spec, count);
      const bytes = onnxModel(source, { softmax: module.task.kind === "classify", metadata: exportMetadata(source, "test"), producerVersion: "test" });
      const outputs = await onnxRun(bytes, x, [count, ...module.input.shape]);
      const expected = simcForward(source, x, count).output;
      const actual = outputs.output.data as Float32Array;
      expectClose(actual, expected);
      expect(outputs.output.dims).toEqual([count, ...module.graph.nodes[module.graph.nodes.length - 1].shape]);
      if (module.task.kind === "classify") {
        const classes = module.task.classes;
        expect(argmaxRows(actual, classes)).toEqual(argmaxRows(expected, classes));
        const probabilities = outputs.probabilities.data as Float32Array;
        for (let row = 0; row < probabilities.length / classes; row++) {
          const sum = probabilities.slice(row * classes, (row + 1) * classes).reduce((a, b) => a + b, 0);
          expect(sum).toBeCloseTo(1, 5);
        }
      }
    } finally {
      source.dispose();
    }
  });

  it("records the model's name, task, input shape, classes, simc version and hashes as metadata", async () => {
    const module = moduleOf("specs/mnist/sim-single.sim", "sim");
    const source = exportSource(module, undefined);
    try {
      const bytes = onnxModel(source, { softmax: false, metadata: exportMetadata(source, "9.9.9"), producerVersion: "9.9.9" });
      const onnxProto = (await import("onnx-proto")).default;
      const model = onnxProto.onnx.ModelProto.decode(bytes);
      const metadata = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
      expect(metadata).toMatchObject({ model: module.model, task: "classify", classes: "10", input_shape: "[28,28,1]", simc_version: "9.9.9" });
      expect(metadata.spec_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(Number(model.opsetImport[0].version)).toBe(17);
      const session = await ort.InferenceSession.create(bytes);
      expect(session.outputNames).toEqual(["output"]);
      await session.release();
    } finally {
      source.dispose();
    }
  });
});
