/**
 * Complex numbers and vectors in float64, as far as the Koopman estimator needs them
 * (ml-matrix is real-only: complex eigenvectors come back as pairs of real columns).
 */
import { Matrix } from "ml-matrix";

export interface Complex {
  re: number;
  im: number;
}

/** A complex vector as two real arrays of equal length. */
export interface ComplexVector {
  re: Float64Array;
  im: Float64Array;
}

export const modulus = (z: Complex): number => Math.hypot(z.re, z.im);
export const argument = (z: Complex): number => Math.atan2(z.im, z.re);
export const distance = (a: Complex, b: Complex): number => Math.hypot(a.re - b.re, a.im - b.im);

export function vectorNorm(v: ComplexVector): number {
  let sum = 0;
  for (let i = 0; i < v.re.length; i++) sum += v.re[i] * v.re[i] + v.im[i] * v.im[i];
  return Math.sqrt(sum);
}

/** `M v` for a real matrix and a complex vector. */
export function applyReal(m: Matrix, v: ComplexVector): ComplexVector {
  const rows = m.rows;
  const cols = m.columns;
  const re = new Float64Array(rows);
  const im = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const row = m.getRow(i);
    let sr = 0;
    let si = 0;
    for (let j = 0; j < cols; j++) {
      sr += row[j] * v.re[j];
      si += row[j] * v.im[j];
    }
    re[i] = sr;
    im[i] = si;
  }
  return { re, im };
}

/**
 * The real embedding of a complex matrix `V = Vr + i Vi` given column by column:
 * [[Vr, −Vi], [Vi, Vr]]. Its singular values are V's, each twice; solving with it solves with V.
 */
export function realEmbedding(columns: readonly ComplexVector[]): Matrix {
  const n = columns[0]?.re.length ?? 0;
  const k = columns.length;
  const out = new Matrix(2 * n, 2 * k);
  columns.forEach((v, j) => {
    for (let i = 0; i < n; i++) {
      out.set(i, j, v.re[i]);
      out.set(i, k + j, -v.im[i]);
      out.set(n + i, j, v.im[i]);
      out.set(n + i, k + j, v.re[i]);
    }
  });
  return out;
}
