/**
 * Winograd F(m×m, 3×3) kernels (./winograd-transforms.ts) for 3×3, unit-stride, same-padded
 * NHWC convolutions: the forward pass and the filter gradient. The input gradient is a forward
 * convolution of dy with the rotated filter, so it needs no kernel of its own.
 *
 * Generated per transform and channel counts (multiples of 4, four channels per vector). Work
 * goes image by image and, within an image, in chunks of tile rows small enough to stay in
 * cache: an image is copied into a zero-bordered buffer P (one zero row and column before it,
 * zeros after it up to whole tiles); a chunk's tiles are transformed into V [tile][point][cin]
 * (and dy's into Y [tile][point][cout]); one product per point gives M [tile][point][cout]; the
 * output transform writes the result (into a scratch image O when partial tiles would spill
 * past the edge, copied out afterwards). A tile's points are contiguous, so every offset but
 * the tile's own is a constant. Each transform is two passes of one-dimensional transforms,
 * columns then rows, in place in the tile's buffer.
 *
 * Entry points (all arguments i32, pointers are heap byte offsets; O and D are 0 when unused):
 *   forward_range(x, u, bias, out, P, V, M, O, n0, n1, H, W, rowsPerChunk)
 *   filter_range(x, dy, acc, P, V, Y, D, n0, n1, H, W, rowsPerChunk) — acc [α²][cin][cout] += …
 */
import { Fn } from "./assembler.js";
import type { WinogradTransform } from "./winograd-transforms.js";

/** Accumulator vectors per block of output channels: 2 rows × 6 vectors + 3 temporaries fit 16 registers. */
const MAX_BLOCK_VECTORS = 6;

export interface WinogradKernelShape {
  transform: WinogradTransform;
  cin: number;
  cout: number;
  /** Fused multiply-adds (relaxed SIMD) in the products. */
  fused: boolean;
}

/** Function indices in the module, in the order `winogradKernels` lists them. */
const INPUT_TRANSFORM = 0;
const POINT_PRODUCTS = 1;
const OUTPUT_TRANSFORM = 2;
const DY_TRANSFORM = 3;
const FILTER_ACCUMULATE = 4;
const COPY_ROWS = 5;

/** Output-channel vectors split into blocks of at most MAX_BLOCK_VECTORS, as even as possible. */
function vectorBlocks(vectors: number): Array<[number, number]> {
  const count = Math.ceil(vectors / MAX_BLOCK_VECTORS);
  const blocks: Array<[number, number]> = [];
  let start = 0;
  for (let b = 0; b < count; b++) {
    const size = Math.floor((vectors * (b + 1)) / count) - Math.floor((vectors * b) / count);
    blocks.push([start, size]);
    start += size;
  }
  return blocks;
}

function multiplyAdd(fn: Fn, fused: boolean, a: number, b: number, acc: number): void {
  if (fused) fn.get(a).get(b).get(acc).f32x4RelaxedMadd().set(acc);
  else fn.get(acc).get(a).get(b).f32x4Mul().f32x4Add().set(acc);
}

/**
 * Splatted constants for a transform's coefficients other than 0 and ±1, set at the start of
 * the function; `combine` pushes Σ_k coefficients[k] · inputs[k] (v128 locals).
 */
class Combiner {
  private readonly constants = new Map<number, number>();

  constructor(
    private readonly fn: Fn,
    matrices: number[][][],
  ) {
    for (const matrix of matrices) {
      for (const row of matrix) {
        for (const c of row) {
          if (c === 0 || c === 1 || c === -1 || this.constants.has(c)) continue;
          const local = fn.local("v128");
          fn.f32(c).f32x4Splat().set(local);
          this.constants.set(c, local);
        }
      }
    }
  }

  combine(coefficients: number[], inputs: number[]): void {
    const fn = this.fn;
    let first = true;
    coefficients.forEach((c, k) => {
      if (c === 0) return;
      fn.get(inputs[k]);
      if (c === -1) {
        if (first) fn.f32x4Neg();
        else fn.f32x4Sub();
      } else {
        if (c !== 1) fn.get(this.constants.get(c)!).f32x4Mul();
        if (!first) fn.f32x4Add();
      }
      first = false;
    });
    if (first) fn.v128Zero();
  }
}

