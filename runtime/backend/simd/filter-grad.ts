/**
 * The filter gradient of a unit-stride NHWC convolution, computed directly from the images and
 * dy with the specialised SIMD product of ./filter-gemm.ts (no patch matrix), the batch split
 * across the thread pool. Each thread keeps its own planes, padded dy and partial sum.
 */
import { filterGradModule } from "./filter-gemm.js";
import { heapF32, relaxedSimdAvailable, withScratch, type HeapModule } from "./module.js";
import { heapPool, pooledKernels } from "./pooled-kernels.js";
import type { PooledModule } from "./threads.js";

export interface FilterGradGeometry {
  batch: number;
  inH: number;
  inW: number;
  cin: number;
  outH: number;
  outW: number;
  cout: number;
  kh: number;
  kw: number;
  dh: number;
  dw: number;
  top: number;
  left: number;
}

/** Output channels up to this many vectors keep their accumulators in registers. */
const MAX_VECTORS = 12;

/** Whether the direct path handles this geometry (unit strides are the caller's check). */
export function directFilterGradApplies(g: FilterGradGeometry): boolean {
  return Math.ceil(g.cout / 4) <= MAX_VECTORS && g.batch > 0 && g.cout > 0;
}

function moduleFor(heap: HeapModule, vectors: number): PooledModule {
  const fused = relaxedSimdAvailable();
  return pooledKernels(heap, `filter-grad:${vectors}:${fused}`, () => filterGradModule(vectors, fused));
}

/** Writes dW [kh, kw, cin, cout] to `outPointer` (a [rows, cout] float array). */
export function directFilterGrad(
  heap: HeapModule,
  xPointer: number,
  dyPointer: number,
  outPointer: number,
  g: FilterGradGeometry,
): void {
  // Output channels padded to whole vectors; the extra ones compute zeros and are dropped.
  const vectors = Math.ceil(g.cout / 4);
  const width = vectors * 4;
  const module = moduleFor(heap, vectors);
  const pool = heapPool(heap);
  const hp = Math.max(g.top + g.inH, g.outH + (g.kh - 1) * g.dh);
  const wp = Math.max(g.left + g.inW, g.outW + (g.kw - 1) * g.dw);
  const rows = g.kh * g.kw * g.cin;
  const threads = Math.min(pool.size, g.batch);
  const align = (floats: number) => Math.ceil(floats / 4) * 4;
  const planeFloats = align(g.cin * hp * wp + (g.kw - 1) * g.dw + 4);
  const dypFloats = align(g.outH * wp * width);
  const partialFloats = align(rows * width);
  const perThread = planeFloats + dypFloats + partialFloats;
  const tableFloats = align(rows);
  withScratch(heap, (tableFloats + threads * perThread) * 4, (base) => {
    const table = new Int32Array(heapF32(heap, base, tableFloats).buffer, base, rows);
    let r = 0;
    for (let i = 0; i < g.kh; i++) {
      for (let j = 0; j < g.kw; j++) {
        for (let c = 0; c < g.cin; c++) table[r++] = (c * hp * wp + i * g.dh * wp + j * g.dw) * 4;
      }
    }
    const calls: number[][] = [];
    for (let t = 0; t < threads; t++) {
      const planes = base + (tableFloats + t * perThread) * 4;
      const dyp = planes + planeFloats * 4;
      const partial = dyp + dypFloats * 4;
      heapF32(heap, planes, planeFloats).fill(0);
      heapF32(heap, partial, partialFloats).fill(0);
      const n0 = Math.floor((t * g.batch) / threads);
      const n1 = Math.floor(((t + 1) * g.batch) / threads);
      calls.push([
        xPointer,
        dyPointer,
        partial,
        planes,
        dyp,
        base,
        n0,
        n1,
        g.inH,
        g.inW,
        g.cin,
        g.outH,
        g.outW,
        g.top,
        g.left,
        hp,
        wp,
        rows,
        g.cout,
      ]);
    }
    pool.run(module, "filter_grad_range", calls);
    const out = heapF32(heap, outPointer, rows * g.cout);
    const partials = calls.map((call) => heapF32(heap, call[2], rows * width));
    for (let r = 0; r < rows; r++) {
      for (let o = 0; o < g.cout; o++) {
        let sum = 0;
        for (const partial of partials) sum += partial[r * width + o];
        out[r * g.cout + o] = sum;
      }
    }
  });
}
