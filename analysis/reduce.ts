/**
 * Proper orthogonal decomposition: the leading principal directions of a set of snapshots,
 * so that a large state (or input) enters the dictionary through a few coordinates. Small
 * dimensions use the covariance's symmetric eigen-decomposition; large ones a randomised
 * range finder (Halko, Martinsson & Tropp 2011) with a few extra directions for accuracy.
 */
import { EigenvalueDecomposition, Matrix, QrDecomposition } from "ml-matrix";
import { uniformStream } from "../runtime/rng.js";

export interface Reduction {
  /** Mean of the snapshots, `dim` entries. */
  mean: Float64Array;
  /** Orthonormal directions, row-major `[rank, dim]`. */
  directions: Float64Array;
  rank: number;
  dim: number;
  /** Share of the centred snapshots' energy the directions capture. */
  captured: number;
  /** ‖mean's part outside the directions‖, the extra coordinate that keeps state norms exact. */
  meanOutside: number;
}

const COVARIANCE_LIMIT = 1024;
const OVERSAMPLE = 10;

/** `rows` snapshots of `dim` values each (row-major). Directions with negligible energy are dropped. */
export function pod(data: Float32Array | Float64Array, rows: number, dim: number, rank: number, seed = 0): Reduction {
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) mean[j] += data[r * dim + j] / rows;
  let total = 0;
  for (let r = 0; r < rows; r++) for (let j = 0; j < dim; j++) total += (data[r * dim + j] - mean[j]) ** 2;
  const { vectors, energies } = dim <= COVARIANCE_LIMIT ? covarianceDirections(data, rows, dim, mean) : sketchedDirections(data, rows, dim, mean, rank, seed);
  const largest = energies[0] ?? 0;
  const keep = energies.slice(0, rank).filter((e) => e > largest * 1e-12 && e > 0).length;
  const directions = new Float64Array(keep * dim);
  for (let k = 0; k < keep; k++) directions.set(vectors[k], k * dim);
  const captured = total > 0 ? energies.slice(0, keep).reduce((a, b) => a + b, 0) / total : 1;
  let outside = 0;
  const inside = new Float64Array(dim);
  for (let k = 0; k < keep; k++) {
    let c = 0;
    for (let j = 0; j < dim; j++) c += mean[j] * directions[k * dim + j];
    for (let j = 0; j < dim; j++) inside[j] += c * directions[k * dim + j];
  }
  for (let j = 0; j < dim; j++) outside += (mean[j] - inside[j]) ** 2;
  return { mean, directions, rank: keep, dim, captured: Math.min(1, captured), meanOutside: Math.sqrt(outside) };
}

function covarianceDirections(data: Float32Array | Float64Array, rows: number, dim: number, mean: Float64Array) {
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dim; j++) centred[j] = data[r * dim + j] - mean[j];
    for (let i = 0; i < dim; i++) {
      const ci = centred[i];
      if (ci === 0) continue;
      for (let j = i; j < dim; j++) cov[i * dim + j] += ci * centred[j];
    }
  }
  const m = new Matrix(dim, dim);
  for (let i = 0; i < dim; i++) for (let j = i; j < dim; j++) (m.set(i, j, cov[i * dim + j]), m.set(j, i, cov[i * dim + j]));
  const eig = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((e, i) => [e, i] as const).sort((a, b) => b[0] - a[0]);
  const v = eig.eigenvectorMatrix;
  return {
    energies: order.map(([e]) => Math.max(e, 0)),
    vectors: order.map(([, i]) => Float64Array.from({ length: dim }, (_, j) => v.get(j, i))),
  };
}

function sketchedDirections(data: Float32Array | Float64Array, rows: number, dim: number, mean: Float64Array, rank: number, seed: number) {
  const width = Math.min(rank + OVERSAMPLE, rows, dim);
  const next = uniformStream(seed ^ 0x5eed);
  const omega = Float64Array.from({ length: dim * width }, () => next() - 0.5);
  // Y = Zc Ω, then an orthonormal basis Q of its columns, then B = Qᵀ Zc.
  const y = new Matrix(rows, width);
  const centred = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dim; j++) centred[j] = data[r * dim + j] - mean[j];
    for (let c = 0; c < width; c++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += centred[j] * omega[j * width + c];
      y.set(r, c, s);
    }
  }
  const q = new QrDecomposition(y).orthogonalMatrix;
  const b = new Float64Array(width * dim);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dim; j++) centred[j] = data[r * dim + j] - mean[j];
    for (let c = 0; c < width; c++) {
      const qc = q.get(r, c);
      if (qc === 0) continue;
      for (let j = 0; j < dim; j++) b[c * dim + j] += qc * centred[j];
    }
  }
  // B Bᵀ = U Σ² Uᵀ; the right singular vectors are Bᵀ U Σ⁻¹.
  const small = new Matrix(width, width);
  for (let i = 0; i < width; i++) {
    for (let j = i; j < width; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += b[i * dim + k] * b[j * dim + k];
      small.set(i, j, s);
      small.set(j, i, s);
    }
  }
  const eig = new EigenvalueDecomposition(small, { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((e, i) => [e, i] as const).sort((a, b2) => b2[0] - a[0]);
  const u = eig.eigenvectorMatrix;
  return {
    energies: order.map(([e]) => Math.max(e, 0)),
    vectors: order.map(([e, i]) => {
      const sigma = Math.sqrt(Math.max(e, 0)) || 1;
      const v = new Float64Array(dim);
      for (let c = 0; c < width; c++) {
        const w = u.get(c, i) / sigma;
        for (let j = 0; j < dim; j++) v[j] += b[c * dim + j] * w;
      }
      return v;
    }),
  };
}

/**
 * Coordinates of every snapshot: its projection on the directions, plus (when `withMean`)
 * the mean's part outside them as one more constant coordinate, so that the coordinates'
 * norm is the norm of the snapshot's projection (mean included).
 */
export function project(reduction: Reduction, data: Float32Array | Float64Array, rows: number, withMean: boolean): Float64Array {
  const { dim, rank, directions, mean } = reduction;
  const width = rank + (withMean ? 1 : 0);
  const out = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < rank; k++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (data[r * dim + j] - (withMean ? 0 : mean[j])) * directions[k * dim + j];
      out[r * width + k] = s;
    }
    if (withMean) out[r * width + rank] = reduction.meanOutside;
  }
  return out;
}
