/**
 * IR layers as ONNX nodes. simc's tensors are channels-last (NHWC images, [batch, length,
 * channels] sequences); ONNX convolutions and pooling are channels-first, so each is wrapped in
 * a pair of `Transpose`s (runtimes cancel adjacent pairs) and its weights are permuted once,
 * here. Explicit padding reproduces TensorFlow's `same` (the odd pixel after, not before).
 */
import type { Shape } from "../../core/values.js";
import type { IRNode } from "../../ir/types.js";
import { numberAttr, numberListAttr, stringAttr } from "../../runtime/attrs.js";
import { conv1dPadding } from "../../runtime/ops/conv1d.js";
import type { ChannelAffine, LayerWeights, WeightTensor } from "../inference-weights.js";
import { PLAIN_ACTIVATION_OPS } from "../activation-ops.js";
import { attr, type GraphBuilder } from "./graph.js";

/** Permutes a row-major tensor's axes: out axis i is in axis perm[i]. */
export function permute(t: WeightTensor, perm: number[]): WeightTensor {
  const shape = perm.map((p) => t.shape[p]);
  const inStrides = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const data = new Float32Array(t.data.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < data.length; o++) {
    let source = 0;
    for (let i = 0; i < shape.length; i++) source += index[i] * inStrides[perm[i]];
    data[o] = t.data[source];
    for (let i = shape.length - 1; i >= 0 && ++index[i] === shape[i]; i--) index[i] = 0;
  }
  return { shape, data };
}