/** Column k of a matrix. */
const column = (matrix: number[][], k: number) => matrix.map((row) => row[k]);

/** `copy_rows(src, dst, rows, srcRowBytes, dstRowBytes, bytes)`: the first `bytes` of each row. */
function copyRows(): Fn {
  const fn = new Fn("copy_rows", Array(6).fill("i32"));
  const [src, dst, rows, srcRowBytes, dstRowBytes, bytes] = [0, 1, 2, 3, 4, 5];
  const [r, s, d] = Array.from({ length: 3 }, () => fn.local("i32"));
  fn.get(src).set(s);
  fn.get(dst).set(d);
  fn.forRange(
    r,
    () => fn.i32(0),
    () => fn.get(rows),
    1,
    () => {
      fn.get(d).get(s).get(bytes).memoryCopy();
      fn.get(s).get(srcRowBytes).i32Add().set(s);
      fn.get(d).get(dstRowBytes).i32Add().set(d);
    },
  );
  return fn;
}

/**
 * Loops over the tiles of tile rows [ty0, ty0 + rows) of an image `tilesWide` tiles wide and,
 * within each tile, over its channel vectors. `tile` runs once per tile (to set pointers) with
 * the tile's row (relative to ty0) and column in locals; `vector` once per channel vector;
 * `pointers` are advanced by 16 bytes after each vector.
 */
function forTileVectors(
  fn: Fn,
  args: { rows: number; tilesWide: number; vectors: number },
  tile: (r: number, tx: number) => void,
  vector: () => void,
  pointers: number[],
): void {
  const [r, tx, cv] = [fn.local("i32"), fn.local("i32"), fn.local("i32")];
  fn.forRange(
    r,
    () => fn.i32(0),
    () => fn.get(args.rows),
    1,
    () =>
      fn.forRange(
        tx,
        () => fn.i32(0),
        () => fn.get(args.tilesWide),
        1,
        () => {
          tile(r, tx);
          fn.forRange(
            cv,
            () => fn.i32(0),
            () => fn.i32(args.vectors),
            1,
            () => {
              vector();
              for (const p of pointers) fn.get(p).i32(16).i32Add().set(p);
            },
          );
        },
      ),
  );
}

/** Sets `target` to base + index(r, tx) · bytes, the chunk tile's buffer. */
function tileBuffer(
  fn: Fn,
  base: number,
  r: number,
  tx: number,
  tilesWide: number,
  bytes: number,
  target: number,
): void {
  fn.get(r).get(tilesWide).i32Mul().get(tx).i32Add().i32(bytes).i32Mul().get(base).i32Add().set(target);
}

/** Sets `rowPointers[i]` to base + ((ty0 + r)·m + i)·rowBytes + tx·m·pixelBytes. */
function tileRows(
  fn: Fn,
  m: number,
  at: { base: number; ty0: number; r: number; tx: number; rowBytes: number },
  pixelBytes: number,
  rowPointers: number[],
): void {
  fn.get(at.ty0).get(at.r).i32Add().i32(m).i32Mul().get(at.rowBytes).i32Mul();
  fn.get(at.tx)
    .i32(m * pixelBytes)
    .i32Mul()
    .i32Add()
    .get(at.base)
    .i32Add()
    .set(rowPointers[0]);
  for (let i = 1; i < rowPointers.length; i++)
    fn.get(rowPointers[i - 1])
      .get(at.rowBytes)
      .i32Add()
      .set(rowPointers[i]);
}

interface TileIo {
  /** The tile's buffer (a pointer local) and the byte offset of its element (i, j). */
  buffer: number;
  at: (i: number, j: number) => number;
  /** Pushes input element (k, j). */
  loadInput: (k: number, j: number) => void;
  /** Stores result (i, j), whose value `value` pushes. */
  storeResult: (i: number, j: number, value: () => void) => void;
}

/**
 * T X Tᵀ for an n × n input tile X (T: out × n coefficients, n = values.length), in two passes
 * of one-dimensional transforms: each column of X into rows i < out of the tile's buffer, then
 * each of those rows into the results. The buffer may hold X itself (the passes load before
 * they store).
 */
