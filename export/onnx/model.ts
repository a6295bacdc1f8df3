/**
 * A whole module as an ONNX model: one input `input` [batch, ...input shape] (channels-last, as
 * simc reads data), the output `output` (logits or regression values), `probabilities` (softmax
 * on the last axis) when asked for, and for each implicit node `steps:<node>`, the number of
 * evaluations of f its solve took (int64).
 */
import type { IRNode } from "../../ir/types.js";
import type { ExportSource } from "../source.js";
import { cellForm } from "../cell-form.js";
import { encodeModel } from "./encode.js";
import { GraphBuilder } from "./graph.js";
import { lowerGraph } from "./lower.js";

export interface OnnxExportOptions {
  /** Adds the `probabilities` output (classification). */
  softmax: boolean;
  metadata: Record<string, string>;
  producerVersion: string;
}

export function onnxModel(source: ExportSource, options: OnnxExportOptions): Uint8Array {
  const { module } = source;
  const g = new GraphBuilder(module.model);
  const input = g.input({ name: g.claim("input"), type: "float", dims: ["batch", ...module.input.shape] });
  const stepOutputs: { node: IRNode; steps: string }[] = [];
  const values = lowerGraph(g, module.graph, new Map([[module.graph.inputs[0], { name: input, shape: module.input.shape }]]), {
    weights: source.weights,
    cellForm: (node, injectionShape) => cellForm(node, source.variable, injectionShape),
    onSteps: (node, steps) => stepOutputs.push({ node, steps }),
  });
  const result = values.get(module.graph.outputs[0]);
  if (!result) throw new Error(`the graph's output '${module.graph.outputs[0]}' was not computed`);
  const dims = ["batch", ...result.shape];
  g.node("Identity", [result.name], {}, [g.claim("output")]);
  g.output({ name: "output", type: "float", dims });
  if (options.softmax) {
    g.node("Softmax", [result.name], {}, [g.claim("probabilities")]);
    g.output({ name: "probabilities", type: "float", dims });
  }
  for (const { node, steps } of stepOutputs) {
    const name = g.claim(`steps:${node.id}`);
    g.node("Identity", [steps], {}, [name]);
    g.output({ name, type: "int64", dims: [] });
  }
  return encodeModel(g, {
    producerVersion: options.producerVersion,
    docString: `${module.model} (${module.target}${module.variant ? `, ${module.variant}` : ""}) exported by simc`,
    metadata: options.metadata,
  });
}