/** TensorFlow's `same` padding along one axis: [before, after]. */
export function samePadding(length: number, kernel: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(length / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - length, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

const toChannelsFirst = (rank: number) => [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
const toChannelsLast = (rank: number) => [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];

/** Runs a channels-first op on a channels-last value of rank `rank` (batch included). */
export function channelsFirst(g: GraphBuilder, x: string, rank: number, body: (xc: string) => string): string {
  const xc = g.op("Transpose", [x], { perm: attr.ints(toChannelsFirst(rank)) });
  return g.op("Transpose", [body(xc)], { perm: attr.ints(toChannelsLast(rank)) });
}

/** y = x·W (+ b) on the last axis (MatMul broadcasts over leading axes). */
export function dense(g: GraphBuilder, x: string, layer: LayerWeights, hint: string): string {
  const w = g.floats(`${hint}.weight`, layer.weight.shape, layer.weight.data);
  const y = g.op("MatMul", [x, w]);
  return layer.bias ? g.op("Add", [y, g.floats(`${hint}.bias`, layer.bias.shape, layer.bias.data)]) : y;
}

/** A channels-first Conv with the weight permuted from channels-last [..., cin, cout]. */
function conv(g: GraphBuilder, xc: string, layer: LayerWeights, hint: string, settings: { strides: number[]; dilations: number[]; pads: number[] }): string {
  const rank = layer.weight.shape.length;
  const perm = [rank - 1, rank - 2, ...Array.from({ length: rank - 2 }, (_, i) => i)];
  const w = permute(layer.weight, perm);
  const inputs = [xc, g.floats(`${hint}.weight`, w.shape, w.data)];
  if (layer.bias) inputs.push(g.floats(`${hint}.bias`, layer.bias.shape, layer.bias.data));
  return g.op("Conv", inputs, { strides: attr.ints(settings.strides), dilations: attr.ints(settings.dilations), pads: attr.ints(settings.pads) });
}

export function conv2d(g: GraphBuilder, node: IRNode, x: string, inShape: Shape, layer: LayerWeights): string {
  const kernel = layer.weight.shape.slice(0, 2);
  const strides = numberListAttr(node, "stride", 2, [1, 1]);
  const dilations = numberListAttr(node, "dilation", 2, [1, 1]);
  const same = stringAttr(node, "padding", "same") === "same";
  const [top, bottom] = same ? samePadding(inShape[0], kernel[0], strides[0], dilations[0]) : [0, 0];
  const [left, right] = same ? samePadding(inShape[1], kernel[1], strides[1], dilations[1]) : [0, 0];
  return channelsFirst(g, x, 4, (xc) => conv(g, xc, layer, node.id, { strides, dilations, pads: [top, left, bottom, right] }));
}

/** Causal, same or valid 1-D convolution on [batch, length, channels] (weight norm already applied). */
export function conv1d(g: GraphBuilder, node: IRNode, x: string, inShape: Shape, layer: LayerWeights): string {
  const stride = numberListAttr(node, "stride", 1, [1])[0];
  const dilation = numberListAttr(node, "dilation", 1, [1])[0];
  const padding = stringAttr(node, "padding", "valid") as "causal" | "same" | "valid";
  const pads = conv1dPadding(inShape[0], layer.weight.shape[0], { stride, dilation, padding });
  return channelsFirst(g, x, 3, (xc) => conv(g, xc, layer, node.id, { strides: [stride], dilations: [dilation], pads }));
}

/** Max/average pooling, 1-D on sequences or 2-D on images; `same` averages count real elements only. */
export function pool(g: GraphBuilder, node: IRNode, x: string, inShape: Shape): string {
  const spatial = inShape.length - 1;
  const size = numberListAttr(node, "size", spatial);
  const stride = numberListAttr(node, "stride", spatial, size);
  const same = stringAttr(node, "padding", "valid") === "same";
  const padPairs = size.map((k, i) => (same ? samePadding(inShape[i], k, stride[i], 1) : [0, 0]));
  const pads = [...padPairs.map((p) => p[0]), ...padPairs.map((p) => p[1])];
  const op = stringAttr(node, "mode") === "max" ? "MaxPool" : "AveragePool";
  return channelsFirst(g, x, spatial + 2, (xc) => g.op(op, [xc], { kernel_shape: attr.ints(size), strides: attr.ints(stride), pads: attr.ints(pads) }));
}

/** Elementwise activations by simc's names; softplus with sharpness β is softplus(βx)/β. */
export function activation(g: GraphBuilder, fn: string, x: string, beta = 1): string {
  const plain = PLAIN_ACTIVATION_OPS[fn];
  if (plain) return g.op(plain.op, [x], plain.alpha === undefined ? {} : { alpha: attr.float(plain.alpha) });
  if (fn === "softsign") return g.op("Softsign", [x]);
  if (fn === "relu6") return g.op("Clip", [x, g.scalar("zero", 0), g.scalar("six", 6)]);
  if (fn !== "softplus") throw new Error(`activation '${fn}' has no ONNX form here`);
  if (beta === 1) return g.op("Softplus", [x]);
  return g.op("Div", [g.op("Softplus", [g.op("Mul", [x, g.scalar("beta", beta)])]), g.scalar("beta", beta)]);
}

/** Random Fourier features on the last axis: cossin → [cos(xΩ), sin(xΩ)]·scale; cosbias → cos(xΩ + b)·scale. */
export function rff(g: GraphBuilder, node: IRNode, x: string, omega: WeightTensor, phase: WeightTensor | undefined): string {
  const projected = g.op("MatMul", [x, g.floats(`${node.id}.omega`, omega.shape, omega.data)]);
  const scale = g.scalar(`${node.id}.scale`, numberAttr(node, "scale"));
  if (phase) return g.op("Mul", [g.op("Cos", [g.op("Add", [projected, g.floats(`${node.id}.phase`, phase.shape, phase.data)])]), scale]);
  return g.op("Mul", [g.op("Concat", [g.op("Cos", [projected]), g.op("Sin", [projected])], { axis: attr.int(-1) }), scale]);
}

/** y = scale·x + shift per channel (the last axis): batch norm that did not fold. */
export function channelAffine(g: GraphBuilder, x: string, affine: ChannelAffine, hint: string): string {
  const n = affine.scale.length;
  return g.op("Add", [g.op("Mul", [x, g.floats(`${hint}.scale`, [n], affine.scale)]), g.floats(`${hint}.shift`, [n], affine.shift)]);
}
