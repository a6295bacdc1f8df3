/**
 * Extended dynamic mode decomposition with per-eigenpair residuals: a pure function of the
 * dictionary evaluated on snapshot pairs, Ψx (rows ψ(z_t)) and Ψy (rows ψ(z_{t+1})).
 *
 * With G = ΨxᵀΨx, A = ΨxᵀΨy, L = ΨyᵀΨy (all divided by the number of pairs M), the Koopman
 * matrix is the Tikhonov-regularised least-squares solution of Ψx K ≈ Ψy,
 *   K = (G + γ·D²)⁻¹ A          (D² = diag(G): γ is relative to each observable's size),
 * and a right eigenvector g of K (K g = λ g) gives the eigenfunction φ(z) = ψ(z)·g.
 * Its relative residual (residual DMD, Colbrook & Townsend 2023) is how far φ is from obeying
 * φ(z_{t+1}) = λ φ(z_t) on the data:
 *   res(λ, g)² = gᴴ(L − λAᴴ − λ̄A + |λ|²G)g / gᴴGg = ‖Ψy g − λ Ψx g‖² / ‖Ψx g‖².
 * Everything is float64; the eigen-decomposition of the non-symmetric K is ml-matrix's.
 */
import { EigenvalueDecomposition, Matrix, solve } from "ml-matrix";
import { vectorNorm, type Complex, type ComplexVector } from "./complex.js";

/** A row-major float64 matrix: one row per snapshot, one column per observable. */
export interface SnapshotMatrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export interface EdmdOptions {
  /** Relative Tikhonov weight γ (default 1e-10). */
  ridge?: number;
}

export interface Eigenpair {
  value: Complex;
  /** Right eigenvector of K, normalised so that ‖Ψx g‖² / M = 1 (an eigenfunction of unit RMS on the data). */
  vector: ComplexVector;
  /** Relative residual of the eigenpair on the snapshot pairs. */
  residual: number;
}

export interface EdmdResult {
  koopman: Matrix;
  /** D·K·D⁻¹ with D the observables' RMS on the data: K in balanced units (same eigenvalues). */
  balanced: Matrix;
  /** Sorted by decreasing modulus. */
  pairs: Eigenpair[];
  /** The Gram matrices, divided by M. */
  gram: { G: Matrix; A: Matrix; L: Matrix };
  pairsUsed: number;
}

export const DEFAULT_RIDGE = 1e-10;
/** ‖Ψx g‖ below this (relative to the observables' RMS, g of unit norm) counts as zero. */
const VANISHING = 1e-9;

/** `XᵀY / M` for two snapshot matrices with the same rows; `symmetric` when X is Y. */
export function crossGram(x: SnapshotMatrix, y: SnapshotMatrix, symmetric = false): Matrix {
  const d = x.cols;
  const e = y.cols;
  const out = new Float64Array(d * e);
  for (let r = 0; r < x.rows; r++) {
    const xo = r * d;
    const yo = r * e;
    for (let i = 0; i < d; i++) {
      const xi = x.data[xo + i];
      if (xi === 0) continue;
      const base = i * e;
      for (let j = symmetric ? i : 0; j < e; j++) out[base + j] += xi * y.data[yo + j];
    }
  }
  const m = new Matrix(d, e);
  const scale = 1 / Math.max(x.rows, 1);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < e; j++) {
      const v = symmetric && j < i ? out[j * e + i] : out[i * e + j];
      m.set(i, j, v * scale);
    }
  }
  return m;
}

/** Complex eigenpairs of a real matrix; a conjugate pair's vectors are read from two real columns. */
export function eigenpairs(k: Matrix): { value: Complex; vector: ComplexVector }[] {
  const decomposition = new EigenvalueDecomposition(k);
  const re = decomposition.realEigenvalues;
  const im = decomposition.imaginaryEigenvalues;
  const v = decomposition.eigenvectorMatrix;
  const n = k.rows;
  const out: { value: Complex; vector: ComplexVector }[] = [];
  for (let j = 0; j < n; j++) {
    const vr = new Float64Array(n);
    const vi = new Float64Array(n);
    if (im[j] === 0) {
      for (let i = 0; i < n; i++) vr[i] = v.get(i, j);
    } else {
      // Columns j, j+1 hold the real and imaginary parts of the vector of re + i·im (im > 0);
      // the partner is its conjugate.
      const first = im[j] > 0 ? j : j - 1;
      const sign = im[j] > 0 ? 1 : -1;
      for (let i = 0; i < n; i++) {
        vr[i] = v.get(i, first);
        vi[i] = sign * v.get(i, first + 1);
      }
    }
    out.push({ value: { re: re[j], im: im[j] }, vector: { re: vr, im: vi } });
  }
  return out;
}

