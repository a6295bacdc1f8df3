/**
 * sin and cos of float32 vectors in WebAssembly SIMD (the wasm backend's own kernels call the
 * C library once per element, 20–50 ns each: random Fourier features spent more time there
 * than in some of their matrix products).
 *
 * Cody–Waite reduction: x = j·π/2 + r with j the nearest integer to x·2/π and |r| ≤ π/4, π/2
 * split in three floats whose leading two have few enough bits that j·C₁ and j·C₂ are exact
 * for |j| < 2¹³; then Cephes' sinf and cosf polynomials on r, one or the other (and its sign)
 * picked by the quadrant j mod 4 (plus one for cos, as cos x = sin(x + π/2)). Accurate to a few
 * 1e-8 for |x| ≤ SINE_EXACT_LIMIT; lanes beyond are flagged for the caller to redo. NaN and ±∞
 * give NaN, like Math.sin.
 *
 * `sin_range(x, out, count, flags)` and `cos_range(…)`: out[i] = sin x[i] or cos x[i] for
 * i < count (a multiple of 4); 16 bytes at `flags` non-zero when some |x[i]| > SINE_EXACT_LIMIT.
 */
import { Fn } from "./assembler.js";

/** Beyond this |x|, j·C₂ is no longer exact and the reduction loses accuracy. */
export const SINE_EXACT_LIMIT = 8192;

const TWO_OVER_PI = 0.6366197723675814;
// π/2 = PIO2_1 + PIO2_2 + PIO2_3; the first two have 8 and 11 significant bits.
const PIO2_1 = 1.5703125;
const PIO2_2 = 4.837512969970703125e-4;
const PIO2_3 = 7.54978995489188216e-8;
/** 1.5·2²³: adding and subtracting it rounds a float below 2²² to the nearest integer. */
const ROUNDING = 12582912;
const SIN = [-1.6666654611e-1, 8.3321608736e-3, -1.9515295891e-4];
const COS = [4.166664568298827e-2, -1.388731625493765e-3, 2.443315711809948e-5];

/** sin (quadrant 0) or cos (quadrant 1: sin of x + π/2). */
function sineKernel(name: string, quadrant: 0 | 1): Fn {
  const fn = new Fn(name, ["i32", "i32", "i32", "i32"]);
  const [x, out, count, flags] = [0, 1, 2, 3];
  const [at, end] = [fn.local("i32"), fn.local("i32")];
  const v = () => fn.local("v128");
  const [value, j, r, r2, sine, cosine, q, m, result, beyond] = Array.from({ length: 10 }, v);
  // Constants are splatted once, into locals, before the loop.
  const constant = (c: number) => {
    const local = v();
    fn.f32(c).f32x4Splat().set(local);
    return local;
  };
  const [twoOverPi, pio2a, pio2b, pio2c, rounding, limit, half, one, quarter, threeEighths, four, oneAndHalf, three] = [
    TWO_OVER_PI,
    PIO2_1,
    PIO2_2,
    PIO2_3,
    ROUNDING,
    SINE_EXACT_LIMIT,
    0.5,
    1,
    0.25,
    0.375,
    4,
    1.5,
    3,
  ].map(constant);
  const [s1, s2, s3] = SIN.map(constant);
  const [c1, c2, c3] = COS.map(constant);
  const nearest = (local: number) => fn.get(local).get(rounding).f32x4Add().get(rounding).f32x4Sub();

  fn.v128Zero().set(beyond);
  fn.get(count).i32(4).i32Mul().set(end);
  fn.forRange(
    at,
    () => fn.i32(0),
    () => fn.get(end),
    16,
    () => {
      fn.get(x).get(at).i32Add().v128Load().set(value);
      fn.get(beyond).get(value).f32x4Abs().get(limit).f32x4Gt().v128Or().set(beyond);
      // j = nearest(x·2/π); r = x − j·π/2 in three exact-ish steps.
      fn.get(value).get(twoOverPi).f32x4Mul().set(j);
      nearest(j).set(j);
      fn.get(value).get(j).get(pio2a).f32x4Mul().f32x4Sub();
      fn.get(j).get(pio2b).f32x4Mul().f32x4Sub();
      fn.get(j).get(pio2c).f32x4Mul().f32x4Sub().set(r);
      fn.get(r).get(r).f32x4Mul().set(r2);
      // sin r ≈ r + r·r²·(s1 + r²·(s2 + r²·s3))
      fn.get(r2).get(s3).f32x4Mul().get(s2).f32x4Add().get(r2).f32x4Mul().get(s1).f32x4Add();
      fn.get(r2).f32x4Mul().get(r).f32x4Mul().get(r).f32x4Add().set(sine);
      // cos r ≈ 1 − r²/2 + r⁴·(c1 + r²·(c2 + r²·c3))
      fn.get(r2).get(c3).f32x4Mul().get(c2).f32x4Add().get(r2).f32x4Mul().get(c1).f32x4Add();
      fn.get(r2).f32x4Mul().get(r2).f32x4Mul();
      fn.get(one).get(r2).get(half).f32x4Mul().f32x4Sub().f32x4Add().set(cosine);
      // m = (j + quadrant) mod 4, with floor(q/4) = nearest(q/4 − 3/8) for integer q.
      if (quadrant === 0) fn.get(j).set(q);
      else fn.get(j).get(one).f32x4Add().set(q);
      fn.get(q).get(quarter).f32x4Mul().get(threeEighths).f32x4Sub().set(m);
      fn.get(q);
      nearest(m).get(four).f32x4Mul();
      fn.f32x4Sub().set(m);
      // Quadrants 1 and 3 take the cosine; 2 and 3 the negated value.
      fn.get(cosine).get(sine);
      fn.get(m).get(one).f32x4Eq().get(m).get(three).f32x4Eq().v128Or();
      fn.v128Bitselect().set(result);
      fn.get(out).get(at).i32Add();
      fn.get(result).f32x4Neg().get(result).get(m).get(oneAndHalf).f32x4Gt().v128Bitselect();
      fn.v128Store();
    },
  );
  fn.get(flags).get(beyond).v128Store();
  return fn;
}

/** `sin_range` and `cos_range`. */
export function sineKernels(): Fn[] {
  return [sineKernel("sin_range", 0), sineKernel("cos_range", 1)];
}
