/**
 * simc's blocked SIMD matrix product: the kernel itself on a pool of threads against a float64
 * reference (every layout, odd sizes, partial tiles and panels, several depth and column blocks, rows and
 * depth split between threads, with and without fused multiply-adds), and the wasm backend's
 * BatchMatMul that runs it against the cpu backend, gradients of a dense layer included.
 */
import * as tf from "../../runtime/tf.js";
import { describe, expect, it } from "vitest";
import { encodeModule } from "../../runtime/backend/simd/assembler.js";
import { COLUMN_BLOCK, DEPTH_BLOCK, gemmModule } from "../../runtime/backend/simd/gemm.js";
import { planGemm, tileFor, type MatMulProblem } from "../../runtime/backend/simd/matmul.js";
import { relaxedSimdAvailable } from "../../runtime/backend/simd/module.js";
import { ThreadPool } from "../../runtime/backend/simd/threads.js";
import { maxDifference, maxMagnitude, onCpuAndWasm, randomArray } from "./compare.js";

const WebAssemblyApi = (
  globalThis as unknown as { WebAssembly: { Memory: new (d: object) => { buffer: ArrayBuffer } } }
).WebAssembly;

/** [m, k, n]: tiny, odd, narrow (≤ 4 columns), partial last panels, several depth blocks. */
const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1],
  [5, 3, 7],
  [13, 17, 29],
  [7, 5, 1],
  [37, 19, 3],
  [25, 11, 4],
  [20, 30, 13],
  [9, 2 * DEPTH_BLOCK + 88, 10],
  // More columns than one packed block, the last panel partial.
  [7, 30, 2 * COLUMN_BLOCK + 6],
  [13, DEPTH_BLOCK + 44, COLUMN_BLOCK + 9],
  // Enough work for three threads: rows split, depth split (wide and narrow tiles).
  [130, 50, 70],
  [1000, 150, 3],
  [20, 4 * DEPTH_BLOCK + 77, 30],
  [70, 2000, 3],
];

const PAGES = 256;
const memory = new WebAssemblyApi.Memory({ initial: PAGES, maximum: PAGES, shared: true });
const pool = new ThreadPool(memory, 3);

/** A(i, k) and B(k, j) of `p`'s layouts, as float64 products summed in order. */
function reference(p: MatMulProblem, a: Float32Array, b: Float32Array): { product: Float64Array; bound: Float64Array } {
  const product = new Float64Array(p.m * p.n);
  // Σ|A(i,k)·B(k,j)|: float32 sums of k terms are within about k·2⁻²⁴ of it.
  const bound = new Float64Array(p.m * p.n);
  for (let i = 0; i < p.m; i++) {
    for (let j = 0; j < p.n; j++) {
      let sum = 0;
      let magnitude = 0;
      for (let k = 0; k < p.k; k++) {
        const term =
          (p.transposeA ? a[k * p.m + i] : a[i * p.k + k]) * (p.transposeB ? b[j * p.k + k] : b[k * p.n + j]);
        sum += term;
        magnitude += Math.abs(term);
      }
      product[i * p.n + j] = sum;
      bound[i * p.n + j] = 4 * p.k * 2 ** -24 * magnitude + 1e-30;
    }
  }
  return { product, bound };
}

function runKernel(p: MatMulProblem, fused: boolean): Float32Array {
  const tile = tileFor(p.n);
  const fns = gemmModule(tile, fused);
  const module = pool.load(
    encodeModule(fns, { shared: true, maximumPages: PAGES }),
    fns.map((f) => f.exportName),
  );
  const plan = planGemm(p, pool.size, tile);
  const scratch = p.out + 4 * p.m * p.n + 64;
  if (scratch + plan.scratchBytes > PAGES * 65536) throw new Error("test memory too small");
  // Stale values where the kernel must clear: it owns every output element.
  new Float32Array(memory.buffer, p.out, p.m * p.n).fill(Number.NaN);
  pool.run(module, "gemm_range", plan.calls(scratch));
  const out = new Float32Array(memory.buffer, p.out, p.m * p.n);
  for (const offset of plan.partials(scratch)) {
    const partial = new Float32Array(memory.buffer, offset, p.m * p.n);
    for (let i = 0; i < out.length; i++) out[i] += partial[i];
  }
  return Float32Array.from(out);
}

