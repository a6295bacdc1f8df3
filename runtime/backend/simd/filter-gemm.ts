/**
 * The product behind a convolution's filter gradient, dW[r, o] += Σ_k A_r[k] · D[k, o], where
 * each row A_r is a run of one zero-padded channel plane of an image, starting at a per-row
 * offset (the patch row (i, j, c) of im2col, without materialising it), and D is dy with the
 * same padded columns. Specialised per output width, `O = 4·V` channels: R rows per block and
 * R·V accumulators kept in registers, k unrolled by four; multiply-adds fused when the engine
 * has relaxed SIMD. Generated on demand and cached by the caller.
 *
 * `filter_gemm(planes, table, rows, dyp, steps, out)`: rows [0, rows) with byte offsets
 * `table[r]` (i32) into `planes`; `steps` values of k; `out` [rows][O] accumulated in place.
 * rows % R must be 0 (the R = 1 variant `filter_gemm_1` takes the rest).
 */
import { Fn } from "./assembler.js";

/** Rows per block for V vectors of outputs: as many as fit in about 12 accumulators. */
export function rowsPerBlock(vectors: number): number {
  return Math.max(1, Math.floor(12 / vectors));
}

const UNROLL = 4;

function gemm(name: string, vectors: number, rows: number, fused: boolean): Fn {
  const fn = new Fn(name, ["i32", "i32", "i32", "i32", "i32", "i32"]);
  const [planes, table, rowCount, dyp, steps, out] = [0, 1, 2, 3, 4, 5];
  const r0 = fn.local("i32");
  const k = fn.local("i32");
  const d = fn.local("i32");
  const outRow = fn.local("i32");
  const unrolledSteps = fn.local("i32");
  const pointers = Array.from({ length: rows }, () => fn.local("i32"));
  const broadcast = Array.from({ length: rows }, () => fn.local("v128"));
  const vector = fn.local("v128");
  const acc = Array.from({ length: rows }, () => Array.from({ length: vectors }, () => fn.local("v128")));
  const rowBytes = vectors * 16;

  // One k step at memarg offset `u` (in steps) from the current pointers.
  const step = (u: number) => {
    for (let i = 0; i < rows; i++)
      fn.get(pointers[i])
        .v128Load32Splat(4 * u)
        .set(broadcast[i]);
    for (let v = 0; v < vectors; v++) {
      fn.get(d)
        .v128Load(u * rowBytes + v * 16)
        .set(vector);
      for (let i = 0; i < rows; i++) {
        if (fused) fn.get(broadcast[i]).get(vector).get(acc[i][v]).f32x4RelaxedMadd().set(acc[i][v]);
        else fn.get(acc[i][v]).get(broadcast[i]).get(vector).f32x4Mul().f32x4Add().set(acc[i][v]);
      }
    }
  };
  const advance = (count: number) => {
    for (let i = 0; i < rows; i++)
      fn.get(pointers[i])
        .i32(4 * count)
        .i32Add()
        .set(pointers[i]);
    fn.get(d)
      .i32(count * rowBytes)
      .i32Add()
      .set(d);
  };

  fn.get(steps).i32(-UNROLL).i32And().set(unrolledSteps);
  fn.forRange(
    r0,
    () => fn.i32(0),
    () => fn.get(rowCount),
    rows,
    () => {
      for (let i = 0; i < rows; i++) {
        fn.get(planes).get(table).get(r0).i32(i).i32Add().i32(4).i32Mul().i32Add().i32Load().i32Add().set(pointers[i]);
      }
      fn.get(r0).i32(rowBytes).i32Mul().get(out).i32Add().set(outRow);
      for (let i = 0; i < rows; i++) {
        for (let v = 0; v < vectors; v++)
          fn.get(outRow)
            .v128Load(i * rowBytes + v * 16)
            .set(acc[i][v]);
      }
      fn.get(dyp).set(d);
      fn.forRange(
        k,
        () => fn.i32(0),
        () => fn.get(unrolledSteps),
        UNROLL,
        () => {
          for (let u = 0; u < UNROLL; u++) step(u);
          advance(UNROLL);
        },
      );
      fn.forRange(
        k,
        () => fn.get(unrolledSteps),
        () => fn.get(steps),
        1,
        () => {
          step(0);
          advance(1);
        },
      );
      for (let i = 0; i < rows; i++) {
        for (let v = 0; v < vectors; v++)
          fn.get(outRow)
            .get(acc[i][v])
            .v128Store(i * rowBytes + v * 16);
      }
    },
  );
  return fn;
}

export function filterGemmKernels(vectors: number, fused: boolean): Fn[] {
  return [gemm("filter_gemm", vectors, rowsPerBlock(vectors), fused), gemm("filter_gemm_1", vectors, 1, fused)];
}

/**
 * `to_planes(image, planes, H, W, C, top, left, Hp, Wp)`: one NHWC image into the interiors of
 * its channel planes [C][Hp][Wp] (rows from `top`, columns from `left`; borders untouched).
 */
