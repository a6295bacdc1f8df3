/**
 * How close a SIM's lift is to what the theory assumes: C·B should be the projection onto the
 * eigenvalue-1 part of the Koopman operator (DESIGN §3). For the product P of the two linear
 * maps (m × m) this reports its eigenvalues, its distance to a projection
 * ‖P² − P‖_F / ‖P‖_F (0 exactly for a projection), and its numerical rank against r.
 */
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import type { Complex } from "./complex.js";
import { eigenpairs } from "./edmd.js";

export interface LiftReport {
  /** `C·B` (single tier) or `E·D` (two tier). */
  name: string;
  m: number;
  r: number;
  eigenvalues: Complex[];
  maxModulus: number;
  projectionDistance: number;
  /** Singular values above `rankTolerance` × the largest. */
  numericalRank: number;
  rankTolerance: number;
  singularValues: number[];
}

/** Singular values below this share of the largest do not count towards the rank (float32 weights). */
export const RANK_TOLERANCE = 1e-5;

/**
 * `down` maps m → r and `up` maps r → m, both as simc's dense weights (`[in, out]`, applied as
 * x·W), so the lift is x ↦ x·down·up; its matrix is transposed from the column convention,
 * which changes neither eigenvalues nor the distances reported.
 */
export function liftReport(name: string, down: Matrix, up: Matrix): LiftReport {
  const p = down.mmul(up);
  const m = p.rows;
  const r = down.columns;
  const values = eigenpairs(p).map((e) => e.value);
  values.sort((a, b) => Math.hypot(b.re, b.im) - Math.hypot(a.re, a.im));
  const frobenius = (x: Matrix) => Math.sqrt(x.to1DArray().reduce((s, v) => s + v * v, 0));
  const squared = p.mmul(p);
  const norm = frobenius(p);
  const projectionDistance = norm > 0 ? frobenius(Matrix.sub(squared, p)) / norm : 0;
  const singularValues = new SingularValueDecomposition(p, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal;
  const largest = singularValues[0] ?? 0;
  const numericalRank = singularValues.filter((s) => s > largest * RANK_TOLERANCE).length;
  return {
    name,
    m,
    r,
    eigenvalues: values,
    maxModulus: Math.max(0, ...values.map((v) => Math.hypot(v.re, v.im))),
    projectionDistance,
    numericalRank,
    rankTolerance: RANK_TOLERANCE,
    singularValues,
  };
}
