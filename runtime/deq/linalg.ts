/**
 * Small dense linear algebra in float64 on the host. tfjs has no linear solve or inverse, and
 * the systems the solvers need are small (Anderson's m×m Gram matrices, a dense monotone
 * cell's n×n resolvent), so they are solved exactly here, with explicit failure instead of NaN.
 */

/** Row-major square matrix. */
export type Matrix = Float64Array;

/**
 * Solves H y = b for symmetric positive definite H (n×n, row-major) by Cholesky.
 * Returns undefined when H is not numerically positive definite.
 */
export function choleskySolve(h: Matrix, b: Float64Array, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(h[i * n + i]));
  const floor = maxDiag * 1e-13;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = h[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > floor)) return undefined;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  for (const v of x) if (!Number.isFinite(v)) return undefined;
  return x;
}

/**
 * Inverse of a square matrix by Gauss–Jordan elimination with partial pivoting.
 * Returns undefined when a pivot vanishes (relative to the matrix's scale).
 */
export function invert(a: Matrix, n: number): Matrix | undefined {
  const m = new Float64Array(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  if (!(scale > 0) || !Number.isFinite(scale)) return undefined;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]) > Math.abs(m[pivot * n + col])) pivot = r;
    const p = m[pivot * n + col];
    if (!(Math.abs(p) > scale * 1e-14)) return undefined;
    if (pivot !== col) {
      for (let k = 0; k < n; k++) {
        [m[col * n + k], m[pivot * n + k]] = [m[pivot * n + k], m[col * n + k]];
        [inv[col * n + k], inv[pivot * n + k]] = [inv[pivot * n + k], inv[col * n + k]];
      }
    }
    for (let k = 0; k < n; k++) {
      m[col * n + k] /= p;
      inv[col * n + k] /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = m[r * n + col];
      if (factor === 0) continue;
      for (let k = 0; k < n; k++) {
        m[r * n + k] -= factor * m[col * n + k];
        inv[r * n + k] -= factor * inv[col * n + k];
      }
    }
  }
  for (const v of inv) if (!Number.isFinite(v)) return undefined;
  return inv;
}

/**
 * Inverse of a complex square matrix (real and imaginary parts, n×n row-major) by Gauss–Jordan
 * elimination with partial pivoting, into `outRe`/`outIm`. Returns false when a pivot vanishes
 * (relative to the matrix's scale) or the result is not finite.
 */
export function invertComplex(re: Float64Array, im: Float64Array, n: number, outRe: Float64Array, outIm: Float64Array): boolean {
  const w = 2 * n;
  // Augmented [M | I], real and imaginary parts side by side in two arrays.
  const ar = new Float64Array(n * w);
  const ai = new Float64Array(n * w);
  let scale = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      ar[i * w + j] = re[i * n + j];
      ai[i * w + j] = im[i * n + j];
      scale = Math.max(scale, Math.hypot(re[i * n + j], im[i * n + j]));
    }
    ar[i * w + n + i] = 1;
  }
  if (!(scale > 0) || !Number.isFinite(scale)) return false;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    let best = 0;
    for (let r = col; r < n; r++) {
      const size = Math.hypot(ar[r * w + col], ai[r * w + col]);
      if (size > best) [best, pivot] = [size, r];
    }
    if (!(best > scale * 1e-14)) return false;
    if (pivot !== col) {
      for (let k = 0; k < w; k++) {
        [ar[col * w + k], ar[pivot * w + k]] = [ar[pivot * w + k], ar[col * w + k]];
        [ai[col * w + k], ai[pivot * w + k]] = [ai[pivot * w + k], ai[col * w + k]];
      }
    }
    // Scale the pivot row by 1/p.
    const pr = ar[col * w + col];
    const pi = ai[col * w + col];
    const d = pr * pr + pi * pi;
    const qr = pr / d;
    const qi = -pi / d;
    for (let k = col; k < w; k++) {
      const xr = ar[col * w + k];
      const xi = ai[col * w + k];
      ar[col * w + k] = xr * qr - xi * qi;
      ai[col * w + k] = xr * qi + xi * qr;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const fr = ar[r * w + col];
      const fi = ai[r * w + col];
      if (fr === 0 && fi === 0) continue;
      for (let k = col; k < w; k++) {
        const xr = ar[col * w + k];
        const xi = ai[col * w + k];
        ar[r * w + k] -= fr * xr - fi * xi;
        ai[r * w + k] -= fr * xi + fi * xr;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const vr = ar[i * w + n + j];
      const vi = ai[i * w + n + j];
      if (!Number.isFinite(vr) || !Number.isFinite(vi)) return false;
      outRe[i * n + j] = vr;
      outIm[i * n + j] = vi;
    }
  }
  return true;
}
