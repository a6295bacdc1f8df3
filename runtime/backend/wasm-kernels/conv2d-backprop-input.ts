/**
 * Conv2DBackpropInput for the wasm backend. The built-in kernel is a scalar loop about ten
 * times slower than a forward convolution. With unit strides the input gradient *is* a forward
 * convolution — of dy with the filter rotated by 180° and its channel axes swapped, padded by
 * (kernel − 1 − padding) — so it runs through the registered Conv2D (./conv2d.ts: Winograd
 * where it applies, else XNNPACK) instead. Strided cases keep the built-in kernel.
 */
import * as tf from "../../tf.js";
import { f32, release, runWasmKernel, type KernelArgs } from "./heap.js";

type Fallback = tf.KernelConfig["kernelFunc"];

/** The filter [kh, kw, cin, cout] rotated by 180° with cin and cout swapped: [kh, kw, cout, cin]. */
function flippedFilter(args: KernelArgs, filter: tf.TensorInfo): tf.TensorInfo {
  const { backend } = args;
  const [kh, kw, cin, cout] = filter.shape;
  const out = backend.makeOutput([kh, kw, cout, cin], "float32");
  const w = f32(backend, filter);
  const flipped = f32(backend, out);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const src = ((kh - 1 - i) * kw + (kw - 1 - j)) * cin * cout;
      const dst = (i * kw + j) * cout * cin;
      for (let c = 0; c < cin; c++) {
        for (let o = 0; o < cout; o++) flipped[dst + o * cin + c] = w[src + c * cout + o];
      }
    }
  }
  return out;
}

export function makeConv2DBackpropInput(fallback: Fallback) {
  return function conv2DBackpropInput(args: KernelArgs<"dy" | "filter">): tf.TensorInfo {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs;
    const inputShape = attrs.inputShape as [number, number, number, number];
    const dataFormat = attrs.dataFormat as "NHWC" | "NCHW";
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides as number | [number, number],
      1,
      attrs.pad as "same" | "valid" | number,
      attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
      false,
      tf.backend_util.convertConv2DDataFormat(dataFormat),
    );
    const { top, bottom, left, right } = info.padInfo;
    const kh = info.filterHeight;
    const kw = info.filterWidth;
    const unitStride = info.strideHeight === 1 && info.strideWidth === 1;
    const padsFit = top < kh && bottom < kh && left < kw && right < kw;
    if (!unitStride || !padsFit || info.dataFormat !== "channelsLast") {
      return fallback(args as unknown as Parameters<Fallback>[0]) as tf.TensorInfo;
    }
    const flipped = flippedFilter(args, filter);
    const dx = runWasmKernel(
      "Conv2D",
      { x: dy, filter: flipped },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [kh - 1 - top, kh - 1 - bottom],
          [kw - 1 - left, kw - 1 - right],
          [0, 0],
        ],
        dataFormat: "NHWC",
        dilations: [1, 1],
        dimRoundingMode: undefined,
      },
      backend,
    );
    release(backend, flipped);
    return dx;
  };
}
