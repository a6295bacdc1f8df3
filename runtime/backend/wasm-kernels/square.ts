/**
 * Square for the wasm backend: the built-in kernel is a scalar loop about three times slower
 * than a SIMD pass; batch statistics and optimisers square whole tensors every step.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { simdKernels } from "../simd/module.js";
import { heapModule, pointer, type KernelArgs } from "./heap.js";

type KernelFunc = tf.KernelConfig["kernelFunc"];

export function makeSquare(builtIn: KernelFunc) {
  return function square(args: KernelArgs<"x">): tf.TensorInfo {
    const { inputs, backend } = args;
    const { x } = inputs;
    const kernels = simdKernels(heapModule(backend));
    if (x.dtype !== "float32" || !kernels)
      return builtIn(args as unknown as Parameters<KernelFunc>[0]) as tf.TensorInfo;
    const out = backend.makeOutput(x.shape, "float32");
    kernels.square(
      pointer(backend, x),
      x.shape.reduce((a, b) => a * b, 1),
      pointer(backend, out),
    );
    return out;
  };
}