describe("blocked SIMD matrix product (gemm_range on three threads)", () => {
  const variants = relaxedSimdAvailable() ? [false, true] : [false];
  for (const fused of variants) {
    for (const [m, k, n] of SHAPES) {
      it(`matches a float64 reference for [${m}×${k}]·[${k}×${n}], every layout${fused ? ", fused" : ""}`, () => {
        for (const transposeA of [false, true]) {
          for (const transposeB of [false, true]) {
            const a = randomArray(m * k, m + 7 * k);
            const b = randomArray(k * n, n + 11 * k);
            // Odd offsets (multiples of 4 bytes only): the kernel must not rely on alignment.
            const p: MatMulProblem = { a: 260, b: 0, out: 0, m, k, n, transposeA, transposeB };
            p.b = p.a + 4 * m * k + 20;
            p.out = p.b + 4 * k * n + 36;
            new Float32Array(memory.buffer, p.a, m * k).set(a);
            new Float32Array(memory.buffer, p.b, k * n).set(b);
            const got = runKernel(p, fused);
            const { product, bound } = reference(p, a, b);
            let worst = 0;
            for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - product[i]) / bound[i]);
            expect(worst, `transposeA ${transposeA}, transposeB ${transposeB}`).toBeLessThanOrEqual(1);
          }
        }
      });
    }
  }

  it("splits rows, or the depth, between threads in whole tiles and depth blocks", () => {
    const calls = (m: number, k: number, n: number) =>
      planGemm({ a: 0, b: 0, out: 0, m, k, n, transposeA: false, transposeB: false }, 3, tileFor(n)).calls(1024);
    // gemm_range arguments 8–11: m0, m1, k0, k1.
    expect(calls(130, 50, 70).map((c) => c.slice(8, 12))).toEqual([
      [0, 42, 0, 50],
      [42, 90, 0, 50],
      [90, 130, 0, 50],
    ]);
    expect(calls(20, 1101, 30).map((c) => c.slice(8, 12))).toEqual([
      [0, 20, 0, 512],
      [0, 20, 512, 768],
      [0, 20, 768, 1101],
    ]);
    // Little work stays on one thread.
    expect(calls(5, 3, 7)).toHaveLength(1);
  });
});

describe("BatchMatMul on the SIMD product (wasm against cpu)", () => {
  const t = (shape: number[], seed: number) =>
    tf.tensor(
      randomArray(
        shape.reduce((x, y) => x * y, 1),
        seed,
      ),
      shape,
    );
  async function expectClose(computation: () => tf.Tensor | tf.Tensor[]): Promise<void> {
    const [cpu, wasm] = await onCpuAndWasm(computation);
    expect(maxDifference(cpu, wasm)).toBeLessThanOrEqual(1e-5 * Math.max(maxMagnitude(cpu), 1));
  }

  it("matches cpu for large products in every layout, batched and broadcast", async () => {
    // Each product has at least 2²⁰ multiply-adds, the SIMD kernel's threshold.
    await expectClose(() => [
      tf.matMul(t([301, 97], 1), t([97, 45], 2)),
      tf.matMul(t([97, 301], 3), t([97, 45], 4), true, false),
      tf.matMul(t([301, 97], 5), t([45, 97], 6), false, true),
      tf.matMul(t([97, 301], 7), t([45, 97], 8), true, true),
      tf.matMul(t([2, 3, 70, 130], 9), t([2, 3, 130, 117], 10)),
      tf.matMul(t([3, 130, 70], 11), t([130, 117], 12), true, false),
      tf.matMul(t([70, 130], 13), t([3, 117, 130], 14), false, true),
      tf.matMul(t([4, 70, 130], 15), t([1, 130, 117], 16)),
    ]);
  });

  it("gives a large dense layer the same gradients as cpu", async () => {
    await expectClose(() => {
      const x = t([600, 97], 20);
      const w = t([97, 45], 21);
      const b = t([45], 22);
      const dense = (input: tf.Tensor, weights: tf.Tensor, bias: tf.Tensor) =>
        tf.sum(tf.square(tf.relu(tf.add(tf.matMul(input as tf.Tensor2D, weights as tf.Tensor2D), bias))));
      return tf.grads(dense)([x, w, b]);
    });
  });
});
