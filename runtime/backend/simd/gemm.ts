/**
 * A cache-blocked single-precision matrix product, C = A·B, assembled for WebAssembly SIMD.
 *
 * A is read where it lies, in either layout: "rows" when each row of A is contiguous ([M, K],
 * the plain operand) and "columns" when each column is ([K, M], a transposed operand), so that
 * dW = Xᵀ·dY needs no transpose copy. B, in either layout, is first packed, DEPTH_BLOCK steps of
 * k and COLUMN_BLOCK columns at a time, into panels of 4·V columns, each panel [steps][4·V]
 * contiguous (zeros past N): the micro-kernel then reads B with constant offsets, and the packed
 * block stays in L2 while each tile of rows of A, in L1, is multiplied by all its panels. The
 * micro-kernel keeps a tile of R rows × 4·V columns of C in
 * v128 locals, with fused multiply-adds when the engine has relaxed SIMD. V8 gives wasm 15 v128
 * registers on x64: the R·V accumulators, V vectors of B and one broadcast of A must fit, or
 * accumulators spill and every step waits on the stack. The first depth block writes C, the
 * others add to it (no pass clearing C first: for a [65536, 256] output that is 64 MiB less
 * traffic each way).
 *
 * Functions, in module order (indices for `call`): micro-kernels for rows layout with 1…R
 * rows, the same for columns layout, `pack_b`, and the per-thread driver `gemm_range`.
 */
import { Fn } from "./assembler.js";

/** Steps of k packed and multiplied per pass (a panel of 4·V columns of B is 4·V KiB). */
export const DEPTH_BLOCK = 256;

/** Columns of B packed per pass: bounds the packed block (512 KiB, within L2) for wide B. */
export const COLUMN_BLOCK = 512;

/** The register tile of the micro-kernel: `rows` × 4·`vectors` floats of C. */
export interface TileShape {
  rows: number;
  vectors: number;
}

type Layout = "rows" | "columns";

/**
 * `micro(a, aStride, panel, steps, c, ldc, accumulate)`: C tile (`rows` × 4·V at `c`, rows
 * `ldc` bytes apart) = A tile · panel over `steps` values of k, plus the tile's old values when
 * `accumulate` is non-zero. `a` is A(i0, k0); `aStride` is the byte distance between A's rows
 * (rows layout, k steps 4 bytes) or between its k steps (columns layout, rows 4 bytes apart).
 * `panel` is [steps][4·V] floats.
 */
function microKernel(layout: Layout, rows: number, vectors: number, fused: boolean): Fn {
  const fn = new Fn(`micro_${layout}_${rows}`, ["i32", "i32", "i32", "i32", "i32", "i32", "i32"]);
  const [a, aStride, panel, steps, c, ldc, accumulate] = [0, 1, 2, 3, 4, 5, 6];
  const k = fn.local("i32");
  const cRow = fn.local("i32");
  // Rows layout: a pointer per row, advancing 4 bytes per k; columns layout: one pointer,
  // advancing `aStride` per k, the tile's rows at offsets 0, 4, 8, …
  const pointers = Array.from({ length: layout === "rows" ? rows : 1 }, () => fn.local("i32"));
  const broadcast = fn.local("v128");
  const b = Array.from({ length: vectors }, () => fn.local("v128"));
  const acc = Array.from({ length: rows }, () => Array.from({ length: vectors }, () => fn.local("v128")));
  const panelBytes = vectors * 16;

  // One k step. Not unrolled: TurboFan would hoist every unrolled step's loads above the
  // multiply-adds, and the registers they then hold push accumulators onto the stack.
  const step = () => {
    for (let v = 0; v < vectors; v++)
      fn.get(panel)
        .v128Load(v * 16)
        .set(b[v]);
    for (let i = 0; i < rows; i++) {
      if (layout === "rows") fn.get(pointers[i]).v128Load32Splat();
      else fn.get(pointers[0]).v128Load32Splat(4 * i);
      fn.set(broadcast);
      for (let v = 0; v < vectors; v++) {
        if (fused) fn.get(broadcast).get(b[v]).get(acc[i][v]).f32x4RelaxedMadd().set(acc[i][v]);
        else fn.get(acc[i][v]).get(broadcast).get(b[v]).f32x4Mul().f32x4Add().set(acc[i][v]);
      }
    }
    if (layout === "rows") {
      for (const p of pointers) fn.get(p).i32(4).i32Add().set(p);
    } else {
      fn.get(pointers[0]).get(aStride).i32Add().set(pointers[0]);
    }
    fn.get(panel).i32(panelBytes).i32Add().set(panel);
  };
  // The C tile, row by row: in before the steps, out after.
  const eachTileRow = (body: (i: number) => void) => {
    fn.get(c).set(cRow);
    for (let i = 0; i < rows; i++) {
      if (i > 0) fn.get(cRow).get(ldc).i32Add().set(cRow);
      body(i);
    }
  };

  for (let i = 0; i < pointers.length; i++) fn.get(a).get(aStride).i32(i).i32Mul().i32Add().set(pointers[i]);
  fn.get(accumulate).if();
  eachTileRow((i) => {
    for (let v = 0; v < vectors; v++)
      fn.get(cRow)
        .v128Load(v * 16)
        .set(acc[i][v]);
  });
  fn.else();
  for (const row of acc) for (const local of row) fn.v128Zero().set(local);
  fn.end();
  fn.forRange(
    k,
    () => fn.i32(0),
    () => fn.get(steps),
    1,
    step,
  );
  eachTileRow((i) => {
    for (let v = 0; v < vectors; v++)
      fn.get(cRow)
        .get(acc[i][v])
        .v128Store(v * 16);
  });
  return fn;
}

