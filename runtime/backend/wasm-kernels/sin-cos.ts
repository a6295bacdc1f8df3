/**
 * Sin and Cos for the wasm backend: the built-in kernels call the C library per element (about
 * 50 ns each: 0.4 s per call on the 65,536 × 128 random Fourier features of a 256 × 256 image);
 * simc's SIMD kernels (../simd/sine.ts) take about 7 ms there.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { simdKernels } from "../simd/module.js";
import { simdSine, type SineFunction } from "../simd/sine.js";
import { heapModule, pointer, type KernelArgs } from "./heap.js";

type KernelFunc = tf.KernelConfig["kernelFunc"];

export function makeSine(builtIn: KernelFunc, fn: SineFunction) {
  return function sine(args: KernelArgs<"x">): tf.TensorInfo {
    const { inputs, backend } = args;
    const { x } = inputs;
    const heap = heapModule(backend);
    if (x.dtype !== "float32" || !simdKernels(heap))
      return builtIn(args as unknown as Parameters<KernelFunc>[0]) as tf.TensorInfo;
    const out = backend.makeOutput(x.shape, "float32");
    simdSine(
      heap,
      fn,
      pointer(backend, x),
      pointer(backend, out),
      x.shape.reduce((a, b) => a * b, 1),
    );
    return out;
  };
}