function separableTransform(fn: Fn, combiner: Combiner, matrix: number[][], values: number[], tile: TileIo): void {
  for (let j = 0; j < values.length; j++) {
    values.forEach((value, k) => {
      tile.loadInput(k, j);
      fn.set(value);
    });
    matrix.forEach((row, i) => {
      fn.get(tile.buffer);
      combiner.combine(row, values);
      fn.v128Store(tile.at(i, j));
    });
  }
  matrix.forEach((_, i) => {
    values.forEach((value, k) => fn.get(tile.buffer).v128Load(tile.at(i, k)).set(value));
    matrix.forEach((row, j) => tile.storeResult(i, j, () => combiner.combine(row, values)));
  });
}

/**
 * A function that reads n × n blocks of an NHWC image (n = matrix[0].length, block (ty, tx) from
 * row ty·m, column tx·m, rows `imageRowBytes` apart) and writes T X Tᵀ (T = matrix, α × n) into
 * the chunk's tile buffers [tile][α·α][channels]:
 * `name(image, tiles, ty0, rows, tilesWide, imageRowBytes)`.
 */
function imageToTiles(name: string, t: WinogradTransform, matrix: number[][], channels: number): Fn {
  const fn = new Fn(name, Array(6).fill("i32"));
  const [image, tiles, ty0, rows, tilesWide, rowBytes] = [0, 1, 2, 3, 4, 5];
  const { alpha, m } = t;
  const side = matrix[0].length;
  const pixelBytes = channels * 4;
  const combiner = new Combiner(fn, [matrix]);
  const dst = fn.local("i32");
  const src = Array.from({ length: side }, () => fn.local("i32"));
  const values = Array.from({ length: side }, () => fn.local("v128"));
  const at = (i: number, j: number) => (i * alpha + j) * pixelBytes;
  forTileVectors(
    fn,
    { rows, tilesWide, vectors: channels / 4 },
    (r, tx) => {
      tileRows(fn, m, { base: image, ty0, r, tx, rowBytes }, pixelBytes, src);
      tileBuffer(fn, tiles, r, tx, tilesWide, alpha * alpha * pixelBytes, dst);
    },
    () =>
      separableTransform(fn, combiner, matrix, values, {
        buffer: dst,
        at,
        loadInput: (k, j) => fn.get(src[k]).v128Load(j * pixelBytes),
        storeResult: (i, j, value) => {
          fn.get(dst);
          value();
          fn.v128Store(at(i, j));
        },
      }),
    [...src, dst],
  );
  return fn;
}

/** `input_transform(P, V, ty0, rows, tilesWide, paddedRowBytes)`: V[t] = Bᵀ d B per α × α tile d of P. */
function inputTransform(t: WinogradTransform, cin: number): Fn {
  return imageToTiles("input_transform", t, t.bt, cin);
}

/**
 * `output_transform(M, out, bias, ty0, rows, tilesWide, outRowBytes)`: Aᵀ M A + bias per tile,
 * into an NHWC image whose rows are `outRowBytes` apart.
 */
function outputTransform(t: WinogradTransform, cout: number): Fn {
  const fn = new Fn("output_transform", Array(7).fill("i32"));
  const [products, out, bias, ty0, rows, tilesWide, rowBytes] = [0, 1, 2, 3, 4, 5, 6];
  const { alpha, m, at: aT } = t;
  const pixelBytes = cout * 4;
  const combiner = new Combiner(fn, [aT]);
  const [src, b] = [fn.local("i32"), fn.local("i32")];
  const outRows = Array.from({ length: m }, () => fn.local("i32"));
  const values = Array.from({ length: alpha }, () => fn.local("v128"));
  const biasVector = fn.local("v128");
  const at = (i: number, j: number) => (i * alpha + j) * pixelBytes;
  forTileVectors(
    fn,
    { rows, tilesWide, vectors: cout / 4 },
    (r, tx) => {
      tileBuffer(fn, products, r, tx, tilesWide, alpha * alpha * pixelBytes, src);
      tileRows(fn, m, { base: out, ty0, r, tx, rowBytes }, pixelBytes, outRows);
      fn.get(bias).set(b);
    },
    () => {
      fn.get(b).v128Load().set(biasVector);
      separableTransform(fn, combiner, aT, values, {
        buffer: src,
        at,
        loadInput: (k, j) => fn.get(src).v128Load(at(k, j)),
        storeResult: (i, j, value) => {
          fn.get(outRows[i]);
          value();
          fn.get(biasVector)
            .f32x4Add()
            .v128Store(j * pixelBytes);
        },
      });
    },
    [src, b, ...outRows],
  );
  return fn;
}