/** gᴴ S g for a real symmetric-or-not S (the real part: the imaginary one cancels for Hermitian forms). */
function quadratic(s: Matrix, g: ComplexVector): Complex {
  const n = s.rows;
  let re = 0;
  let im = 0;
  for (let i = 0; i < n; i++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const v = s.get(i, j);
      sr += v * g.re[j];
      si += v * g.im[j];
    }
    // conj(g_i) · (S g)_i
    re += g.re[i] * sr + g.im[i] * si;
    im += g.re[i] * si - g.im[i] * sr;
  }
  return { re, im };
}

/** The relative residual of (λ, g) from the Gram matrices (0 when ψ·g vanishes on the data and its image). */
export function relativeResidual(gram: { G: Matrix; A: Matrix; L: Matrix }, value: Complex, g: ComplexVector): number {
  const gg = quadratic(gram.G, g).re;
  const ll = quadratic(gram.L, g).re;
  const ga = quadratic(gram.A, g); // gᴴAg; gᴴAᴴg is its conjugate
  // λ gᴴAᴴg + λ̄ gᴴAg = 2 Re(λ̄ · gᴴAg)
  const cross = 2 * (value.re * ga.re + value.im * ga.im);
  const numerator = ll - cross + (value.re * value.re + value.im * value.im) * gg;
  if (!(gg > 0)) return numerator > 0 ? Number.POSITIVE_INFINITY : 0;
  return Math.sqrt(Math.max(numerator, 0) / gg);
}

/** Each observable's RMS on the data, √G_ii (1 where it is 0). */
export function columnScales(G: Matrix): number[] {
  return Array.from({ length: G.rows }, (_, i) => Math.sqrt(Math.max(G.get(i, i), 0)) || 1);
}

/**
 * (G + γ·I_D)⁻¹·rhs solved in balanced units: with D = diag(scale), (D⁻¹GD⁻¹ + γI)·y = D⁻¹·rhs,
 * x = D⁻¹y. Observables of very different sizes (a state that grows by orders of magnitude
 * beside the constant) then neither ruin the conditioning nor feel the ridge unequally.
 */
export function solveBalanced(G: Matrix, rhs: Matrix, ridge: number, scale = columnScales(G)): Matrix {
  const d = G.rows;
  const system = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) system.set(i, j, G.get(i, j) / (scale[i] * scale[j]) + (i === j ? ridge : 0));
  const right = new Matrix(d, rhs.columns);
  for (let i = 0; i < d; i++) for (let j = 0; j < rhs.columns; j++) right.set(i, j, rhs.get(i, j) / scale[i]);
  const y = solve(system, right);
  for (let i = 0; i < d; i++) for (let j = 0; j < rhs.columns; j++) y.set(i, j, y.get(i, j) / scale[i]);
  return y;
}

export function edmd(psiX: SnapshotMatrix, psiY: SnapshotMatrix, options: EdmdOptions = {}): EdmdResult {
  if (psiX.rows !== psiY.rows || psiX.cols !== psiY.cols) {
    throw new Error(`EDMD needs Ψx and Ψy of the same shape, got ${psiX.rows}×${psiX.cols} and ${psiY.rows}×${psiY.cols}`);
  }
  for (const m of [psiX, psiY]) {
    if (!m.data.every(Number.isFinite)) throw new Error("EDMD needs finite snapshots (truncate diverging trajectories first)");
  }
  const G = crossGram(psiX, psiX, true);
  const A = crossGram(psiX, psiY);
  const L = crossGram(psiY, psiY, true);
  const ridge = options.ridge ?? DEFAULT_RIDGE;
  const scale = columnScales(G);
  const d = G.rows;
  const koopman = solveBalanced(G, A, ridge, scale);
  const balanced = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) balanced.set(i, j, (scale[i] * koopman.get(i, j)) / scale[j]);
  const gram = { G, A, L };
  const pairs = eigenpairs(balanced).map(({ value, vector: balancedVector }) => {
    // g = D⁻¹ g̃: back to the unscaled observables.
    const vector = { re: balancedVector.re.map((x, i) => x / scale[i]), im: balancedVector.im.map((x, i) => x / scale[i]) };
    const size = Math.sqrt(Math.max(quadratic(G, vector).re, 0));
    // An eigenfunction that vanishes on the data (a direction no snapshot excites) says nothing.
    if (!(size > VANISHING * vectorNorm(balancedVector))) return { value, vector, residual: Number.POSITIVE_INFINITY };
    const normalised = { re: vector.re.map((x) => x / size), im: vector.im.map((x) => x / size) };
    return { value, vector: normalised, residual: relativeResidual(gram, value, normalised) };
  });
  pairs.sort((a, b) => Math.hypot(b.value.re, b.value.im) - Math.hypot(a.value.re, a.value.im));
  return { koopman, balanced, pairs, gram, pairsUsed: psiX.rows };
}
