/**
 * Batch-norm kernels for the wasm backend, on [..., C] tensors with per-channel [C] parameters
 * and C % 4 == 0 (whole SIMD vectors; other shapes use the built-in kernel or plain ops):
 *
 * - FusedBatchNorm (replaces the built-in scalar loop): y = (x − mean)·scale/√(var + ε) + offset.
 * - SimcBatchNormForward (simc's own): batch statistics (biased variance) and the normalised
 *   output in three passes, optionally through a relu → [y, mean, variance].
 * - SimcBatchNormBackward (simc's own): the closed-form gradient of that forward in two
 *   passes → [dx, dgamma, dbeta].
 * - SimcBatchNormGradSums (simc's own): Σ dy and Σ dy·(x − mean), for the registered
 *   FusedBatchNorm gradient (../gradients.ts).
 */
import type * as tf from "@tensorflow/tfjs-core";
import { columnGradientSums, columnMapRows, columnSums } from "../simd/column-sums.js";
import { heapF32, simdKernels, withScratch, type SimdKernels } from "../simd/module.js";
import { f32, heapModule, pointer, type BackendWasm, type KernelArgs } from "./heap.js";

export const BATCH_NORM_FORWARD = "SimcBatchNormForward";
export const BATCH_NORM_BACKWARD = "SimcBatchNormBackward";
export const BATCH_NORM_GRAD_SUMS = "SimcBatchNormGradSums";

type KernelFunc = tf.KernelConfig["kernelFunc"];

/** Whether x is [..., C] with C % 4 == 0 and every parameter is [C] (or absent). */
export function channelsFit(x: { shape: number[] }, ...params: Array<{ shape: number[] } | undefined>): boolean {
  const cols = x.shape[x.shape.length - 1];
  return (
    x.shape.length >= 2 &&
    cols % 4 === 0 &&
    params.every((p) => p === undefined || (p.shape.length === 1 && p.shape[0] === cols))
  );
}

function geometry(x: tf.TensorInfo): { rows: number; cols: number } {
  const cols = x.shape[x.shape.length - 1];
  return { rows: x.shape.slice(0, -1).reduce((a, b) => a * b, 1), cols };
}

/** Throws unless the engine runs the SIMD kernels these batch-norm kernels are made of. */
function requireKernels(backend: BackendWasm, name: string): SimdKernels {
  const kernels = simdKernels(heapModule(backend));
  if (!kernels) throw new Error(`${name} needs WebAssembly SIMD`);
  return kernels;
}

/** Writes per-channel float vectors into scratch and runs `body` with their pointers. */
function withVectors<T>(backend: BackendWasm, vectors: ArrayLike<number>[], body: (pointers: number[]) => T): T {
  const cols = vectors[0].length;
  const heap = heapModule(backend);
  return withScratch(heap, vectors.length * cols * 4, (base) => {
    const pointers = vectors.map((_, k) => base + k * cols * 4);
    vectors.forEach((v, k) => heapF32(heap, pointers[k], cols).set(v));
    return body(pointers);
  });
}

export function makeFusedBatchNorm(builtIn: KernelFunc) {
  return function fusedBatchNorm(args: KernelArgs<"x" | "mean" | "variance" | "offset" | "scale">): tf.TensorInfo {
    const { inputs, backend, attrs } = args;
    const { x, mean, variance, offset, scale } = inputs;
    const kernels = simdKernels(heapModule(backend));
    if (!kernels || x.dtype !== "float32" || !channelsFit(x, mean, variance, offset, scale)) {
      return builtIn(args as unknown as Parameters<KernelFunc>[0]) as tf.TensorInfo;
    }
    const { rows, cols } = geometry(x);
    const epsilon = (attrs.varianceEpsilon as number | undefined) ?? 0.001;
    const m = f32(backend, mean);
    const v = f32(backend, variance);
    const g = scale ? f32(backend, scale) : undefined;
    const b = offset ? f32(backend, offset) : undefined;
    const gain = new Float64Array(cols);
    const shift = new Float64Array(cols);
    for (let c = 0; c < cols; c++) {
      gain[c] = (g ? g[c] : 1) / Math.sqrt(v[c] + epsilon);
      shift[c] = (b ? b[c] : 0) - m[c] * gain[c];
    }
    const out = backend.makeOutput(x.shape, "float32");
    withVectors(backend, [gain, shift], ([gainAt, shiftAt]) =>
      columnMapRows(heapModule(backend), "col_affine", rows, cols, (at, count) => [
        pointer(backend, x) + at,
        count,
        cols,
        gainAt,
        shiftAt,
        pointer(backend, out) + at,
        0,
      ]),
    );
    return out;
  };
}