/** `dy_transform(dy, Y, ty0, rows, tilesWide, dyRowBytes)`: Y[t] = A g Aᵀ per m × m block g of dy (A = (Aᵀ)ᵀ). */
function dyTransform(t: WinogradTransform, cout: number): Fn {
  const a = Array.from({ length: t.alpha }, (_, i) => column(t.at, i));
  return imageToTiles("dy_transform", t, a, cout);
}

/**
 * `point_products(V, U, M, tiles)`: M[t][p][·] = V[t][p][·] · U[p] for every point, two tiles
 * at a time (the last one alone when the count is odd).
 */
function pointProducts({ transform, cin, cout, fused }: WinogradKernelShape): Fn {
  const fn = new Fn("point_products", ["i32", "i32", "i32", "i32"]);
  const [v, u, m, tiles] = [0, 1, 2, 3];
  const points = transform.alpha * transform.alpha;
  const [p, t, k, pairs, vPoint, uPoint, mPoint, vTile, mTile, a, w] = Array.from({ length: 11 }, () =>
    fn.local("i32"),
  );
  const broadcast = [fn.local("v128"), fn.local("v128")];
  const weight = fn.local("v128");
  const acc = [0, 1].map(() => Array.from({ length: MAX_BLOCK_VECTORS }, () => fn.local("v128")));
  const inTileBytes = points * cin * 4;
  const outTileBytes = points * cout * 4;
  const blocks = vectorBlocks(cout / 4);

  const tileBlock = (rows: number) => {
    fn.get(vPoint).get(t).i32(inTileBytes).i32Mul().i32Add().set(vTile);
    fn.get(mPoint).get(t).i32(outTileBytes).i32Mul().i32Add().set(mTile);
    for (const [first, size] of blocks) {
      for (let row = 0; row < rows; row++) for (let q = 0; q < size; q++) fn.v128Zero().set(acc[row][q]);
      fn.get(vTile).set(a);
      fn.get(uPoint).set(w);
      // One input channel per iteration: unrolling lets V8 hoist the loads of every step to
      // the top of the loop, which spills the accumulators (measured 10 % slower at four).
      fn.forRange(
        k,
        () => fn.i32(0),
        () => fn.i32(cin),
        1,
        () => {
          for (let row = 0; row < rows; row++)
            fn.get(a)
              .v128Load32Splat(row * inTileBytes)
              .set(broadcast[row]);
          for (let q = 0; q < size; q++) {
            fn.get(w)
              .v128Load((first + q) * 16)
              .set(weight);
            for (let row = 0; row < rows; row++) multiplyAdd(fn, fused, broadcast[row], weight, acc[row][q]);
          }
          fn.get(a).i32(4).i32Add().set(a);
          fn.get(w)
            .i32(cout * 4)
            .i32Add()
            .set(w);
        },
      );
      for (let row = 0; row < rows; row++)
        for (let q = 0; q < size; q++)
          fn.get(mTile)
            .get(acc[row][q])
            .v128Store(row * outTileBytes + (first + q) * 16);
    }
  };

  fn.get(tiles).i32(-2).i32And().set(pairs);
  fn.forRange(
    p,
    () => fn.i32(0),
    () => fn.i32(points),
    1,
    () => {
      fn.get(v)
        .get(p)
        .i32(cin * 4)
        .i32Mul()
        .i32Add()
        .set(vPoint);
      fn.get(m)
        .get(p)
        .i32(cout * 4)
        .i32Mul()
        .i32Add()
        .set(mPoint);
      fn.get(u)
        .get(p)
        .i32(cin * cout * 4)
        .i32Mul()
        .i32Add()
        .set(uPoint);
      fn.forRange(
        t,
        () => fn.i32(0),
        () => fn.get(pairs),
        2,
        () => tileBlock(2),
      );
      fn.get(pairs).get(tiles).i32LtS().if();
      fn.get(pairs).set(t);
      tileBlock(1);
      fn.end();
    },
  );
  return fn;
}

