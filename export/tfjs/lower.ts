/**
 * An IR graph (sim target) as TensorFlow ops, channels-last as simc computes: dense layers as
 * MatMul (sequences reshaped to rows and back), convolutions as Conv2D (1-D ones on a one-row
 * image, TensorFlow's explicit padding for causal and same), batch norm folded or as Mul/Add,
 * dropout and identity as references.
 */
import type { Shape } from "../../core/values.js";
import type { IRGraph, IRNode } from "../../ir/types.js";
import { numberAttr, numberListAttr, stringAttr } from "../../runtime/attrs.js";
import { conv1dPadding } from "../../runtime/ops/conv1d.js";
import { PLAIN_ACTIVATION_OPS } from "../activation-ops.js";
import { ExportError } from "../errors.js";
import { batchNormAffine, layerWeights, planBatchNormFolding, weightOf, type LayerWeights, type Weights } from "../inference-weights.js";
import { samePadding } from "../onnx/layers.js";
import { tfAttr, type GraphDefBuilder } from "./graph-def.js";

interface Value {
  name: string;
  shape: Shape;
}

const product = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

function reshape(g: GraphDefBuilder, x: string, dims: number[]): string {
  return g.op("Reshape", [x, g.int32s("shape", dims)], { Tshape: tfAttr.type("int32") });
}

function dense(g: GraphDefBuilder, x: Value, layer: LayerWeights, hint: string): string {
  const [inFeatures, outFeatures] = layer.weight.shape;
  const rows = x.shape.length === 1 ? x.name : reshape(g, x.name, [-1, inFeatures]);
  let y = g.op("MatMul", [rows, g.floats(`${hint}.weight`, layer.weight.shape, layer.weight.data)], {
    transpose_a: { b: false },
    transpose_b: { b: false },
  });
  if (layer.bias) y = g.op("BiasAdd", [y, g.floats(`${hint}.bias`, layer.bias.shape, layer.bias.data)], { data_format: tfAttr.string("NHWC") });
  return x.shape.length === 1 ? y : reshape(g, y, [-1, ...x.shape.slice(0, -1), outFeatures]);
}

/** Conv2D on NHWC with explicit [top, bottom, left, right] padding. */
function conv(g: GraphDefBuilder, x: string, layer: LayerWeights, hint: string, stride: number[], dilation: number[], pads: number[]): string {
  const y = g.op("Conv2D", [x, g.floats(`${hint}.weight`, layer.weight.shape, layer.weight.data)], {
    strides: tfAttr.ints([1, stride[0], stride[1], 1]),
    dilations: tfAttr.ints([1, dilation[0], dilation[1], 1]),
    padding: tfAttr.string("EXPLICIT"),
    explicit_paddings: tfAttr.ints([0, 0, pads[0], pads[1], pads[2], pads[3], 0, 0]),
    data_format: tfAttr.string("NHWC"),
  });
  return layer.bias ? g.op("BiasAdd", [y, g.floats(`${hint}.bias`, layer.bias.shape, layer.bias.data)], { data_format: tfAttr.string("NHWC") }) : y;
}

function conv2d(g: GraphDefBuilder, node: IRNode, x: Value, layer: LayerWeights): string {
  const [kh, kw] = layer.weight.shape;
  const stride = numberListAttr(node, "stride", 2, [1, 1]);
  const dilation = numberListAttr(node, "dilation", 2, [1, 1]);
  const same = stringAttr(node, "padding", "same") === "same";
  const rows = same ? samePadding(x.shape[0], kh, stride[0], dilation[0]) : [0, 0];
  const cols = same ? samePadding(x.shape[1], kw, stride[1], dilation[1]) : [0, 0];
  return conv(g, x.name, layer, node.id, stride, dilation, [...rows, ...cols]);
}

function conv1d(g: GraphDefBuilder, node: IRNode, x: Value, layer: LayerWeights): string {
  const [k, cin, cout] = layer.weight.shape;
  const stride = numberListAttr(node, "stride", 1, [1])[0];
  const dilation = numberListAttr(node, "dilation", 1, [1])[0];
  const padding = stringAttr(node, "padding", "valid") as "causal" | "same" | "valid";
  const [before, after] = conv1dPadding(x.shape[0], k, { stride, dilation, padding });
  const image = reshape(g, x.name, [-1, 1, x.shape[0], cin]);
  const kernel = { weight: { shape: [1, k, cin, cout], data: layer.weight.data }, bias: layer.bias };
  const y = conv(g, image, kernel, node.id, [1, stride], [1, dilation], [0, 0, before, after]);
  return reshape(g, y, [-1, ...node.shape]);
}

