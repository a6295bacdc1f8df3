/**
 * BatchMatMul for the wasm backend. The built-in kernel sends every product with a transposed
 * operand, or with more than one batch, to a naive scalar loop (about 7× slower for a dense
 * layer's gradients); only plain single products reach XNNPACK. Here transposed operands are
 * transposed first (a cheap copy next to the product) and a batch of products against one
 * shared right-hand matrix is folded into one product; the rest keeps the built-in kernel.
 */
import type * as tf from "@tensorflow/tfjs";
import { release, runWasmKernel, type KernelArgs } from "./heap.js";

type KernelFunc = tf.KernelConfig["kernelFunc"];

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

export function makeBatchMatMul(builtIn: KernelFunc) {
  const original = (args: KernelArgs<"a" | "b">, a: tf.TensorInfo, b: tf.TensorInfo, attrs: Record<string, unknown>) =>
    builtIn({ ...args, inputs: { a, b }, attrs } as unknown as Parameters<KernelFunc>[0]) as tf.TensorInfo;

  return function batchMatMul(args: KernelArgs<"a" | "b">): tf.TensorInfo {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs;
    const transposeA = Boolean(attrs.transposeA);
    const transposeB = Boolean(attrs.transposeB);
    if (a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 2 || b.shape.length < 2) {
      return original(args, a, b, attrs);
    }
    const batchA = size(a.shape.slice(0, -2));
    const batchB = size(b.shape.slice(0, -2));
    const foldable = batchB === 1 && !transposeA;
    if (!((batchA === 1 && batchB === 1) || foldable) || (!transposeA && !transposeB && batchA === 1)) {
      return original(args, a, b, attrs);
    }
    const temporaries: tf.TensorInfo[] = [];
    const swapLast = (t: tf.TensorInfo) => {
      const rank = t.shape.length;
      const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
      const out = runWasmKernel("Transpose", { x: t }, { perm }, backend);
      temporaries.push(out);
      return out;
    };
    let left = transposeA ? swapLast(a) : a;
    const right = transposeB ? swapLast(b) : b;
    const m = left.shape[left.shape.length - 2];
    const k = left.shape[left.shape.length - 1];
    const n = right.shape[right.shape.length - 1];
    // [batch…, m, k] · [k, n] as one [batch·m, k] · [k, n] product.
    left = runWasmKernel("Reshape", { x: left }, { shape: [1, batchA * m, k] }, backend);
    temporaries.push(left);
    const right3 = runWasmKernel("Reshape", { x: right }, { shape: [1, k, n] }, backend);
    temporaries.push(right3);
    const product = original(args, left, right3, { transposeA: false, transposeB: false });
    const outShape = [...(batchA >= batchB ? a.shape : b.shape).slice(0, -2), m, n];
    const shaped = runWasmKernel("Reshape", { x: product }, { shape: outShape }, backend);
    release(backend, product, ...temporaries);
    return shaped;
  };
}