/**
 * `filter_accumulate(V, Y, acc, tiles)`: acc[p][c][·] += Σ_t V[t][p][c] · Y[t][p][·], two input
 * channels at a time with their accumulators in registers over the whole run of tiles.
 */
function filterAccumulate({ transform, cin, cout, fused }: WinogradKernelShape): Fn {
  const fn = new Fn("filter_accumulate", ["i32", "i32", "i32", "i32"]);
  const [v, y, accumulated, tiles] = [0, 1, 2, 3];
  const points = transform.alpha * transform.alpha;
  const [p, c, t, vPoint, yPoint, accRow, a, dyPointer] = Array.from({ length: 8 }, () => fn.local("i32"));
  const broadcast = [fn.local("v128"), fn.local("v128")];
  const value = fn.local("v128");
  const acc = [0, 1].map(() => Array.from({ length: MAX_BLOCK_VECTORS }, () => fn.local("v128")));
  const inTileBytes = points * cin * 4;
  const outTileBytes = points * cout * 4;
  const rowBytes = cout * 4;
  fn.forRange(
    p,
    () => fn.i32(0),
    () => fn.i32(points),
    1,
    () => {
      fn.get(v)
        .get(p)
        .i32(cin * 4)
        .i32Mul()
        .i32Add()
        .set(vPoint);
      fn.get(y)
        .get(p)
        .i32(cout * 4)
        .i32Mul()
        .i32Add()
        .set(yPoint);
      fn.forRange(
        c,
        () => fn.i32(0),
        () => fn.i32(cin),
        2,
        () => {
          fn.get(p).i32(cin).i32Mul().get(c).i32Add().i32(rowBytes).i32Mul().get(accumulated).i32Add().set(accRow);
          for (const [first, size] of vectorBlocks(cout / 4)) {
            for (let row = 0; row < 2; row++)
              for (let q = 0; q < size; q++)
                fn.get(accRow)
                  .v128Load(row * rowBytes + (first + q) * 16)
                  .set(acc[row][q]);
            fn.get(vPoint).get(c).i32(4).i32Mul().i32Add().set(a);
            fn.get(yPoint).set(dyPointer);
            fn.forRange(
              t,
              () => fn.i32(0),
              () => fn.get(tiles),
              1,
              () => {
                fn.get(a).v128Load32Splat(0).set(broadcast[0]);
                fn.get(a).v128Load32Splat(4).set(broadcast[1]);
                for (let q = 0; q < size; q++) {
                  fn.get(dyPointer)
                    .v128Load((first + q) * 16)
                    .set(value);
                  for (let row = 0; row < 2; row++) multiplyAdd(fn, fused, broadcast[row], value, acc[row][q]);
                }
                fn.get(a).i32(inTileBytes).i32Add().set(a);
                fn.get(dyPointer).i32(outTileBytes).i32Add().set(dyPointer);
              },
            );
            for (let row = 0; row < 2; row++)
              for (let q = 0; q < size; q++)
                fn.get(accRow)
                  .get(acc[row][q])
                  .v128Store(row * rowBytes + (first + q) * 16);
          }
        },
      );
    },
  );
  return fn;
}

interface ImageLoopArgs {
  padded: number;
  n0: number;
  n1: number;
  height: number;
  width: number;
  rowsPerChunk: number;
}

interface ImageLoopLocals {
  n: number;
  ty0: number;
  rows: number;
  tilesWide: number;
  tilesHigh: number;
  paddedRowBytes: number;
}

/**
 * Zeros P (whatever the image does not cover must be zero) and loops over images [n0, n1) and
 * their chunks of tile rows.
 */
