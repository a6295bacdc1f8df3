/**
 * Kernels simc registers on the wasm backend, one file each: kernels it lacks, kernels it runs
 * slowly and kernels it gets wrong, plus simc's own fused kernels (names starting with Simc).
 * Registration is idempotent; kernels are looked up per call, so it may happen before or after
 * the backend starts. The wasm backend has no Einsum and no depthwise-convolution gradients
 * either; no IR op uses them.
 */
import * as tf from "../../tf.js";
import {
  BATCH_NORM_BACKWARD,
  BATCH_NORM_FORWARD,
  BATCH_NORM_GRAD_SUMS,
  batchNormBackward,
  batchNormForward,
  batchNormGradSums,
  makeFusedBatchNorm,
} from "./batch-norm.js";
import { makeBatchMatMul } from "./batch-mat-mul.js";
import { makeBroadcastBinary } from "./broadcast-binary.js";
import { CONV2D_BACKPROP_FILTER_DILATED, conv2DBackpropFilter } from "./conv2d-backprop-filter.js";
import { makeConv2DBackpropInput } from "./conv2d-backprop-input.js";
import { makeConv2D, makeFusedConv2D } from "./conv2d.js";
import { makeCast, makeIdentity } from "./identity.js";
import { maxPoolGrad } from "./max-pool-grad.js";
import { makeOneHot } from "./one-hot.js";
import { makeSine } from "./sin-cos.js";
import { makeSquare } from "./square.js";
import { makeMean, makeSum } from "./sum-mean.js";
import { unsortedSegmentSum } from "./unsorted-segment-sum.js";

let registered = false;

type KernelFunc = tf.KernelConfig["kernelFunc"];

function builtIn(name: string): tf.KernelConfig {
  const config = tf.getKernel(name, "wasm");
  if (!config) throw new Error(`the wasm backend has no built-in '${name}' kernel`);
  return config;
}

/**
 * Registers (or replaces) a kernel. A replaced kernel's setup (which binds its wasm function)
 * is kept, so that the replacement can still call the original.
 */
function register(name: string, kernelFunc: unknown, original?: tf.KernelConfig): void {
  if (tf.getKernel(name, "wasm")) tf.unregisterKernel(name, "wasm");
  tf.registerKernel({
    kernelName: name,
    backendName: "wasm",
    kernelFunc: kernelFunc as KernelFunc,
    ...(original?.setupFunc ? { setupFunc: original.setupFunc } : {}),
  });
}

/** Names of the kernels simc adds or replaces on the wasm backend. */
export const SIMC_WASM_KERNELS = [
  "Conv2D",
  "FusedConv2D",
  "Conv2DBackpropFilter",
  CONV2D_BACKPROP_FILTER_DILATED,
  "Conv2DBackpropInput",
  "MaxPoolGrad",
  "OneHot",
  "Sum",
  "Mean",
  "UnsortedSegmentSum",
  "FusedBatchNorm",
  "BatchMatMul",
  "Identity",
  "Cast",
  "Add",
  "Sub",
  "Multiply",
  "RealDiv",
  "Square",
  "Sin",
  "Cos",
  BATCH_NORM_FORWARD,
  BATCH_NORM_BACKWARD,
  BATCH_NORM_GRAD_SUMS,
] as const;

export function registerWasmKernels(): void {
  if (registered) return;
  const conv = builtIn("Conv2D");
  register("Conv2D", makeConv2D(conv.kernelFunc), conv);
  const fusedConv = builtIn("FusedConv2D");
  register("FusedConv2D", makeFusedConv2D(fusedConv.kernelFunc), fusedConv);
  register("Conv2DBackpropFilter", conv2DBackpropFilter);
  register(CONV2D_BACKPROP_FILTER_DILATED, conv2DBackpropFilter);
  const input = builtIn("Conv2DBackpropInput");
  register("Conv2DBackpropInput", makeConv2DBackpropInput(input.kernelFunc), input);
  register("MaxPoolGrad", maxPoolGrad, builtIn("MaxPoolGrad"));
  const oneHot = builtIn("OneHot");
  register("OneHot", makeOneHot(oneHot.kernelFunc), oneHot);
  register("UnsortedSegmentSum", unsortedSegmentSum);
  const fusedBatchNorm = builtIn("FusedBatchNorm");
  register("FusedBatchNorm", makeFusedBatchNorm(fusedBatchNorm.kernelFunc), fusedBatchNorm);
  const batchMatMul = builtIn("BatchMatMul");
  register("BatchMatMul", makeBatchMatMul(batchMatMul.kernelFunc), batchMatMul);
  const identity = builtIn("Identity");
  register("Identity", makeIdentity(identity.kernelFunc), identity);
  const cast = builtIn("Cast");
  register("Cast", makeCast(cast.kernelFunc), cast);
  for (const [name, operation] of [
    ["Add", "add"],
    ["Sub", "sub"],
    ["Multiply", "mul"],
    ["RealDiv", "div"],
  ] as const) {
    const original = builtIn(name);
    register(name, makeBroadcastBinary(original.kernelFunc, operation), original);
  }
  const square = builtIn("Square");
  register("Square", makeSquare(square.kernelFunc), square);
  for (const [name, fn] of [
    ["Sin", "sin"],
    ["Cos", "cos"],
  ] as const) {
    const original = builtIn(name);
    register(name, makeSine(original.kernelFunc, fn), original);
  }
  register(BATCH_NORM_FORWARD, batchNormForward);
  register(BATCH_NORM_BACKWARD, batchNormBackward);
  register(BATCH_NORM_GRAD_SUMS, batchNormGradSums);
  const sum = builtIn("Sum");
  register("Sum", makeSum(sum.kernelFunc), sum);
  const mean = builtIn("Mean");
  register("Mean", makeMean(mean.kernelFunc), mean);
  registered = true;
}
