/**
 * MaxPoolGrad for the wasm backend. The built-in kernel sends a window's gradient to the last
 * of tied maxima and drops windows whose maximum is ≤ 0. Here each window's gradient goes to
 * its first maximum in row-major order, as on the cpu backend: four channels at a time with
 * simc's SIMD kernel (which finds the maximum as the forward output recorded it), or plain
 * loops when the channels do not fill whole vectors.
 */
import * as tf from "../../tf.js";
import { simdKernels } from "../simd/module.js";
import { f32, heapModule, pointer, zeros, type KernelArgs } from "./heap.js";

export function maxPoolGrad(args: KernelArgs<"dy" | "input" | "output">): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input, output } = inputs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize as number | [number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as "same" | "valid" | number,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
  );
  const kernels = simdKernels(heapModule(backend));
  const plain2x2 =
    info.filterHeight === 2 &&
    info.filterWidth === 2 &&
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.outHeight === Math.floor(info.inHeight / 2) &&
    info.outWidth === Math.floor(info.inWidth / 2);
  if (kernels && info.inChannels % 4 === 0 && plain2x2) {
    // Every position of even-sized inputs belongs to one window: nothing to clear first.
    const even = info.inHeight % 2 === 0 && info.inWidth % 2 === 0;
    const dx = even ? backend.makeOutput(input.shape, "float32") : zeros(backend, input.shape);
    kernels.max_pool_grad_2x2(
      pointer(backend, input),
      pointer(backend, output),
      pointer(backend, dy),
      pointer(backend, dx),
      info.batchSize,
      info.inHeight,
      info.inWidth,
      info.inChannels,
      info.outHeight,
      info.outWidth,
    );
    return dx;
  }
  const dx = zeros(backend, input.shape);
  if (kernels && info.inChannels % 4 === 0) {
    kernels.max_pool_grad(
      pointer(backend, input),
      pointer(backend, output),
      pointer(backend, dy),
      pointer(backend, dx),
      info.batchSize,
      info.inHeight,
      info.inWidth,
      info.inChannels,
      info.outHeight,
      info.outWidth,
      info.filterHeight,
      info.filterWidth,
      info.strideHeight,
      info.strideWidth,
      info.padInfo.top,
      info.padInfo.left,
    );
    return dx;
  }
  const x = f32(backend, input);
  const g = f32(backend, dy);
  const out = f32(backend, dx);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowStride = inWidth * channels;
  const imageStride = inHeight * rowStride;
  let gi = 0;
  for (let n = 0; n < batchSize; n++) {
    const image = n * imageStride;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      const yFrom = Math.max(y0, 0);
      const yTo = Math.min(y0 + filterHeight, inHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        const xFrom = Math.max(x0, 0);
        const xTo = Math.min(x0 + filterWidth, inWidth);
        for (let c = 0; c < channels; c++, gi++) {
          let best = -Infinity;
          let at = -1;
          for (let y = yFrom; y < yTo; y++) {
            let p = image + y * rowStride + xFrom * channels + c;
            for (let xx = xFrom; xx < xTo; xx++, p += channels) {
              if (x[p] > best) {
                best = x[p];
                at = p;
              }
            }
          }
          if (at >= 0) out[at] += g[gi];
        }
      }
    }
  }
  return dx;
}
