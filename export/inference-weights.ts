/**
 * The parameters of an IR graph's layers as inference uses them: weight norm applied
 * (w = g·v/‖v‖ per output channel, as the runtime computes it), batch norm with its running
 * statistics reduced to a per-channel affine map y = s·x + t (s = γ/√(σ² + ε), t = β − s·μ),
 * and that map folded into the dense or convolution layer before it when that layer's only
 * reader is the batch norm (every such layer keeps its output channels on the last axis).
 */
import type { IRGraph, IRNode } from "../ir/types.js";
import { booleanAttr, numberAttr } from "../runtime/attrs.js";

export interface WeightTensor {
  shape: number[];
  data: Float32Array;
}

/** Every parameter of a module by its global name (trained or initialised values). */
export type Weights = ReadonlyMap<string, WeightTensor>;

export interface LayerWeights {
  /** Weight in the IR's layout (dense [in, out], conv2d [kh, kw, cin, cout], conv1d [k, cin, cout]). */
  weight: WeightTensor;
  bias?: WeightTensor;
}

export interface ChannelAffine {
  scale: Float32Array;
  shift: Float32Array;
}

export function weightOf(weights: Weights, name: string): WeightTensor {
  const found = weights.get(name);
  if (!found) throw new Error(`the export's weights have no parameter '${name}'`);
  return found;
}

/** w = g · v / ‖v‖, the norm over every axis but the last (output channels). */
function applyWeightNorm(v: WeightTensor, g: WeightTensor): WeightTensor {
  const out = v.shape[v.shape.length - 1];
  const norms = new Float64Array(out);
  v.data.forEach((x, i) => (norms[i % out] += x * x));
  const data = new Float32Array(v.data.length);
  v.data.forEach((x, i) => (data[i] = (x * g.data[i % out]) / Math.sqrt(norms[i % out])));
  return { shape: v.shape, data };
}

/** A dense/conv layer's weight and bias as inference uses them (weight norm applied). */
export function layerWeights(node: IRNode, weights: Weights): LayerWeights {
  const names = [...node.params];
  const weightNorm = node.op === "conv1d" && booleanAttr(node, "weightNorm", false);
  const weight = weightNorm
    ? applyWeightNorm(weightOf(weights, names.shift() as string), weightOf(weights, names.shift() as string))
    : weightOf(weights, names.shift() as string);
  const biasName = names.shift();
  return biasName ? { weight, bias: weightOf(weights, biasName) } : { weight };
}

/** Batch norm with running statistics as y = scale·x + shift per channel. */
export function batchNormAffine(node: IRNode, weights: Weights): ChannelAffine {
  const [gamma, beta, mean, variance] = node.params.map((name) => weightOf(weights, name).data);
  const epsilon = numberAttr(node, "epsilon", 1e-5);
  const scale = new Float32Array(gamma.length);
  const shift = new Float32Array(gamma.length);
  for (let c = 0; c < gamma.length; c++) {
    const s = gamma[c] / Math.sqrt(variance[c] + epsilon);
    scale[c] = s;
    shift[c] = beta[c] - s * mean[c];
  }
  return { scale, shift };
}

/** W' = W·s per output channel, b' = s·b + t. */
function foldAffine(layer: LayerWeights, affine: ChannelAffine): LayerWeights {
  const out = affine.scale.length;
  const data = new Float32Array(layer.weight.data.length);
  layer.weight.data.forEach((x, i) => (data[i] = x * affine.scale[i % out]));
  const bias = new Float32Array(out);
  for (let c = 0; c < out; c++) bias[c] = (layer.bias ? layer.bias.data[c] * affine.scale[c] : 0) + affine.shift[c];
  return { weight: { shape: layer.weight.shape, data }, bias: { shape: [out], data: bias } };
}

export interface FoldPlan {
  /** Layers whose weights absorb the batch norm that follows them. */
  layers: Map<string, LayerWeights>;
  /** Folded batch norm id → the layer id whose output now stands for it. */
  replaced: Map<string, string>;
}

const FOLDABLE = new Set(["dense", "conv2d", "conv1d"]);

/** Finds dense/conv → batchnorm pairs that fold (the batch norm the layer's only reader). */
export function planBatchNormFolding(graph: IRGraph, weights: Weights): FoldPlan {
  const readers = new Map<string, number>();
  for (const node of graph.nodes) for (const input of node.inputs) readers.set(input, (readers.get(input) ?? 0) + 1);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const plan: FoldPlan = { layers: new Map(), replaced: new Map() };
  for (const node of graph.nodes) {
    if (node.op !== "batchnorm") continue;
    const producer = byId.get(node.inputs[0]);
    if (!producer || !FOLDABLE.has(producer.op) || readers.get(producer.id) !== 1 || graph.outputs.includes(producer.id)) continue;
    plan.layers.set(producer.id, foldAffine(layerWeights(producer, weights), batchNormAffine(node, weights)));
    plan.replaced.set(node.id, producer.id);
  }
  return plan;
}