export function batchNormForward(args: KernelArgs<"x" | "gamma" | "beta">): tf.TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x, gamma, beta } = inputs;
  requireKernels(backend, BATCH_NORM_FORWARD);
  if (!channelsFit(x, gamma, beta))
    throw new Error(`${BATCH_NORM_FORWARD} needs x [..., C] with C % 4 == 0 and [C] parameters`);
  const { rows, cols } = geometry(x);
  const epsilon = attrs.epsilon as number;
  const heap = heapModule(backend);
  const meanOut = backend.makeOutput([cols], "float32");
  const varianceOut = backend.makeOutput([cols], "float32");
  const y = backend.makeOutput(x.shape, "float32");
  const sums = columnSums(heap, pointer(backend, x), rows, cols);
  const mean = f32(backend, meanOut);
  for (let c = 0; c < cols; c++) mean[c] = sums[c] / rows;
  // Second pass around the (float32) mean, as the biased variance of the centred values.
  const squares = columnSums(heap, pointer(backend, x), rows, cols, pointer(backend, meanOut));
  const variance = f32(backend, varianceOut);
  for (let c = 0; c < cols; c++) variance[c] = squares[c] / rows;
  const g = f32(backend, gamma);
  const b = f32(backend, beta);
  const gain = new Float64Array(cols);
  const shift = new Float64Array(cols);
  const meanNow = f32(backend, meanOut);
  const varianceNow = f32(backend, varianceOut);
  for (let c = 0; c < cols; c++) {
    gain[c] = g[c] / Math.sqrt(varianceNow[c] + epsilon);
    shift[c] = b[c] - meanNow[c] * gain[c];
  }
  withVectors(backend, [gain, shift], ([gainAt, shiftAt]) =>
    columnMapRows(heap, "col_affine", rows, cols, (at, count) => [
      pointer(backend, x) + at,
      count,
      cols,
      gainAt,
      shiftAt,
      pointer(backend, y) + at,
      attrs.relu ? 1 : 0,
    ]),
  );
  return [y, meanOut, varianceOut];
}

export function batchNormBackward(args: KernelArgs<"dy" | "x" | "y" | "mean" | "variance" | "gamma">): tf.TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { dy, x, y, mean, variance, gamma } = inputs;
  requireKernels(backend, BATCH_NORM_BACKWARD);
  const { rows, cols } = geometry(x);
  const relu = Boolean(attrs.relu);
  const epsilon = attrs.epsilon as number;
  const heap = heapModule(backend);
  const dx = backend.makeOutput(x.shape, "float32");
  const dgammaOut = backend.makeOutput([cols], "float32");
  const dbetaOut = backend.makeOutput([cols], "float32");
  const { sumDy, sumDyXc } = columnGradientSums(
    heap,
    pointer(backend, dy),
    pointer(backend, x),
    pointer(backend, mean),
    rows,
    cols,
    relu ? pointer(backend, y) : undefined,
  );
  const m = f32(backend, mean);
  const v = f32(backend, variance);
  const g = f32(backend, gamma);
  // dx = γ·r·g − γ·r³·(Σ g·xc / N)·(x − μ) − γ·r·(Σ g / N), r = 1/√(var + ε).
  const p = new Float64Array(cols);
  const q = new Float64Array(cols);
  const r = new Float64Array(cols);
  const dgamma = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    const rstd = 1 / Math.sqrt(v[c] + epsilon);
    p[c] = g[c] * rstd;
    q[c] = (-g[c] * rstd * rstd * rstd * sumDyXc[c]) / rows;
    r[c] = -q[c] * m[c] - (p[c] * sumDy[c]) / rows;
    dgamma[c] = sumDyXc[c] * rstd;
  }
  withVectors(backend, [p, q, r], ([pAt, qAt, rAt]) => {
    // The masked kernel takes relu's output y after x.
    columnMapRows(heap, relu ? "col_affine2_masked" : "col_affine2", rows, cols, (at, count) => [
      pointer(backend, dy) + at,
      pointer(backend, x) + at,
      ...(relu ? [pointer(backend, y) + at] : []),
      count,
      cols,
      pAt,
      qAt,
      rAt,
      pointer(backend, dx) + at,
    ]);
  });
  f32(backend, dgammaOut).set(dgamma);
  f32(backend, dbetaOut).set(sumDy);
  return [dx, dgammaOut, dbetaOut];
}

export function batchNormGradSums(args: KernelArgs<"dy" | "x" | "mean">): tf.TensorInfo[] {
  const { inputs, backend } = args;
  const { dy, x, mean } = inputs;
  requireKernels(backend, BATCH_NORM_GRAD_SUMS);
  if (!channelsFit(x, mean)) throw new Error(`${BATCH_NORM_GRAD_SUMS} needs x [..., C] with C % 4 == 0 and mean [C]`);
  const { rows, cols } = geometry(x);
  const { sumDy, sumDyXc } = columnGradientSums(
    heapModule(backend),
    pointer(backend, dy),
    pointer(backend, x),
    pointer(backend, mean),
    rows,
    cols,
  );
  const outDy = backend.makeOutput([cols], "float32");
  const outXc = backend.makeOutput([cols], "float32");
  f32(backend, outDy).set(sumDy);
  f32(backend, outXc).set(sumDyXc);
  return [outDy, outXc];
}
