/**
 * Per-column passes over a `[rows, cols]` float32 matrix on the heap (`cols % 4 == 0`), split by
 * rows across the kernel thread pool: column sums, the batch-norm gradient sums, and the
 * row-wise affine maps of ./columns.ts. Sums run in chunks of rows whose float32 partial sums
 * are added in float64 (inside each thread, then across threads), so long columns lose little
 * precision.
 */
import { Fn } from "./assembler.js";
import { columnKernels } from "./columns.js";
import { heapF32, heapMemory, withScratch, type HeapModule } from "./module.js";
import { heapPool, pooledKernels } from "./pooled-kernels.js";

const CHUNK_ROWS = 2048;
/** Elements below which one thread does the whole pass (a hand-off costs more than it saves). */
const PARALLEL_MIN_ELEMENTS = 1 << 16;

/**
 * A driver that runs the column kernel `kernel` over rows [0, rows) in chunks, adding each
 * chunk's float32 sums (cols floats per accumulator, contiguous from the first) into float64
 * totals at acc64. Its arguments are the kernel's own, then acc64 and chunkRows.
 */
function chunkedSums(
  name: string,
  kernelIndex: number,
  kernel: Fn,
  layout: {
    rowsArg: number;
    colsArg: number;
    matrixArgs: number[];
    accArgs: number[];
  },
): Fn {
  const params = kernel.params.length;
  const fn = new Fn(name, Array(params + 2).fill("i32"));
  const acc64 = params;
  const chunkRows = params + 1;
  const [r0, count, c, width] = [fn.local("i32"), fn.local("i32"), fn.local("i32"), fn.local("i32")];
  const acc32 = layout.accArgs[0];
  const cols = layout.colsArg;
  const rows = layout.rowsArg;
  // Floats of float32 accumulators: cols per accumulator argument.
  fn.get(cols).i32(layout.accArgs.length).i32Mul().set(width);
  fn.forRange(
    r0,
    () => fn.i32(0),
    () => fn.get(rows),
    () => fn.get(chunkRows),
    () => {
      fn.get(chunkRows);
      fn.get(rows).get(r0).i32Sub();
      fn.get(chunkRows).get(rows).get(r0).i32Sub().i32LtS();
      fn.select().set(count);
      fn.get(acc32).i32(0).get(width).i32(4).i32Mul().memoryFill();
      for (let p = 0; p < params; p++) {
        if (p === rows) fn.get(count);
        else if (layout.matrixArgs.includes(p)) fn.get(p).get(r0).get(cols).i32Mul().i32(4).i32Mul().i32Add();
        else fn.get(p);
      }
      fn.call(kernelIndex);
      fn.forRange(
        c,
        () => fn.i32(0),
        () => fn.get(width),
        1,
        () => {
          fn.get(acc64).get(c).i32(8).i32Mul().i32Add();
          fn.get(acc64).get(c).i32(8).i32Mul().i32Add().f64Load();
          fn.get(acc32).get(c).i32(4).i32Mul().i32Add().f32Load().f64PromoteF32();
          fn.f64Add().f64Store();
        },
      );
    },
  );
  return fn;
}

/** The column kernels plus chunked-sum drivers for the summing ones. */
function pooledFunctions(): Fn[] {
  const fns = columnKernels();
  const index = (name: string) => fns.findIndex((f) => f.exportName === name);
  const drivers: Fn[] = [];
  // col_sum(x, rows, cols, acc); col_sum_sq_dev(x, rows, cols, mean, acc).
  drivers.push(
    chunkedSums("col_sum_chunked", index("col_sum"), fns[index("col_sum")], {
      rowsArg: 1,
      colsArg: 2,
      matrixArgs: [0],
      accArgs: [3],
    }),
  );
  drivers.push(
    chunkedSums("col_sum_sq_dev_chunked", index("col_sum_sq_dev"), fns[index("col_sum_sq_dev")], {
      rowsArg: 1,
      colsArg: 2,
      matrixArgs: [0],
      accArgs: [4],
    }),
  );
  // col_sum_dy_xdev(dy, x, rows, cols, mean, accDy, accXc); the masked one takes y after x.
  drivers.push(
    chunkedSums("col_sum_dy_xdev_chunked", index("col_sum_dy_xdev"), fns[index("col_sum_dy_xdev")], {
      rowsArg: 2,
      colsArg: 3,
      matrixArgs: [0, 1],
      accArgs: [5, 6],
    }),
  );
  drivers.push(
    chunkedSums(
      "col_sum_dy_xdev_masked_chunked",
      index("col_sum_dy_xdev_masked"),
      fns[index("col_sum_dy_xdev_masked")],
      {
        rowsArg: 3,
        colsArg: 4,
        matrixArgs: [0, 1, 2],
        accArgs: [6, 7],
      },
    ),
  );
  return [...fns, ...drivers];
}

