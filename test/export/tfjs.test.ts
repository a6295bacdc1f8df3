/**
 * The TensorFlow.js export, loaded back with `loadGraphModel` from its files (model.json and
 * the weight shard), computes what simc computes: every shipped SIM spec, initialised.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "../../runtime/tf.js";
import { loadGraphModel } from "@tensorflow/tfjs-converter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { loadModel } from "../../api/load-model.js";
import { exportSource } from "../../export/source.js";
import { writeExport } from "../../export/write-export.js";
import { argmaxRows, expectClose, moduleOf, realExamples, simcForward } from "./helpers.js";

const SIM_SPECS = readdirSync("specs").flatMap((dir) =>
  readdirSync(join("specs", dir))
    .map((file) => join("specs", dir, file))
    .filter((spec) => loadModel(spec, { target: "sim" }).ok),
);

let root: string;
beforeAll(async () => {
  await tf.setBackend("cpu");
  root = mkdtempSync(join(tmpdir(), "simc-tfjs-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Reads a graph model's files as `tf.loadGraphModel` would fetch them. */
function filesHandler(folder: string): tf.io.IOHandler {
  return {
    load: async () => {
      const model = JSON.parse(readFileSync(join(folder, "model.json"), "utf8"));
      const manifest = model.weightsManifest as tf.io.WeightsManifestConfig;
      const shards = manifest.flatMap((group) => group.paths.map((path) => readFileSync(join(folder, path))));
      const bytes = Buffer.concat(shards);
      return {
        modelTopology: model.modelTopology,
        format: model.format,
        generatedBy: model.generatedBy,
        convertedBy: model.convertedBy,
        signature: model.signature,
        userDefinedMetadata: model.userDefinedMetadata,
        weightSpecs: manifest.flatMap((group) => group.weights),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  };
}

describe("TensorFlow.js export", () => {
  it.each(SIM_SPECS)("%s loads with loadGraphModel and computes simc's outputs", async (spec) => {
    const module = moduleOf(spec, "sim");
    const source = exportSource(module, undefined, module.source?.seed ?? 0);
    const folder = join(root, spec.replace(/\W/g, "_"));
    try {
      const softmax = module.task.kind === "classify";
      const written = writeExport(source, { format: "tfjs", out: folder, softmax, version: "test" });
      expect(written.files.map((f) => f.slice(folder.length + 1))).toEqual(["model.json", "group1-shard1of1.bin"]);
      const model = await loadGraphModel(filesHandler(folder));
      expect(model.metadata).toMatchObject({ model: module.model, task: module.task.kind });
      const count = 4;
      const x = await realExamples(module, spec, count);
      const input = tf.tensor(x, [count, ...module.input.shape]);
      const result = model.execute(input, softmax ? ["output", "probabilities"] : "output");
      const [output, probabilities] = (Array.isArray(result) ? result : [result]) as tf.Tensor[];
      const expected = simcForward(source, x, count).output;
      const actual = output.dataSync() as Float32Array;
      expectClose(actual, expected);
      if (module.task.kind === "classify") {
        expect(argmaxRows(actual, module.task.classes)).toEqual(argmaxRows(expected, module.task.classes));
        expect(tf.sum(probabilities).dataSync()[0]).toBeCloseTo(actual.length / module.task.classes, 4);
      }
      tf.dispose([input, output, probabilities].filter(Boolean));
      model.dispose();
    } finally {
      source.dispose();
    }
  });
});
