/**
 * Column sums of a `[rows, cols]` float32 matrix on the heap with the SIMD kernels, in chunks
 * of rows whose partial sums are added in float64, so long columns lose little precision.
 */
import { heapF32, withScratch, type HeapModule, type SimdKernels } from "./module.js";

const CHUNK_ROWS = 2048;

/** Σ_r x[r, c], or Σ_r (x[r, c] − mean[c])² when `meanPointer` is given. `cols % 4 == 0`. */
export function columnSums(
  heap: HeapModule,
  kernels: SimdKernels,
  xPointer: number,
  rows: number,
  cols: number,
  meanPointer?: number,
): Float64Array {
  const totals = new Float64Array(cols);
  withScratch(heap, cols * 4, (acc) => {
    for (let r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, rows - r0);
      heapF32(heap, acc, cols).fill(0);
      const from = xPointer + r0 * cols * 4;
      if (meanPointer === undefined) kernels.col_sum(from, count, cols, acc);
      else kernels.col_sum_sq_dev(from, count, cols, meanPointer, acc);
      const partial = heapF32(heap, acc, cols);
      for (let c = 0; c < cols; c++) totals[c] += partial[c];
    }
  });
  return totals;
}

/**
 * Σ g and Σ g·(x − mean) per column, in one pass, where g = dy, or dy where y > 0 when
 * `yPointer` is given (the gradient through a relu with output y). `cols % 4 == 0`.
 */
export function columnGradientSums(
  heap: HeapModule,
  kernels: SimdKernels,
  dyPointer: number,
  xPointer: number,
  meanPointer: number,
  rows: number,
  cols: number,
  yPointer?: number,
): { sumDy: Float64Array; sumDyXc: Float64Array } {
  const sumDy = new Float64Array(cols);
  const sumDyXc = new Float64Array(cols);
  withScratch(heap, cols * 8, (acc) => {
    const accXc = acc + cols * 4;
    for (let r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, rows - r0);
      heapF32(heap, acc, 2 * cols).fill(0);
      const offset = r0 * cols * 4;
      if (yPointer === undefined) {
        kernels.col_sum_dy_xdev(dyPointer + offset, xPointer + offset, count, cols, meanPointer, acc, accXc);
      } else {
        kernels.col_sum_dy_xdev_masked(
          dyPointer + offset,
          xPointer + offset,
          yPointer + offset,
          count,
          cols,
          meanPointer,
          acc,
          accXc,
        );
      }
      const partial = heapF32(heap, acc, 2 * cols);
      for (let c = 0; c < cols; c++) {
        sumDy[c] += partial[c];
        sumDyXc[c] += partial[cols + c];
      }
    }
  });
  return { sumDy, sumDyXc };
}
