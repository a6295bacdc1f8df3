/**
 * Add, Sub, Multiply and RealDiv for the wasm backend when one operand is a per-channel vector
 * broadcast over a [..., C] tensor (bias additions, batch statistics and their gradients). The
 * built-in kernels' general broadcasting path is two to six times slower than their same-shape
 * path; here it is one SIMD pass (C % 4 == 0). Every other case, numbers included (the
 * built-in kernels have a fast path for those), keeps the built-in kernel.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { simdKernels, type SimdKernels } from "../simd/module.js";
import { heapModule, pointer, type KernelArgs } from "./heap.js";

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
    const vectorFirst = isChannelVector(a, b);
    if (!vectorFirst && !isChannelVector(b, a)) return fallback();
    const full = vectorFirst ? b : a;
    const vector = vectorFirst ? a : b;
    const cols = full.shape[full.shape.length - 1];
    const kernels = simdKernels(heapModule(backend));
    if (!kernels || cols % 4 !== 0) return fallback();
    const out = backend.makeOutput(full.shape, "float32");
    kernelFor(kernels, operation, vectorFirst)(
      pointer(backend, full),
      size(full.shape) / cols,
      cols,
      pointer(backend, vector),
      pointer(backend, out),
    );
    return out;
  };
}
