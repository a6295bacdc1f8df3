/**
 * Kernels over `[rows, cols]` matrices with per-column parameters: the row-major view of an
 * NHWC tensor with `cols` channels. All require `cols % 4 == 0` (whole f32x4 vectors per row);
 * callers fall back to plain loops otherwise. Pointers are byte offsets into the heap.
 *
 * - `col_sum(x, rows, cols, acc)`:                 acc[c] += Σ_r x[r, c]
 * - `col_sum_sq_dev(x, rows, cols, mean, acc)`:     acc[c] += Σ_r (x[r, c] − mean[c])²
 * - `col_sum_dy_xdev(dy, x, rows, cols, mean, sdy, sdx)`:
 *                                                   sdy[c] += Σ dy,  sdx[c] += Σ dy·(x − mean[c])
 * - `col_affine(x, rows, cols, scale, shift, out, relu)`: out = x·scale[c] + shift[c] (then max 0)
 * - `col_affine2(a, b, rows, cols, p, q, r, out)`:  out = a·p[c] + b·q[c] + r[c]
 * - `col_sum_dy_xdev_masked(dy, x, y, …)` and `col_affine2_masked(a, b, y, …)`: the same with
 *   dy (resp. a) zeroed where y ≤ 0 — the gradient through a relu whose output is y.
 * - `col_<op>(x, rows, cols, v, out)` for op in add, sub, rsub, mul, div, rdiv: out = x op v[c]
 *   (rsub and rdiv: v[c] op x) — binary operations broadcasting a per-channel vector.
 * - `square(x, n, out)`: out = x² over n floats (any n).
 */
import { Fn } from "./assembler.js";

/**
 * Emits `for row { for vector in row { body(at, col) } }`; the body sees two locals holding
 * byte offsets: `at`, the vector's offset from the start of any equally shaped matrix, and
 * `col`, its offset within the row (for the per-column parameter vectors).
 */
function rowsByVectors(fn: Fn, rows: number, cols: number, body: (element: number, col: number) => void): void {
  const element = fn.local("i32");
  const col = fn.local("i32");
  const rowBytes = fn.local("i32");
  fn.get(cols).i32(4).i32Mul().set(rowBytes);
  // element runs over every row's start; the total is rows·rowBytes.
  fn.forRange(
    element,
    () => fn.i32(0),
    () => fn.get(rows).get(rowBytes).i32Mul(),
    () => fn.get(rowBytes),
    () => {
      const at = fn.local("i32");
      fn.forRange(
        col,
        () => fn.i32(0),
        () => fn.get(rowBytes),
        16,
        () => {
          fn.get(element).get(col).i32Add().set(at);
          body(at, col);
        },
      );
    },
  );
}

