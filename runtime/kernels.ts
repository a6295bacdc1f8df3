/**
 * What each IR op computes, on TensorFlow.js tensors (batch dimension first). The executor
 * decides the order and owns the parameters; these functions only map inputs to an output.
 * `implicit` is not here: it needs the executor itself to evaluate derived cell bodies.
 */
import * as tf from "./tf.js";
import type { IRNode } from "../ir/types.js";
import { batchNormTraining } from "./ops/batch-norm.js";
import { conv1d } from "./ops/conv1d.js";
import { numberAttr, numberListAttr, stringAttr, booleanAttr } from "./attrs.js";

/**
 * What the executor's plan knows about a node's neighbours, so kernels can use simc's fused
 * operations in training (B's measurements: about twice as fast per step).
 */
export interface NodeHints {
  /** batchnorm: its only consumer is a relu, which this node applies itself (training only). */
  fuseRelu?: boolean;
  /** activation relu: already applied by the batchnorm before it (training only). */
  absorbed?: boolean;
  /** The node reads a graph input directly (which never needs a gradient). */
  readsGraphInput?: boolean;
}

export interface KernelContext {
  training: boolean;
  param(name: string): tf.Variable;
  /** Seed for a dropout node in the current step (a function of run seed, step and node). */
  dropoutSeed(node: IRNode): number;
  /** Batch norm running statistics are updated only when this is true (training steps). */
  updateStatistics: boolean;
}

/** y = x·W (+ b) on the last axis; `[b, L, n]` sequences are processed per position. */
export function dense(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const [inFeatures, outFeatures] = weight.shape;
  const lead = x.shape.slice(0, -1);
  const flat = x.rank === 2 ? (x as tf.Tensor2D) : x.reshape([-1, inFeatures]);
  let y: tf.Tensor = tf.matMul(flat as tf.Tensor2D, weight as tf.Tensor2D);
  if (bias) y = tf.add(y, bias);
  return x.rank === 2 ? y : y.reshape([...lead, outFeatures]);
}

/**
 * The fused convolution carries the bias inside; its gradient always computes the input
 * gradient, which a graph input never needs, so there the plain convolution is cheaper.
 */
function conv2d(node: IRNode, x: tf.Tensor, ctx: KernelContext, hints: NodeHints): tf.Tensor {
  const [weightName, biasName] = node.params;
  const strides = numberListAttr(node, "stride", 2, [1, 1]) as [number, number];
  const dilations = numberListAttr(node, "dilation", 2, [1, 1]) as [number, number];
  const pad = stringAttr(node, "padding", "same") as "same" | "valid";
  const filter = ctx.param(weightName) as tf.Tensor4D;
  if (biasName && !hints.readsGraphInput) {
    return tf.fused.conv2d({ x: x as tf.Tensor4D, filter, strides, pad, dataFormat: "NHWC", dilations, bias: ctx.param(biasName) });
  }
  const y: tf.Tensor = tf.conv2d(x as tf.Tensor4D, filter, strides, pad, "NHWC", dilations);
  return biasName ? tf.add(y, ctx.param(biasName)) : y;
}

/** PyTorch weight norm (dim 0): w = g · v / ‖v‖, the norm taken per output channel. */
export function weightNormKernel(v: tf.Tensor, g: tf.Tensor): tf.Tensor {
  const axes = v.shape.slice(0, -1).map((_, i) => i);
  const norm = tf.sqrt(tf.sum(tf.square(v), axes));
  return tf.mul(v, tf.div(g, norm));
}

function conv1dNode(node: IRNode, x: tf.Tensor, ctx: KernelContext): tf.Tensor {
  const weightNorm = booleanAttr(node, "weightNorm", false);
  const names = [...node.params];
  const weight = weightNorm
    ? weightNormKernel(ctx.param(names.shift() as string), ctx.param(names.shift() as string))
    : ctx.param(names.shift() as string);
  const biasName = names.shift();
  let y: tf.Tensor = conv1d(x as tf.Tensor3D, weight as tf.Tensor3D, {
    stride: numberListAttr(node, "stride", 1, [1])[0],
    dilation: numberListAttr(node, "dilation", 1, [1])[0],
    padding: stringAttr(node, "padding", "valid") as "causal" | "same" | "valid",
  });
  if (biasName) y = tf.add(y, ctx.param(biasName));
  return y;
}

/**
 * Batch norm over every axis but the last. Training: batch statistics (biased variance, as
 * PyTorch normalises) and running statistics updated PyTorch's way,
 * running = (1 − momentum)·running + momentum·batch, with the unbiased batch variance.
 * Training runs through `batchNormTraining` (closed-form gradient, the following relu fused in
 * when the plan allows it).
 */
