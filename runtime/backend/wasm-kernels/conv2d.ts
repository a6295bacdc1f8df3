/**
 * Conv2D and FusedConv2D for the wasm backend: 3×3, unit-stride, same-padded NHWC convolutions
 * with channel counts the Winograd kernels take (../simd/winograd.ts) run there — about half
 * the multiply-adds of XNNPACK's direct convolution; everything else keeps the built-in kernel.
 * The input gradient (./conv2d-backprop-input.ts) runs through Conv2D, so it takes the same
 * path.
 */
import * as tf from "../../tf.js";
import { winogradApplies, winogradConv2d, type WinogradGeometry } from "../simd/winograd.js";
import { simdKernels } from "../simd/module.js";
import { heapModule, pointer, type KernelArgs } from "./heap.js";

type KernelFunc = tf.KernelConfig["kernelFunc"];

/** The Winograd geometry of a convolution of x by filter under `attrs`, or undefined. */
function winogradGeometry(
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  attrs: Record<string, unknown>,
): WinogradGeometry | undefined {
  if (x.dtype !== "float32" || filter.dtype !== "float32" || x.shape.length !== 4 || filter.shape.length !== 4) {
    return undefined;
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides as number | [number, number],
    (attrs.dilations as number | [number, number] | undefined) ?? 1,
    attrs.pad as "same" | "valid" | number,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    false,
    tf.backend_util.convertConv2DDataFormat((attrs.dataFormat as "NHWC" | "NCHW" | undefined) ?? "NHWC"),
  );
  const g = {
    batch: info.batchSize,
    height: info.inHeight,
    width: info.inWidth,
    cin: info.inChannels,
    cout: info.outChannels,
  };
  const { top, bottom, left, right } = info.padInfo;
  const applies =
    info.outHeight === info.inHeight &&
    info.outWidth === info.inWidth &&
    winogradApplies(
      {
        kernel: [info.filterHeight, info.filterWidth],
        strides: [info.strideHeight, info.strideWidth],
        dilations: [info.dilationHeight, info.dilationWidth],
        padding: [top, bottom, left, right],
        channelsLast: info.dataFormat === "channelsLast",
      },
      g,
    );
  return applies ? g : undefined;
}

function runWinograd(
  args: KernelArgs,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  g: WinogradGeometry,
  bias?: tf.TensorInfo,
) {
  const { backend } = args;
  const out = backend.makeOutput([g.batch, g.height, g.width, g.cout], "float32");
  winogradConv2d(
    heapModule(backend),
    {
      x: pointer(backend, x),
      filter: pointer(backend, filter),
      bias: bias === undefined ? undefined : pointer(backend, bias),
      out: pointer(backend, out),
    },
    g,
  );
  return out;
}

export function makeConv2D(builtIn: KernelFunc) {
  return function conv2D(args: KernelArgs<"x" | "filter">): tf.TensorInfo {
    const { x, filter } = args.inputs;
    const g = simdKernels(heapModule(args.backend)) ? winogradGeometry(x, filter, args.attrs) : undefined;
    if (g === undefined) return builtIn(args as unknown as Parameters<KernelFunc>[0]) as tf.TensorInfo;
    return runWinograd(args, x, filter, g);
  };
}

/** FusedConv2D: the Winograd path takes a per-channel bias and no activation. */
export function makeFusedConv2D(builtIn: KernelFunc) {
  return function fusedConv2D(args: KernelArgs<"x" | "filter" | "bias" | "preluActivationWeights">): tf.TensorInfo {
    const { x, filter, bias, preluActivationWeights } = args.inputs;
    const activation = (args.attrs.activation as string | undefined) ?? "linear";
    const plain =
      activation === "linear" &&
      preluActivationWeights === undefined &&
      (bias === undefined || (bias.dtype === "float32" && tf.util.sizeFromShape(bias.shape) === filter.shape[3]));
    const g = plain && simdKernels(heapModule(args.backend)) ? winogradGeometry(x, filter, args.attrs) : undefined;
    if (g === undefined) return builtIn(args as unknown as Parameters<KernelFunc>[0]) as tf.TensorInfo;
    return runWinograd(args, x, filter, g, bias);
  };
}