export function columnKernels(): Fn[] {
  const fns: Fn[] = [];

  {
    const fn = new Fn("col_sum", ["i32", "i32", "i32", "i32"]);
    const [x, rows, cols, acc] = [0, 1, 2, 3];
    rowsByVectors(fn, rows, cols, (at, col) => {
      fn.get(acc).get(col).i32Add();
      fn.get(acc).get(col).i32Add().v128Load();
      fn.get(x).get(at).i32Add().v128Load();
      fn.f32x4Add().v128Store();
    });
    fns.push(fn);
  }

  {
    const fn = new Fn("col_sum_sq_dev", ["i32", "i32", "i32", "i32", "i32"]);
    const [x, rows, cols, mean, acc] = [0, 1, 2, 3, 4];
    const d = fn.local("v128");
    rowsByVectors(fn, rows, cols, (at, col) => {
      fn.get(x).get(at).i32Add().v128Load();
      fn.get(mean).get(col).i32Add().v128Load();
      fn.f32x4Sub().set(d);
      fn.get(acc).get(col).i32Add();
      fn.get(acc).get(col).i32Add().v128Load();
      fn.get(d).get(d).f32x4Mul().f32x4Add().v128Store();
    });
    fns.push(fn);
  }

  {
    const fn = new Fn("col_sum_dy_xdev", ["i32", "i32", "i32", "i32", "i32", "i32", "i32"]);
    const [dy, x, rows, cols, mean, sdy, sdx] = [0, 1, 2, 3, 4, 5, 6];
    const g = fn.local("v128");
    rowsByVectors(fn, rows, cols, (at, col) => {
      fn.get(dy).get(at).i32Add().v128Load().set(g);
      fn.get(sdy).get(col).i32Add();
      fn.get(sdy).get(col).i32Add().v128Load();
      fn.get(g).f32x4Add().v128Store();
      fn.get(sdx).get(col).i32Add();
      fn.get(sdx).get(col).i32Add().v128Load();
      fn.get(x).get(at).i32Add().v128Load();
      fn.get(mean).get(col).i32Add().v128Load();
      fn.f32x4Sub().get(g).f32x4Mul().f32x4Add().v128Store();
    });
    fns.push(fn);
  }

  {
    const fn = new Fn("col_affine", ["i32", "i32", "i32", "i32", "i32", "i32", "i32"]);
    const [x, rows, cols, scale, shift, out, relu] = [0, 1, 2, 3, 4, 5, 6];
    const floor = fn.local("v128");
    // relu ? 0 : −∞ as the lower clamp, so one code path serves both.
    fn.f32(0).f32(-Infinity).get(relu).select().f32x4Splat().set(floor);
    rowsByVectors(fn, rows, cols, (at, col) => {
      fn.get(out).get(at).i32Add();
      fn.get(x).get(at).i32Add().v128Load();
      fn.get(scale).get(col).i32Add().v128Load().f32x4Mul();
      fn.get(shift).get(col).i32Add().v128Load().f32x4Add();
      fn.get(floor).f32x4Max().v128Store();
    });
    fns.push(fn);
  }

  {
    const fn = new Fn("col_affine2", ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32"]);
    const [a, b, rows, cols, p, q, r, out] = [0, 1, 2, 3, 4, 5, 6, 7];
    rowsByVectors(fn, rows, cols, (at, col) => {
      fn.get(out).get(at).i32Add();
      fn.get(a).get(at).i32Add().v128Load();
      fn.get(p).get(col).i32Add().v128Load().f32x4Mul();
      fn.get(b).get(at).i32Add().v128Load();
      fn.get(q).get(col).i32Add().v128Load().f32x4Mul();
      fn.f32x4Add();
      fn.get(r).get(col).i32Add().v128Load().f32x4Add();
      fn.v128Store();
    });
    fns.push(fn);
  }

  {
    const fn = new Fn("col_sum_dy_xdev_masked", ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32"]);
    const [dy, x, y, rows, cols, mean, sdy, sdx] = [0, 1, 2, 3, 4, 5, 6, 7];
    const g = fn.local("v128");
    const zero = fn.local("v128");
    fn.v128Zero().set(zero);
    rowsByVectors(fn, rows, cols, (at, col) => {
      fn.get(dy).get(at).i32Add().v128Load();
      fn.get(y).get(at).i32Add().v128Load().get(zero).f32x4Gt();
      fn.v128And().set(g);
      fn.get(sdy).get(col).i32Add();
      fn.get(sdy).get(col).i32Add().v128Load();
      fn.get(g).f32x4Add().v128Store();
      fn.get(sdx).get(col).i32Add();
      fn.get(sdx).get(col).i32Add().v128Load();
      fn.get(x).get(at).i32Add().v128Load();
      fn.get(mean).get(col).i32Add().v128Load();
      fn.f32x4Sub().get(g).f32x4Mul().f32x4Add().v128Store();
    });
    fns.push(fn);
  }

  {
    const fn = new Fn("col_affine2_masked", ["i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32"]);
    const [a, b, y, rows, cols, p, q, r, out] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    const zero = fn.local("v128");
    fn.v128Zero().set(zero);
    rowsByVectors(fn, rows, cols, (at, col) => {
      fn.get(out).get(at).i32Add();
      fn.get(a).get(at).i32Add().v128Load();
      fn.get(y).get(at).i32Add().v128Load().get(zero).f32x4Gt().v128And();
      fn.get(p).get(col).i32Add().v128Load().f32x4Mul();
      fn.get(b).get(at).i32Add().v128Load();
      fn.get(q).get(col).i32Add().v128Load().f32x4Mul();
      fn.f32x4Add();
      fn.get(r).get(col).i32Add().v128Load().f32x4Add();
      fn.v128Store();
    });
    fns.push(fn);
  }

  const binary: Array<[string, (fn: Fn) => void, boolean]> = [
    ["add", (fn) => fn.f32x4Add(), false],
    ["sub", (fn) => fn.f32x4Sub(), false],
    ["rsub", (fn) => fn.f32x4Sub(), true],
    ["mul", (fn) => fn.f32x4Mul(), false],
    ["div", (fn) => fn.f32x4Div(), false],
    ["rdiv", (fn) => fn.f32x4Div(), true],
  ];
  for (const [name, op, vectorFirst] of binary) {
    const fn = new Fn(`col_${name}`, ["i32", "i32", "i32", "i32", "i32"]);
    const [x, rows, cols, v, out] = [0, 1, 2, 3, 4];
    rowsByVectors(fn, rows, cols, (at, col) => {
      fn.get(out).get(at).i32Add();
      const loadX = () => fn.get(x).get(at).i32Add().v128Load();
      const loadV = () => fn.get(v).get(col).i32Add().v128Load();
      if (vectorFirst) {
        loadV();
        loadX();
      } else {
        loadX();
        loadV();
      }
      op(fn);
      fn.v128Store();
    });
    fns.push(fn);
  }

  {
    const fn = new Fn("square", ["i32", "i32", "i32"]);
    const [x, n, out] = [0, 1, 2];
    const [at, vectorEnd, v] = [fn.local("i32"), fn.local("i32"), fn.local("v128")];
    const s = fn.local("f32");
    fn.get(n).i32(-4).i32And().i32(4).i32Mul().set(vectorEnd);
    fn.forRange(
      at,
      () => fn.i32(0),
      () => fn.get(vectorEnd),
      16,
      () => {
        fn.get(out).get(at).i32Add();
        fn.get(x).get(at).i32Add().v128Load().tee(v).get(v).f32x4Mul().v128Store();
      },
    );
    fn.forRange(
      at,
      () => fn.get(vectorEnd),
      () => fn.get(n).i32(4).i32Mul(),
      4,
      () => {
        fn.get(out).get(at).i32Add();
        fn.get(x).get(at).i32Add().f32Load().tee(s).get(s).f32Mul().f32Store();
      },
    );
    fns.push(fn);
  }

  return fns;
}