/**
 * `pack_b(b, kStep, jStep, steps, n, packed)`: B(k, j) at `b + k·kStep + j·jStep` bytes, for
 * k < steps and j < n, into panels [⌈n / 4V⌉][steps][4V], zeros past column n. Whole panels of
 * a B with contiguous rows are copied a vector at a time.
 */
function packB(vectors: number): Fn {
  const fn = new Fn("pack_b", ["i32", "i32", "i32", "i32", "i32", "i32"]);
  const [b, kStep, jStep, steps, n, packed] = [0, 1, 2, 3, 4, 5];
  const [j0, k, jj, source, target, width] = Array.from({ length: 6 }, () => fn.local("i32"));
  const panelWidth = 4 * vectors;
  fn.get(packed).set(target);
  fn.forRange(
    j0,
    () => fn.i32(0),
    () => fn.get(n),
    panelWidth,
    () => {
      fn.get(b).get(j0).get(jStep).i32Mul().i32Add().set(source);
      // width = min(panelWidth, n − j0)
      fn.get(n).get(j0).i32Sub().set(width);
      fn.get(width).i32(panelWidth).i32GtS().if().i32(panelWidth).set(width).end();
      fn.get(width).i32(panelWidth).i32Eq().get(jStep).i32(4).i32Eq().i32And().if();
      fn.forRange(
        k,
        () => fn.i32(0),
        () => fn.get(steps),
        1,
        () => {
          for (let v = 0; v < vectors; v++)
            fn.get(target)
              .get(source)
              .v128Load(v * 16)
              .v128Store(v * 16);
          fn.get(source).get(kStep).i32Add().set(source);
          fn.get(target)
            .i32(panelWidth * 4)
            .i32Add()
            .set(target);
        },
      );
      fn.else();
      fn.forRange(
        k,
        () => fn.i32(0),
        () => fn.get(steps),
        1,
        () => {
          for (let v = 0; v < vectors; v++)
            fn.get(target)
              .v128Zero()
              .v128Store(v * 16);
          fn.forRange(
            jj,
            () => fn.i32(0),
            () => fn.get(width),
            1,
            () => {
              fn.get(target).get(jj).i32(4).i32Mul().i32Add();
              fn.get(source).get(jj).get(jStep).i32Mul().i32Add().f32Load();
              fn.f32Store();
            },
          );
          fn.get(source).get(kStep).i32Add().set(source);
          fn.get(target)
            .i32(panelWidth * 4)
            .i32Add()
            .set(target);
        },
      );
      fn.end();
    },
  );
  return fn;
}

/**
 * `gemm_range(a, aRowStep, aKStep, b, bKStep, bJStep, c, ldc, m0, m1, k0, k1, n, packed,
 * spill)`: C(i, j) = Σ_{k0 ≤ k < k1} A(i, k)·B(k, j) for rows m0 ≤ i < m1 and every j < n
 * (k0 < k1: an empty sum would leave C unwritten),
 * with A(i, k) at `a + i·aRowStep + k·aKStep`, B(k, j) at `b + k·bKStep + j·bJStep` and
 * C(i, j) at `c + i·ldc + 4j` (all bytes). One of aRowStep, aKStep must be 4. `packed` holds
 * DEPTH_BLOCK × min(⌈n / 4V⌉·4V, COLUMN_BLOCK) floats; `spill`, R × 4V floats, carries a last
 * partial panel's tile (C cannot take whole vectors there).
 */