function pool(g: GraphDefBuilder, node: IRNode, x: Value): string {
  const spatial = x.shape.length - 1;
  const size = numberListAttr(node, "size", spatial);
  const stride = numberListAttr(node, "stride", spatial, size);
  const op = stringAttr(node, "mode") === "max" ? "MaxPool" : "AvgPool";
  const padding = tfAttr.string(stringAttr(node, "padding", "valid").toUpperCase());
  const image = spatial === 1 ? reshape(g, x.name, [-1, x.shape[0], 1, x.shape[1]]) : x.name;
  const [ksize, strides] = spatial === 1 ? [[size[0], 1], [stride[0], 1]] : [size, stride];
  const y = g.op(op, [image], {
    ksize: tfAttr.ints([1, ...ksize, 1]),
    strides: tfAttr.ints([1, ...strides, 1]),
    padding,
    data_format: tfAttr.string("NHWC"),
  });
  return spatial === 1 ? reshape(g, y, [-1, ...node.shape]) : y;
}

export function tfActivation(g: GraphDefBuilder, fn: string, x: string, beta = 1): string {
  const plain = PLAIN_ACTIVATION_OPS[fn];
  if (plain) return g.op(plain.op, [x], plain.alpha === undefined || fn === "elu" ? {} : { alpha: tfAttr.float(plain.alpha) });
  if (fn === "relu6") return g.op("Relu6", [x]);
  if (fn === "softsign") return g.op("RealDiv", [x, g.op("AddV2", [g.op("Abs", [x]), g.scalar("one", 1)])]);
  if (fn !== "softplus") throw new Error(`activation '${fn}' has no TensorFlow form here`);
  if (beta === 1) return g.op("Softplus", [x]);
  return g.op("RealDiv", [g.op("Softplus", [g.op("Mul", [x, g.scalar("beta", beta)])]), g.scalar("beta", beta)]);
}

function rff(g: GraphDefBuilder, node: IRNode, x: Value, weights: Weights): string {
  const omega = weightOf(weights, node.params[0]);
  const projected = dense(g, x, { weight: omega }, `${node.id}.omega`);
  const scale = g.scalar(`${node.id}.scale`, numberAttr(node, "scale"));
  if (stringAttr(node, "features", "cossin") === "cosbias") {
    const phase = weightOf(weights, node.params[1]);
    return g.op("Mul", [g.op("Cos", [g.op("AddV2", [projected, g.floats(`${node.id}.phase`, phase.shape, phase.data)])]), scale]);
  }
  const axis = g.constant("axis", [], Int32Array.from([-1]));
  const both = g.op("ConcatV2", [g.op("Cos", [projected]), g.op("Sin", [projected]), axis], { N: tfAttr.int(2), Tidx: tfAttr.type("int32") });
  return g.op("Mul", [both, scale]);
}

/** Emits `graph` (no implicit nodes); returns the value of its output. */
export function lowerTfGraph(g: GraphDefBuilder, graph: IRGraph, input: Value, weights: Weights): Value {
  const fold = planBatchNormFolding(graph, weights);
  const values = new Map<string, Value>([[graph.inputs[0], input]]);
  for (const node of graph.nodes) {
    if (node.op === "input") continue;
    const args = node.inputs.map((id) => values.get(id) as Value);
    const x = args[0];
    const layer = () => fold.layers.get(node.id) ?? layerWeights(node, weights);
    const replaced = fold.replaced.get(node.id);
    let name: string;
    if (replaced) name = (values.get(replaced) as Value).name;
    else
      switch (node.op) {
        case "dense":
          name = dense(g, x, layer(), node.id);
          break;
        case "conv2d":
          name = conv2d(g, node, x, layer());
          break;
        case "conv1d":
          name = conv1d(g, node, x, layer());
          break;
        case "batchnorm": {
          const { scale, shift } = batchNormAffine(node, weights);
          const n = scale.length;
          name = g.op("AddV2", [g.op("Mul", [x.name, g.floats(`${node.id}.scale`, [n], scale)]), g.floats(`${node.id}.shift`, [n], shift)]);
          break;
        }
        case "activation":
          name = tfActivation(g, stringAttr(node, "fn"), x.name, typeof node.attrs.beta === "number" ? node.attrs.beta : 1);
          break;
        case "pool":
          name = pool(g, node, x);
          break;
        case "flatten":
          name = reshape(g, x.name, [-1, product(x.shape)]);
          break;
        case "dropout":
        case "identity":
          name = x.name;
          break;
        case "add":
          name = args.length === 1 ? x.name : g.op("AddN", args.map((a) => a.name), { N: tfAttr.int(args.length) });
          break;
        case "rff":
          name = rff(g, node, x, weights);
          break;
        case "implicit":
          throw new ExportError(
            "exportUnsupportedFormat",
            `${node.id}: the TensorFlow.js format holds feedforward graphs only; export the deq target with --format onnx (its Loop holds the solve), or the sim target as tfjs`,
          );
        default:
          throw new Error(`IR op '${node.op}' has no TensorFlow lowering`);
      }
    values.set(node.id, { name, shape: node.shape });
  }
  return values.get(graph.outputs[0]) as Value;
}