function toPlanes(): Fn {
  const fn = new Fn("to_planes", Array(9).fill("i32"));
  const [image, planes, H, W, C, top, left, Hp, Wp] = Array.from({ length: 9 }, (_, i) => i);
  const [y, x, c, src, dst, planeBytes] = Array.from({ length: 6 }, () => fn.local("i32"));
  fn.get(Hp).get(Wp).i32Mul().i32(4).i32Mul().set(planeBytes);
  fn.get(image).set(src);
  fn.forRange(
    y,
    () => fn.i32(0),
    () => fn.get(H),
    1,
    () => {
      fn.forRange(
        x,
        () => fn.i32(0),
        () => fn.get(W),
        1,
        () => {
          fn.get(y).get(top).i32Add().get(Wp).i32Mul().get(x).i32Add().get(left).i32Add().i32(4).i32Mul();
          fn.get(planes).i32Add().set(dst);
          fn.forRange(
            c,
            () => fn.i32(0),
            () => fn.get(C),
            1,
            () => {
              fn.get(dst).get(src).f32Load().f32Store();
              fn.get(src).i32(4).i32Add().set(src);
              fn.get(dst).get(planeBytes).i32Add().set(dst);
            },
          );
        },
      );
    },
  );
  return fn;
}

/**
 * `pad_dy(src, dst, rows, width, paddedWidth, channels, paddedChannels)`: dy rows [width]
 * [channels] into rows [paddedWidth][paddedChannels], zeros in the added columns and channels.
 */
function padDy(): Fn {
  const fn = new Fn("pad_dy", Array(7).fill("i32"));
  const [from, to, rows, width, padded, channels, paddedChannels] = [0, 1, 2, 3, 4, 5, 6];
  const [r, x, s, d, copyBytes, pixelBytes, rowBytes] = Array.from({ length: 7 }, () => fn.local("i32"));
  fn.get(channels).i32(4).i32Mul().set(copyBytes);
  fn.get(paddedChannels).i32(4).i32Mul().set(pixelBytes);
  fn.get(padded).get(pixelBytes).i32Mul().set(rowBytes);
  fn.get(from).set(s);
  fn.forRange(
    r,
    () => fn.i32(0),
    () => fn.get(rows),
    1,
    () => {
      fn.get(to).get(r).get(rowBytes).i32Mul().i32Add().set(d);
      // Zero the whole padded row, then copy each position's channels in.
      fn.get(d).i32(0).get(rowBytes).memoryFill();
      fn.get(channels).get(paddedChannels).i32Eq().if();
      fn.get(d).get(s).get(width).get(copyBytes).i32Mul().memoryCopy();
      fn.get(s).get(width).get(copyBytes).i32Mul().i32Add().set(s);
      fn.else();
      fn.forRange(
        x,
        () => fn.i32(0),
        () => fn.get(width),
        1,
        () => {
          fn.get(d).get(x).get(pixelBytes).i32Mul().i32Add().get(s).get(copyBytes).memoryCopy();
          fn.get(s).get(copyBytes).i32Add().set(s);
        },
      );
      fn.end();
    },
  );
  return fn;
}

/**
 * `filter_grad_range(x, dy, out, planes, dyp, table, n0, n1, H, W, C, outH, outW, top, left,
 * Hp, Wp, rows, O)`: for images [n0, n1) of a unit-stride convolution with O ≤ 4·V output
 * channels, out[rows][4·V] += patchesᵀ · dy (channels past O stay zero), using `planes` (zero
 * borders, prepared by the caller) and `dyp` as scratch.
 * Function indices: 0 filter_gemm, 1 filter_gemm_1, 2 to_planes, 3 pad_dy, 4 this.
 */
function filterGradRange(vectors: number): Fn {
  const fn = new Fn("filter_grad_range", Array(19).fill("i32"));
  const [x, dy, out, planes, dyp, table, n0, n1, H, W, C, outH, outW, top, left, Hp, Wp, rows, O] = Array.from(
    { length: 19 },
    (_, i) => i,
  );
  const [n, blocked] = [fn.local("i32"), fn.local("i32")];
  const channelsOut = vectors * 4;
  const block = rowsPerBlock(vectors);
  // blocked = rows − rows % block
  fn.get(rows).get(rows).i32(block).i32RemU().i32Sub().set(blocked);
  fn.forRange(
    n,
    () => fn.get(n0),
    () => fn.get(n1),
    1,
    () => {
      fn.get(n).get(H).i32Mul().get(W).i32Mul().get(C).i32Mul().i32(4).i32Mul().get(x).i32Add();
      fn.get(planes).get(H).get(W).get(C).get(top).get(left).get(Hp).get(Wp).call(2);
      fn.get(n).get(outH).i32Mul().get(outW).i32Mul().get(O).i32Mul().i32(4).i32Mul().get(dy).i32Add();
      fn.get(dyp).get(outH).get(outW).get(Wp).get(O).i32(channelsOut).call(3);
      fn.get(planes).get(table).get(blocked).get(dyp).get(outH).get(Wp).i32Mul().get(out).call(0);
      fn.get(rows).get(blocked).i32GtS().if();
      fn.get(planes).get(table).get(blocked).i32(4).i32Mul().i32Add();
      fn.get(rows).get(blocked).i32Sub().get(dyp).get(outH).get(Wp).i32Mul();
      fn.get(out)
        .get(blocked)
        .i32(channelsOut * 4)
        .i32Mul()
        .i32Add()
        .call(1);
      fn.end();
    },
  );
  return fn;
}

/** The module for O = 4·V output channels, functions in the order filterGradRange documents. */
export function filterGradModule(vectors: number, fused: boolean): Fn[] {
  return [...filterGemmKernels(vectors, fused), toPlanes(), padDy(), filterGradRange(vectors)];
}
