/**
 * BatchMatMul for the wasm backend. Large products (a full-batch dense layer and its
 * gradients) run on simc's blocked SIMD kernel across the thread pool (../simd/matmul.ts),
 * which reads transposed operands in place and outruns XNNPACK there. For the others: the
 * built-in kernel sends every product with a transposed operand, or with more than one batch,
 * to a naive scalar loop (about 7× slower for a dense layer's gradients); only plain single
 * products reach XNNPACK. Here transposed operands are transposed first (a cheap copy next to
 * the product), a batch of products against one shared right-hand matrix is folded into one
 * product, and a batch of products with a right-hand matrix each (the per-frequency channel
 * mixing of spectral resolvents) runs as single products on views into the operands; broadcast
 * batches keep the built-in kernel.
 */
import * as tf from "../../tf.js";
import { simdMatMul } from "../simd/matmul.js";
import { simdKernels } from "../simd/module.js";
import { heapModule, pointer, release, runWasmKernel, type BackendWasm, type KernelArgs } from "./heap.js";

type KernelFunc = tf.KernelConfig["kernelFunc"];

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Multiply-adds per product from which a batch runs as single products on views. */
const VIEW_PRODUCT_MIN_WORK = 1 << 16;

/**
 * Multiply-adds per product from which simc's SIMD kernel runs it. The MNIST SIM's largest
 * products (128 × 1176 × 50) are just above and measured no slower there (a step's 21 products
 * 1.7–2.0 ms against 1.9–2.2 ms); smaller ones, where waking threads costs more than they
 * save, keep the paths below.
 */
const SIMD_PRODUCT_MIN_WORK = 1 << 20;

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
    const large = simdProducts(backend, a, b, transposeA, transposeB);
    if (large) return large;
    const foldable = batchB === 1 && !transposeA;
    // Each product on views is a separate XNNPACK call (operator set-up, a thread-pool hand-off):
    // worth it only when the products are large; small ones stay in the built-in loop.
    const work = size(a.shape.slice(-2)) * (transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1]);
    const sameBatch =
      batchA === batchB && batchA > 1 && work >= VIEW_PRODUCT_MIN_WORK && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
    if (!((batchA === 1 && batchB === 1) || foldable || sameBatch) || (!transposeA && !transposeB && batchA === 1)) {
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
    if (sameBatch) {
      const out = productsOnViews(backend, left, right, batchA, m, k, n);
      release(backend, ...temporaries);
      return out;
    }
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

/**
 * The product on simc's SIMD kernel when each product is large and the batches are equal or
 * one side has a single matrix (shared by every product); undefined otherwise.
 */
function simdProducts(
  backend: BackendWasm,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): tf.TensorInfo | undefined {
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const n = transposeB ? bRows : bCols;
  if (m * n * k < SIMD_PRODUCT_MIN_WORK || !simdKernels(heapModule(backend))) return undefined;
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(b.shape.slice(0, -2));
  const batchShape = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = size(batchShape);
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return undefined;
  const out = backend.makeOutput([...batchShape, m, n], "float32");
  // Pointers after the output is made: offsets stay valid when the heap grows.
  const [aBase, bBase, outBase] = [pointer(backend, a), pointer(backend, b), pointer(backend, out)];
  const heap = heapModule(backend);
  if (batchB === 1 && !transposeA) {
    // Rows of every left-hand matrix against the one right-hand matrix: a single product.
    simdMatMul(heap, { a: aBase, b: bBase, out: outBase, m: batch * m, k, n, transposeA, transposeB });
    return out;
  }
  for (let i = 0; i < batch; i++) {
    simdMatMul(heap, {
      a: aBase + (batchA === 1 ? 0 : 4 * i * m * k),
      b: bBase + (batchB === 1 ? 0 : 4 * i * k * n),
      out: outBase + 4 * i * m * n,
      m,
      k,
      n,
      transposeA,
      transposeB,
    });
  }
  return out;
}

type RawBatchMatMul = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  transposeA: boolean,
  transposeB: boolean,
  outId: number,
) => void;

interface Cwrap {
  cwrap(name: string, returns: null, args: string[]): RawBatchMatMul;
  tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
}

const rawProducts = new WeakMap<object, RawBatchMatMul>();

/**
 * `batch` products [m, k]·[k, n], each through the backend's single-product (XNNPACK) path:
 * the i-th slices of both operands and of the output are registered with the backend as tensors
 * of their own at offsets into the existing buffers (no copies), multiplied, and unregistered
 * (which also drops the operator the backend cached for that right-hand side).
 */
function productsOnViews(backend: BackendWasm, a: tf.TensorInfo, b: tf.TensorInfo, batch: number, m: number, k: number, n: number): tf.TensorInfo {
  const wasm = heapModule(backend) as unknown as Cwrap;
  let product = rawProducts.get(wasm);
  if (!product) {
    product = wasm.cwrap("BatchMatMul", null, ["number", "array", "number", "number", "array", "number", "number", "number", "number"]);
    rawProducts.set(wasm, product);
  }
  const out = backend.makeOutput([...a.shape.slice(0, -2), m, n], "float32");
  if (m * n === 0) return out;
  if (k === 0) {
    (backend.typedArrayFromHeap(out) as Float32Array).fill(0);
    return out;
  }
  const [aBase, bBase, outBase] = [pointer(backend, a), pointer(backend, b), pointer(backend, out)];
  const aShape = new Uint8Array(new Int32Array([1, m, k]).buffer);
  const bShape = new Uint8Array(new Int32Array([1, k, n]).buffer);
  const ids = backend as unknown as { dataIdNextNumber: number };
  for (let i = 0; i < batch; i++) {
    const [aId, bId, outId] = [ids.dataIdNextNumber++, ids.dataIdNextNumber++, ids.dataIdNextNumber++];
    wasm.tfjs.registerTensor(aId, m * k, aBase + 4 * i * m * k);
    wasm.tfjs.registerTensor(bId, k * n, bBase + 4 * i * k * n);
    wasm.tfjs.registerTensor(outId, m * n, outBase + 4 * i * m * n);
    product(aId, aShape, 3, bId, bShape, 3, false, false, outId);
    wasm.tfjs.disposeData(aId);
    wasm.tfjs.disposeData(bId);
    wasm.tfjs.disposeData(outId);
  }
  return out;
}
