/**
 * Add, Sub, Multiply and RealDiv for the wasm backend when one operand is a per-channel vector
 * broadcast over a [..., C] tensor (bias additions, batch statistics and their gradients), or
 * a single number. The built-in kernels' broadcasting path is about six times slower than their
 * same-shape path; here it is one SIMD pass (C % 4 == 0; a number is repeated into a vector of
 * four when the size is a multiple of four). Every other case keeps the built-in kernel.
 */
import type * as tf from "@tensorflow/tfjs";
import { heapF32, simdKernels, withScratch, type SimdKernels } from "../simd/module.js";
import { f32, heapModule, pointer, type KernelArgs } from "./heap.js";

type KernelFunc = tf.KernelConfig["kernelFunc"];
type Operation = "add" | "sub" | "mul" | "div";

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Whether `vector` is [C] or [1, …, 1, C] against `full` [..., C]. */
function isChannelVector(vector: tf.TensorInfo, full: tf.TensorInfo): boolean {
  const channels = full.shape[full.shape.length - 1];
  return (
    full.shape.length >= 2 &&
    vector.shape.length >= 1 &&
    vector.shape.length <= full.shape.length &&
    vector.shape[vector.shape.length - 1] === channels &&
    size(vector.shape) === channels
  );
}

function kernelFor(kernels: SimdKernels, operation: Operation, vectorFirst: boolean): (...args: number[]) => void {
  switch (operation) {
    case "add":
      return kernels.col_add;
    case "mul":
      return kernels.col_mul;
    case "sub":
      return vectorFirst ? kernels.col_rsub : kernels.col_sub;
    case "div":
      return vectorFirst ? kernels.col_rdiv : kernels.col_div;
  }
}

export function makeBroadcastBinary(builtIn: KernelFunc, operation: Operation) {
  return function broadcastBinary(args: KernelArgs<"a" | "b">): tf.TensorInfo {
    const { inputs, backend } = args;
    const { a, b } = inputs;
    const fallback = () => builtIn(args as unknown as Parameters<KernelFunc>[0]) as tf.TensorInfo;
    if (a.dtype !== "float32" || b.dtype !== "float32" || size(a.shape) === size(b.shape)) return fallback();
    const scalarFirst = size(a.shape) === 1;
    if (scalarFirst || size(b.shape) === 1) {
      const full = scalarFirst ? b : a;
      const scalar = scalarFirst ? a : b;
      const kernels = simdKernels(heapModule(backend));
      const total = size(full.shape);
      // The result keeps the full operand's shape only if the number has no more axes.
      if (!kernels || total % 4 !== 0 || scalar.shape.length > full.shape.length) return fallback();
      const value = f32(backend, scalar)[0];
      const out = backend.makeOutput(full.shape, "float32");
      const heap = heapModule(backend);
      withScratch(heap, 16, (vector) => {
        heapF32(heap, vector, 4).fill(value);
        kernelFor(kernels, operation, scalarFirst)(pointer(backend, full), total / 4, 4, vector, pointer(backend, out));
      });
      return out;
    }
    const vectorFirst = isChannelVector(a, b);
    if (!vectorFirst && !isChannelVector(b, a)) return fallback();
    const full = vectorFirst ? b : a;
    const vector = vectorFirst ? a : b;
    const cols = full.shape[full.shape.length - 1];
    const kernels = simdKernels(heapModule(backend));
    if (!kernels || cols % 4 !== 0) return fallback();
    const out = backend.makeOutput(full.shape, "float32");
    kernelFor(kernels, operation, vectorFirst)(pointer(backend, full), size(full.shape) / cols, cols, pointer(backend, vector), pointer(backend, out));
    return out;
  };
}
