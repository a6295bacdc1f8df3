/**
 * Koopman modes: how much each eigenpair contributes to the state. With the state's
 * coordinates S regressed on the dictionary (S ≈ Ψ·Bs) and K = V Λ V⁻¹, the state is
 * S ≈ Φ·(V⁻¹Bs) with Φ = Ψ·V the eigenfunctions on the data: row k of V⁻¹Bs is the mode of
 * eigenvalue k. Eigenfunctions are normalised to unit RMS on the data, so a mode's norm is
 * the RMS size of its eigenvalue's part of the state (its amplitude).
 */
import { Matrix, solve } from "ml-matrix";
import { realEmbedding, type ComplexVector } from "./complex.js";
import { crossGram, DEFAULT_RIDGE, solveBalanced, type EdmdResult, type SnapshotMatrix } from "./edmd.js";

export interface Modes {
  /** Per eigenpair (in `result.pairs` order): the mode, one complex entry per state coordinate. */
  modes: ComplexVector[];
  /** Per eigenpair: ‖mode‖₂. */
  amplitudes: number[];
}

export function koopmanModes(result: EdmdResult, psiX: SnapshotMatrix, states: SnapshotMatrix, ridge = DEFAULT_RIDGE): Modes {
  const d = psiX.cols;
  const s = states.cols;
  const coefficients = solveBalanced(result.gram.G, crossGram(psiX, states), ridge); // d × s
  const embedded = realEmbedding(result.pairs.map((p) => p.vector)); // 2d × 2d
  const rhs = new Matrix(2 * d, s);
  for (let i = 0; i < d; i++) for (let j = 0; j < s; j++) rhs.set(i, j, coefficients.get(i, j));
  const solution = solve(embedded, rhs, true); // [Re; Im] of V⁻¹Bs
  const modes = result.pairs.map((_, k) => ({
    re: Float64Array.from({ length: s }, (_, j) => solution.get(k, j)),
    im: Float64Array.from({ length: s }, (_, j) => solution.get(d + k, j)),
  }));
  const amplitudes = modes.map((m) => Math.sqrt(m.re.reduce((a, x) => a + x * x, 0) + m.im.reduce((a, x) => a + x * x, 0)));
  return { modes, amplitudes };
}

/**
 * RMS over the snapshots of ‖Σ_k φ_k(z)·mode_k‖ for the chosen eigenpairs, relative to the RMS
 * of ‖z‖: for the eigenvalues at 1, the size of the state's limit (0 when it goes to the origin).
 */
export function partSize(result: EdmdResult, modes: Modes, which: readonly number[], psiX: SnapshotMatrix, states: SnapshotMatrix): number {
  const d = psiX.cols;
  const s = states.cols;
  let part = 0;
  let whole = 0;
  const re = new Float64Array(s);
  const im = new Float64Array(s);
  for (let r = 0; r < psiX.rows; r++) {
    re.fill(0);
    im.fill(0);
    const row = psiX.data.subarray(r * d, (r + 1) * d);
    for (const k of which) {
      const g = result.pairs[k].vector;
      let pr = 0;
      let pi = 0;
      for (let i = 0; i < d; i++) {
        pr += row[i] * g.re[i];
        pi += row[i] * g.im[i];
      }
      const mode = modes.modes[k];
      for (let j = 0; j < s; j++) {
        re[j] += pr * mode.re[j] - pi * mode.im[j];
        im[j] += pr * mode.im[j] + pi * mode.re[j];
      }
    }
    for (let j = 0; j < s; j++) {
      part += re[j] * re[j] + im[j] * im[j];
      const z = states.data[r * s + j];
      whole += z * z;
    }
  }
  return whole > 0 ? Math.sqrt(part / whole) : 0;
}
