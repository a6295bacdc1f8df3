/**
 * Runs the blocked SIMD product of ./gemm.ts on the wasm heap across the thread pool:
 * out[m, n] = op(A)·op(B), where op transposes an operand flagged so (read in place, never
 * copied). Tall products (M ≥ K) split their rows between threads, which write their own rows
 * of the output; deep ones (dW = Xᵀ·dY, K in the tens of thousands) split the reduction: each
 * thread sums its share of k, the first into the output and the others into partial products
 * of their own, added in at the end.
 */
import { COLUMN_BLOCK, DEPTH_BLOCK, gemmModule, type TileShape } from "./gemm.js";
import { heapF32, relaxedSimdAvailable, withScratch, type HeapModule } from "./module.js";
import { heapPool, pooledKernels } from "./pooled-kernels.js";
import type { PooledModule } from "./threads.js";

export interface MatMulProblem {
  /** Heap byte offsets of A, B and the output. */
  a: number;
  b: number;
  out: number;
  m: number;
  k: number;
  n: number;
  /** A is stored [k, m] (else [m, k]); B is stored [n, k] (else [k, n]). */
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * The register tile for `n` columns: 6 rows × 8 columns (12 accumulators, 2 vectors of B and a
 * broadcast: the 15 registers V8 has; measured 1.5–2× faster than 4 × 12 or 3 × 16, which
 * spill). Products at most 4 wide (a head of a few outputs) take 8 rows × 4 columns instead of
 * wasting most of each 8-wide panel (more rows would run out of pointer registers).
 */
export function tileFor(n: number): TileShape {
  return n <= 4 ? { rows: 8, vectors: 1 } : { rows: 6, vectors: 2 };
}

/** What one product needs: scratch, the calls for the pool, and where partial sums lie. */
export interface GemmPlan {
  scratchBytes: number;
  /** `gemm_range` arguments per thread, given the scratch's (16-byte aligned) offset. */
  calls(scratch: number): number[][];
  /** Offsets of the partial products to add into the output (empty when rows are split). */
  partials(scratch: number): number[];
}

const align = (floats: number) => Math.ceil(floats / 4) * 4;

/** Multiply-adds below which another thread costs more (waking it) than it saves. */
const MIN_WORK_PER_THREAD = 1 << 17;

/** Splits `p` between at most `threads` threads. */
export function planGemm(p: MatMulProblem, threads: number, tile: TileShape): GemmPlan {
  const panelWidth = 4 * tile.vectors;
  const packedFloats = align(DEPTH_BLOCK * Math.min(Math.ceil(p.n / panelWidth) * panelWidth, COLUMN_BLOCK));
  const spillFloats = align(tile.rows * panelWidth);
  const splitDepth = p.k > p.m;
  // Whole tiles of rows, or whole depth blocks, per thread; no thread without work.
  const unit = splitDepth ? DEPTH_BLOCK : tile.rows;
  const extent = splitDepth ? p.k : p.m;
  const work = p.m * p.k * p.n;
  const count = Math.max(1, Math.min(threads, Math.ceil(extent / unit), Math.floor(work / MIN_WORK_PER_THREAD)));
  const bounds = Array.from({ length: count + 1 }, (_, t) =>
    Math.min(extent, Math.round((Math.ceil(extent / unit) * t) / count) * unit),
  );
  // The first thread of a depth split writes the output itself; the others, partial products.
  const partialFloats = splitDepth ? align(p.m * p.n) : 0;
  const perThread = packedFloats + spillFloats + partialFloats;
  const aRowStep = p.transposeA ? 4 : 4 * p.k;
  const aKStep = p.transposeA ? 4 * p.m : 4;
  const bKStep = p.transposeB ? 4 : 4 * p.n;
  const bJStep = p.transposeB ? 4 * p.k : 4;
  const threadScratch = (scratch: number, t: number) => scratch + 4 * t * perThread;
  const partial = (scratch: number, t: number) => threadScratch(scratch, t) + 4 * (packedFloats + spillFloats);
  return {
    scratchBytes: 4 * count * perThread,
    calls: (scratch) =>
      Array.from({ length: count }, (_, t) => {
        const packed = threadScratch(scratch, t);
        const spill = packed + 4 * packedFloats;
        const out = splitDepth && t > 0 ? partial(scratch, t) : p.out;
        const [m0, m1] = splitDepth ? [0, p.m] : [bounds[t], bounds[t + 1]];
        const [k0, k1] = splitDepth ? [bounds[t], bounds[t + 1]] : [0, p.k];
        return [p.a, aRowStep, aKStep, p.b, bKStep, bJStep, out, 4 * p.n, m0, m1, k0, k1, p.n, packed, spill];
      }),
    partials: (scratch) => (splitDepth ? Array.from({ length: count - 1 }, (_, t) => partial(scratch, t + 1)) : []),
  };
}

function moduleFor(heap: HeapModule, tile: TileShape): PooledModule {
  const fused = relaxedSimdAvailable();
  return pooledKernels(heap, `gemm:${tile.rows}x${tile.vectors}:${fused}`, () => gemmModule(tile, fused));
}

/** Writes op(A)·op(B) to `p.out` (which must not overlap A or B). */
export function simdMatMul(heap: HeapModule, p: MatMulProblem): void {
  if (p.m === 0 || p.n === 0) return;
  if (p.k === 0) {
    heapF32(heap, p.out, p.m * p.n).fill(0);
    return;
  }
  const tile = tileFor(p.n);
  const module = moduleFor(heap, tile);
  const pool = heapPool(heap);
  const plan = planGemm(p, pool.size, tile);
  withScratch(heap, plan.scratchBytes, (scratch) => {
    pool.run(module, "gemm_range", plan.calls(scratch));
    const partials = plan.partials(scratch);
    if (partials.length === 0) return;
    const out = heapF32(heap, p.out, p.m * p.n);
    for (const offset of partials) {
      const partial = heapF32(heap, offset, p.m * p.n);
      for (let i = 0; i < out.length; i++) out[i] += partial[i];
    }
  });
}