function batchnorm(node: IRNode, x: tf.Tensor, ctx: KernelContext, hints: NodeHints): tf.Tensor {
  const [gammaName, betaName, meanName, varianceName] = node.params;
  const epsilon = numberAttr(node, "epsilon", 1e-5);
  const gamma = ctx.param(gammaName);
  const beta = ctx.param(betaName);
  const runningMean = ctx.param(meanName);
  const runningVariance = ctx.param(varianceName);
  if (!ctx.training) return tf.batchNorm(x, runningMean, runningVariance, beta, gamma, epsilon);
  const { y, mean, variance } = batchNormTraining(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, epsilon, { relu: hints.fuseRelu === true });
  if (ctx.updateStatistics) {
    const momentum = numberAttr(node, "momentum", 0.1);
    const count = x.size / x.shape[x.rank - 1];
    const unbiased = tf.mul(variance, count / Math.max(count - 1, 1));
    runningMean.assign(tf.add(tf.mul(runningMean, 1 - momentum), tf.mul(mean, momentum)));
    runningVariance.assign(tf.add(tf.mul(runningVariance, 1 - momentum), tf.mul(unbiased, momentum)));
  }
  return y;
}

export function activation(fn: string, x: tf.Tensor, beta = 1): tf.Tensor {
  switch (fn) {
    case "relu":
      return tf.relu(x);
    case "tanh":
      return tf.tanh(x);
    case "sigmoid":
      return tf.sigmoid(x);
    case "softsign":
      return tf.div(x, tf.add(tf.abs(x), 1));
    case "relu6":
      return tf.relu6(x);
    case "softplus":
      // (1/β)·log(1 + exp(βx)); tf.softplus is the overflow-safe form.
      return beta === 1 ? tf.softplus(x) : tf.div(tf.softplus(tf.mul(x, beta)), beta);
    default:
      throw new Error(`unknown activation '${fn}'`);
  }
}

/** Max/avg pooling; 1-D on `[b, L, C]` (run as 2-D with a unit width), 2-D on NHWC. */
function pool(node: IRNode, x: tf.Tensor): tf.Tensor {
  const mode = stringAttr(node, "mode");
  const padding = stringAttr(node, "padding", "valid") as "same" | "valid";
  const run = (input: tf.Tensor4D, size: [number, number], stride: [number, number]) =>
    mode === "max" ? tf.maxPool(input, size, stride, padding) : tf.avgPool(input, size, stride, padding);
  if (x.rank === 3) {
    const size = numberListAttr(node, "size", 1)[0];
    const stride = numberListAttr(node, "stride", 1, [size])[0];
    const [b, length, channels] = x.shape;
    const y = run(x.reshape([b, length, 1, channels]), [size, 1], [stride, 1]);
    return y.reshape([b, y.shape[1], channels]);
  }
  const size = numberListAttr(node, "size", 2) as [number, number];
  const stride = numberListAttr(node, "stride", 2, size) as [number, number];
  return run(x as tf.Tensor4D, size, stride);
}

/**
 * Random Fourier features on the last axis: cossin → [cos(xΩ), sin(xΩ)]·scale;
 * cosbias → cos(xΩ + b)·scale.
 */
function rff(node: IRNode, x: tf.Tensor, ctx: KernelContext): tf.Tensor {
  const features = stringAttr(node, "features", "cossin");
  const scale = numberAttr(node, "scale");
  const projected = dense(x, ctx.param(node.params[0]));
  if (features === "cosbias") return tf.mul(tf.cos(tf.add(projected, ctx.param(node.params[1]))), scale);
  return tf.mul(tf.concat([tf.cos(projected), tf.sin(projected)], -1), scale);
}

/** Evaluates every op but `input` and `implicit`. */
export function evaluateNode(node: IRNode, inputs: tf.Tensor[], ctx: KernelContext, hints: NodeHints = {}): tf.Tensor {
  const x = inputs[0];
  switch (node.op) {
    case "dense":
      return dense(x, ctx.param(node.params[0]), node.params[1] ? ctx.param(node.params[1]) : undefined);
    case "conv2d":
      return conv2d(node, x, ctx, hints);
    case "conv1d":
      return conv1dNode(node, x, ctx);
    case "batchnorm":
      return batchnorm(node, x, ctx, hints);
    case "activation":
      if (ctx.training && hints.absorbed) return x;
      return activation(stringAttr(node, "fn"), x, numberAttr(node, "beta", 1));
    case "pool":
      return pool(node, x);
    case "flatten":
      return x.reshape([x.shape[0], -1]);
    case "dropout": {
      const rate = numberAttr(node, "rate", 0.5);
      return ctx.training && rate > 0 ? tf.dropout(x, rate, undefined, ctx.dropoutSeed(node)) : x.clone();
    }
    case "identity":
      return x.clone();
    case "add":
      return inputs.length === 1 ? x.clone() : tf.addN(inputs);
    case "rff":
      return rff(node, x, ctx);
    default:
      throw new Error(`IR op '${node.op}' has no kernel here`);
  }
}
