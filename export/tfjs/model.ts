/**
 * A sim-target module as a TensorFlow.js graph model: `model.json` (GraphDef, signature,
 * metadata, weights manifest) and one weight shard, `group1-shard1of1.bin`, the constants'
 * values little-endian in manifest order. `tf.loadGraphModel` reads it in Node and browsers.
 */
import type { ExportSource } from "../source.js";
import { GraphDefBuilder } from "./graph-def.js";
import { lowerTfGraph } from "./lower.js";

export const TFJS_MODEL_FILE = "model.json";
export const TFJS_SHARD_FILE = "group1-shard1of1.bin";

export interface TfjsExportOptions {
  softmax: boolean;
  metadata: Record<string, string>;
  producerVersion: string;
}

export interface TfjsArtifacts {
  modelJson: string;
  shard: Uint8Array;
}

export function tfjsModel(source: ExportSource, options: TfjsExportOptions): TfjsArtifacts {
  const { module } = source;
  const g = new GraphDefBuilder();
  const input = g.placeholder("input", [-1, ...module.input.shape]);
  const result = lowerTfGraph(g, module.graph, { name: input, shape: module.input.shape }, source.weights);
  const output = g.op("Identity", [result.name], {}, "output");
  const outputs: Record<string, { name: string; dtype: string }> = { output: { name: `${output}:0`, dtype: "DT_FLOAT" } };
  if (options.softmax) {
    const probabilities = g.op("Softmax", [result.name], {}, "probabilities");
    outputs.probabilities = { name: `${probabilities}:0`, dtype: "DT_FLOAT" };
  }
  const bytes = g.weights.reduce((n, w) => n + w.values.length * 4, 0);
  const shard = new Uint8Array(bytes);
  const view = new DataView(shard.buffer);
  let offset = 0;
  for (const w of g.weights) {
    for (const v of w.values) {
      if (w.dtype === "int32") view.setInt32(offset, v, true);
      else view.setFloat32(offset, v, true);
      offset += 4;
    }
  }
  const model = {
    format: "graph-model",
    generatedBy: `simc ${options.producerVersion}`,
    convertedBy: `simc ${options.producerVersion}`,
    signature: {
      inputs: { input: { name: `${input}:0`, dtype: "DT_FLOAT", tensorShape: { dim: [-1, ...module.input.shape].map((d) => ({ size: String(d) })) } } },
      outputs,
    },
    userDefinedMetadata: options.metadata,
    modelTopology: { node: g.nodes, library: {}, versions: { producer: 1 } },
    weightsManifest: [{ paths: [TFJS_SHARD_FILE], weights: g.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: w.dtype })) }],
  };
  return { modelJson: `${JSON.stringify(model)}\n`, shard };
}