function imageLoop(
  fn: Fn,
  t: WinogradTransform,
  cin: number,
  args: ImageLoopArgs,
  perImage: (l: ImageLoopLocals) => void,
  perChunk: (l: ImageLoopLocals) => void,
  afterImage: (l: ImageLoopLocals) => void,
): void {
  const { padded, n0, n1, height, width, rowsPerChunk } = args;
  const l: ImageLoopLocals = {
    n: fn.local("i32"),
    ty0: fn.local("i32"),
    rows: fn.local("i32"),
    tilesWide: fn.local("i32"),
    tilesHigh: fn.local("i32"),
    paddedRowBytes: fn.local("i32"),
  };
  fn.get(width)
    .i32(t.m - 1)
    .i32Add()
    .i32(t.m)
    .i32DivU()
    .set(l.tilesWide);
  fn.get(height)
    .i32(t.m - 1)
    .i32Add()
    .i32(t.m)
    .i32DivU()
    .set(l.tilesHigh);
  fn.get(l.tilesWide)
    .i32(t.m)
    .i32Mul()
    .i32(2)
    .i32Add()
    .i32(cin * 4)
    .i32Mul()
    .set(l.paddedRowBytes);
  fn.get(padded).i32(0).get(l.tilesHigh).i32(t.m).i32Mul().i32(2).i32Add().get(l.paddedRowBytes).i32Mul().memoryFill();
  fn.forRange(
    l.n,
    () => fn.get(n0),
    () => fn.get(n1),
    1,
    () => {
      perImage(l);
      fn.forRange(
        l.ty0,
        () => fn.i32(0),
        () => fn.get(l.tilesHigh),
        () => fn.get(rowsPerChunk),
        () => {
          // rows = min(rowsPerChunk, tilesHigh − ty0)
          fn.get(rowsPerChunk);
          fn.get(l.tilesHigh).get(l.ty0).i32Sub();
          fn.get(rowsPerChunk).get(l.tilesHigh).get(l.ty0).i32Sub().i32LtS();
          fn.select().set(l.rows);
          perChunk(l);
        },
      );
      afterImage(l);
    },
  );
}

/** Pushes base + n·H·W·channels·4. */
function imagePointer(fn: Fn, base: number, n: number, height: number, width: number, channels: number): void {
  fn.get(n)
    .get(height)
    .i32Mul()
    .get(width)
    .i32Mul()
    .i32(channels * 4)
    .i32Mul()
    .get(base)
    .i32Add();
}

/** Sets `target` to `scratch` when it is not 0, else to `direct`; `rowBytes` to the matching row stride. */
function chooseImage(
  fn: Fn,
  scratch: number,
  direct: number,
  target: number,
  rowBytes: { target: number; scratch: () => void; direct: () => void },
): void {
  fn.get(scratch).get(direct).get(scratch).select().set(target);
  rowBytes.scratch();
  rowBytes.direct();
  fn.get(scratch).select().set(rowBytes.target);
}

interface ImageArgs {
  x: number;
  cin: number;
  padded: number;
  height: number;
  width: number;
  /** The image's counterpart with cout channels: the output, or dy. */
  other: number;
  cout: number;
  /** The scratch image (0 when whole tiles fit). */
  scratch: number;
  /** Locals set here: the counterpart image, where the tiles meet it, and that place's row stride. */
  image: number;
  target: number;
  targetRowBytes: number;
}

/**
 * Per image: copies x's image into P, and points `target` at the counterpart image in `other`
 * or, when partial tiles need it, at the scratch image.
 */
function beginImage(fn: Fn, t: WinogradTransform, l: ImageLoopLocals, a: ImageArgs): void {
  const pixelBytes = a.cout * 4;
  imagePointer(fn, a.x, l.n, a.height, a.width, a.cin);
  // Into P from row 1, column 1.
  fn.get(a.padded).get(l.paddedRowBytes).i32Add().i32(a.cin * 4).i32Add();
  fn.get(a.height);
  fn.get(a.width).i32(a.cin * 4).i32Mul();
  fn.get(l.paddedRowBytes);
  fn.get(a.width).i32(a.cin * 4).i32Mul();
  fn.call(COPY_ROWS);
  imagePointer(fn, a.other, l.n, a.height, a.width, a.cout);
  fn.set(a.image);
  chooseImage(fn, a.scratch, a.image, a.target, {
    target: a.targetRowBytes,
    scratch: () =>
      fn
        .get(l.tilesWide)
        .i32(t.m * pixelBytes)
        .i32Mul(),
    direct: () => fn.get(a.width).i32(pixelBytes).i32Mul(),
  });
}