function gemmRange(tile: TileShape): Fn {
  const fn = new Fn("gemm_range", Array(15).fill("i32"));
  const [a, aRowStep, aKStep, b, bKStep, bJStep, c, ldc, m0, m1, k0, k1, n, packed, spill] = Array.from(
    { length: 15 },
    (_, i) => i,
  );
  const [jc, blockWidth, kc, steps, i0, rows, j0, width, aTile, aStride, columns, panel, cTile, r, jj] = Array.from(
    { length: 15 },
    () => fn.local("i32"),
  );
  const { rows: tileRows, vectors } = tile;
  const panelWidth = 4 * vectors;
  const packIndex = 2 * tileRows;

  // Calls micro_{layout}_{rows}(aTile, aStride, panel, steps, target, targetStride, kc ≠ k0).
  const callMicro = (target: () => void, targetStride: () => void) => {
    fn.get(columns).if();
    dispatchByRows(
      tileRows,
      () => target(),
      () => targetStride(),
    );
    fn.else();
    dispatchByRows(
      0,
      () => target(),
      () => targetStride(),
    );
    fn.end();
  };
  function dispatchByRows(firstIndex: number, target: () => void, targetStride: () => void) {
    for (let count = tileRows; count >= 1; count--) {
      const call = () => {
        fn.get(aTile).get(aStride).get(panel).get(steps);
        target();
        targetStride();
        fn.get(kc).get(k0).i32Ne();
        fn.call(firstIndex + count - 1);
      };
      if (count === 1) {
        call();
      } else {
        fn.get(rows).i32(count).i32Eq().if();
        call();
        fn.else();
      }
    }
    for (let count = tileRows; count > 1; count--) fn.end();
  }
  // Copies the valid `width` columns of the C tile to or from `spill` (rows × 4V floats).
  const copyTile = (toSpill: boolean) => {
    fn.forRange(
      r,
      () => fn.i32(0),
      () => fn.get(rows),
      1,
      () => {
        fn.forRange(
          jj,
          () => fn.i32(0),
          () => fn.get(width),
          1,
          () => {
            const spillAddress = () =>
              fn.get(spill).get(r).i32(panelWidth).i32Mul().get(jj).i32Add().i32(4).i32Mul().i32Add();
            const cAddress = () => fn.get(cTile).get(r).get(ldc).i32Mul().i32Add().get(jj).i32(4).i32Mul().i32Add();
            if (toSpill) {
              spillAddress();
              cAddress();
            } else {
              cAddress();
              spillAddress();
            }
            fn.f32Load().f32Store();
          },
        );
      },
    );
  };

  fn.get(aKStep).i32(4).i32Ne().set(columns);
  fn.get(columns).if().get(aKStep).set(aStride).else().get(aRowStep).set(aStride).end();
  fn.forRange(
    jc,
    () => fn.i32(0),
    () => fn.get(n),
    COLUMN_BLOCK,
    () => {
      // blockWidth = min(COLUMN_BLOCK, n − jc)
      fn.get(n).get(jc).i32Sub().set(blockWidth);
      fn.get(blockWidth).i32(COLUMN_BLOCK).i32GtS().if().i32(COLUMN_BLOCK).set(blockWidth).end();
      fn.forRange(
        kc,
        () => fn.get(k0),
        () => fn.get(k1),
        DEPTH_BLOCK,
        () => {
          // steps = min(DEPTH_BLOCK, k1 − kc)
          fn.get(k1).get(kc).i32Sub().set(steps);
          fn.get(steps).i32(DEPTH_BLOCK).i32GtS().if().i32(DEPTH_BLOCK).set(steps).end();
          fn.get(b).get(kc).get(bKStep).i32Mul().i32Add().get(jc).get(bJStep).i32Mul().i32Add();
          fn.get(bKStep).get(bJStep).get(steps).get(blockWidth).get(packed).call(packIndex);
          fn.forRange(
            i0,
            () => fn.get(m0),
            () => fn.get(m1),
            tileRows,
            () => {
              fn.get(m1).get(i0).i32Sub().set(rows);
              fn.get(rows).i32(tileRows).i32GtS().if().i32(tileRows).set(rows).end();
              fn.get(a).get(i0).get(aRowStep).i32Mul().i32Add().get(kc).get(aKStep).i32Mul().i32Add().set(aTile);
              fn.get(packed).set(panel);
              fn.forRange(
                j0,
                () => fn.i32(0),
                () => fn.get(blockWidth),
                panelWidth,
                () => {
                  fn.get(c).get(i0).get(ldc).i32Mul().i32Add().get(jc).get(j0).i32Add().i32(4).i32Mul().i32Add();
                  fn.set(cTile);
                  fn.get(blockWidth).get(j0).i32Sub().set(width);
                  fn.get(width).i32(panelWidth).i32GeS().if();
                  callMicro(
                    () => fn.get(cTile),
                    () => fn.get(ldc),
                  );
                  fn.else();
                  fn.get(spill)
                    .i32(0)
                    .i32(tileRows * panelWidth * 4)
                    .memoryFill();
                  copyTile(true);
                  callMicro(
                    () => fn.get(spill),
                    () => fn.i32(panelWidth * 4),
                  );
                  copyTile(false);
                  fn.end();
                  fn.get(panel)
                    .get(steps)
                    .i32(panelWidth * 4)
                    .i32Mul()
                    .i32Add()
                    .set(panel);
                },
              );
            },
          );
        },
      );
    },
  );
  return fn;
}

/** The module for one tile shape, functions in the order the header gives. */
export function gemmModule(tile: TileShape, fused: boolean): Fn[] {
  const micro = (layout: Layout) =>
    Array.from({ length: tile.rows }, (_, i) => microKernel(layout, i + 1, tile.vectors, fused));
  return [...micro("rows"), ...micro("columns"), packB(tile.vectors), gemmRange(tile)];
}
