/**
 * Sin and Cos for the wasm backend: the built-in kernels call the C library per element (about
 * 70 ns each, over a second per step for the random Fourier features of a 256 × 256 image);
 * simc's SIMD kernels (../simd/sine.ts) run in a few milliseconds per million elements.
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
    if (x.dtype !== "float32" || !simdKernels(heap)) return builtIn(args as unknown as Parameters<KernelFunc>[0]) as tf.TensorInfo;
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