function forwardRange({ transform: t, cin, cout }: WinogradKernelShape): Fn {
  const fn = new Fn("forward_range", Array(13).fill("i32"));
  const [x, u, bias, out, padded, v, products, scratch, n0, n1, height, width, rowsPerChunk] = Array.from(
    { length: 13 },
    (_, i) => i,
  );
  const [outImage, target, targetRowBytes] = [fn.local("i32"), fn.local("i32"), fn.local("i32")];
  const pixelBytes = cout * 4;
  imageLoop(
    fn,
    t,
    cin,
    { padded, n0, n1, height, width, rowsPerChunk },
    (l) =>
      beginImage(fn, t, l, {
        x,
        cin,
        padded,
        height,
        width,
        other: out,
        cout,
        scratch,
        image: outImage,
        target,
        targetRowBytes,
      }),
    (l) => {
      fn.get(padded).get(v).get(l.ty0).get(l.rows).get(l.tilesWide).get(l.paddedRowBytes).call(INPUT_TRANSFORM);
      fn.get(v).get(u).get(products).get(l.rows).get(l.tilesWide).i32Mul().call(POINT_PRODUCTS);
      fn.get(products).get(target).get(bias).get(l.ty0).get(l.rows).get(l.tilesWide).get(targetRowBytes);
      fn.call(OUTPUT_TRANSFORM);
    },
    () => {
      fn.get(scratch).if();
      fn.get(scratch).get(outImage).get(height).get(targetRowBytes);
      fn.get(width).i32(pixelBytes).i32Mul();
      fn.get(width).i32(pixelBytes).i32Mul();
      fn.call(COPY_ROWS);
      fn.end();
    },
  );
  return fn;
}

function filterRange({ transform: t, cin, cout }: WinogradKernelShape): Fn {
  const fn = new Fn("filter_range", Array(12).fill("i32"));
  const [x, dy, accumulated, padded, v, y, scratch, n0, n1, height, width, rowsPerChunk] = Array.from(
    { length: 12 },
    (_, i) => i,
  );
  const [dyImage, source, sourceRowBytes] = [fn.local("i32"), fn.local("i32"), fn.local("i32")];
  const pixelBytes = cout * 4;
  imageLoop(
    fn,
    t,
    cin,
    { padded, n0, n1, height, width, rowsPerChunk },
    (l) => {
      beginImage(fn, t, l, {
        x,
        cin,
        padded,
        height,
        width,
        other: dy,
        cout,
        scratch,
        image: dyImage,
        target: source,
        targetRowBytes: sourceRowBytes,
      });
      // Partial tiles read dy from a scratch image whose rows and columns past dy's stay zero.
      fn.get(scratch).if();
      fn.get(dyImage).get(scratch).get(height);
      fn.get(width).i32(pixelBytes).i32Mul();
      fn.get(sourceRowBytes);
      fn.get(width).i32(pixelBytes).i32Mul();
      fn.call(COPY_ROWS);
      fn.end();
    },
    (l) => {
      fn.get(padded).get(v).get(l.ty0).get(l.rows).get(l.tilesWide).get(l.paddedRowBytes).call(INPUT_TRANSFORM);
      fn.get(source).get(y).get(l.ty0).get(l.rows).get(l.tilesWide).get(sourceRowBytes).call(DY_TRANSFORM);
      fn.get(v).get(y).get(accumulated).get(l.rows).get(l.tilesWide).i32Mul().call(FILTER_ACCUMULATE);
    },
    () => {},
  );
  return fn;
}

/** The module's functions; the order fixes the call indices above. */
export function winogradKernels(shape: WinogradKernelShape): Fn[] {
  if (shape.cin % 4 !== 0 || shape.cout % 4 !== 0) {
    throw new Error(`Winograd kernels need channel counts divisible by 4, got ${shape.cin} and ${shape.cout}`);
  }
  return [
    inputTransform(shape.transform, shape.cin),
    pointProducts(shape),
    outputTransform(shape.transform, shape.cout),
    dyTransform(shape.transform, shape.cout),
    filterAccumulate(shape),
    copyRows(),
    forwardRange(shape),
    filterRange(shape),
  ];
}