function pooled(heap: HeapModule): { size: number; run: (fn: string, calls: number[][]) => void } {
  const pool = heapPool(heap);
  const module = pooledKernels(heap, "columns", pooledFunctions);
  return { size: pool.size, run: (fn, calls) => pool.run(module, fn, calls) };
}

/** Row ranges [r0, r0 + count), one per thread used. */
function rowShares(rows: number, cols: number, poolSize: number): Array<[number, number]> {
  const threads = rows * cols < PARALLEL_MIN_ELEMENTS ? 1 : Math.min(poolSize, rows);
  return Array.from({ length: threads }, (_, t) => {
    const r0 = Math.floor((t * rows) / threads);
    return [r0, Math.floor(((t + 1) * rows) / threads) - r0];
  });
}

/**
 * Runs a chunked summing driver on each thread's rows and returns the float64 totals
 * (`accumulators` × cols values). `args(r0, count, acc32)` gives the kernel's own arguments.
 */
function sumRows(
  heap: HeapModule,
  driver: string,
  rows: number,
  cols: number,
  accumulators: number,
  args: (r0: number, count: number, acc32: number) => number[],
): Float64Array {
  const { size, run } = pooled(heap);
  const shares = rowShares(rows, cols, size);
  const width = accumulators * cols;
  const totals = new Float64Array(width);
  withScratch(heap, shares.length * width * 12, (base) => {
    const calls = shares.map(([r0, count], t) => {
      const acc32 = base + t * width * 12;
      const acc64 = acc32 + width * 4;
      new Float64Array(heapMemory(heap).buffer, acc64, width).fill(0);
      return [...args(r0, count, acc32), acc64, CHUNK_ROWS];
    });
    run(driver, calls);
    for (const call of calls) {
      const partial = new Float64Array(heapMemory(heap).buffer, call[call.length - 2], width);
      for (let c = 0; c < width; c++) totals[c] += partial[c];
    }
  });
  return totals;
}

/** Σ_r x[r, c], or Σ_r (x[r, c] − mean[c])² when `meanPointer` is given. */
export function columnSums(
  heap: HeapModule,
  xPointer: number,
  rows: number,
  cols: number,
  meanPointer?: number,
): Float64Array {
  const rowBytes = cols * 4;
  if (meanPointer === undefined) {
    return sumRows(heap, "col_sum_chunked", rows, cols, 1, (r0, count, acc) => [
      xPointer + r0 * rowBytes,
      count,
      cols,
      acc,
    ]);
  }
  return sumRows(heap, "col_sum_sq_dev_chunked", rows, cols, 1, (r0, count, acc) => [
    xPointer + r0 * rowBytes,
    count,
    cols,
    meanPointer,
    acc,
  ]);
}

/**
 * Σ g and Σ g·(x − mean) per column, in one pass, where g = dy, or dy where y > 0 when
 * `yPointer` is given (the gradient through a relu with output y).
 */
export function columnGradientSums(
  heap: HeapModule,
  dyPointer: number,
  xPointer: number,
  meanPointer: number,
  rows: number,
  cols: number,
  yPointer?: number,
): { sumDy: Float64Array; sumDyXc: Float64Array } {
  const rowBytes = cols * 4;
  const totals =
    yPointer === undefined
      ? sumRows(heap, "col_sum_dy_xdev_chunked", rows, cols, 2, (r0, count, acc) => [
          dyPointer + r0 * rowBytes,
          xPointer + r0 * rowBytes,
          count,
          cols,
          meanPointer,
          acc,
          acc + rowBytes,
        ])
      : sumRows(heap, "col_sum_dy_xdev_masked_chunked", rows, cols, 2, (r0, count, acc) => [
          dyPointer + r0 * rowBytes,
          xPointer + r0 * rowBytes,
          yPointer + r0 * rowBytes,
          count,
          cols,
          meanPointer,
          acc,
          acc + rowBytes,
        ]);
  return { sumDy: totals.slice(0, cols), sumDyXc: totals.slice(cols) };
}

/**
 * Runs a row-wise column kernel (`col_affine`, `col_affine2`, `col_affine2_masked`) with each
 * thread on its own rows; `args(rowOffsetBytes, count)` gives the kernel's arguments.
 */
export function columnMapRows(
  heap: HeapModule,
  kernel: "col_affine" | "col_affine2" | "col_affine2_masked",
  rows: number,
  cols: number,
  args: (rowOffsetBytes: number, count: number) => number[],
): void {
  const { size, run } = pooled(heap);
  run(
    kernel,
    rowShares(rows, cols, size).map(([r0, count]) => args(r0 * cols * 4, count)),
  );
}
