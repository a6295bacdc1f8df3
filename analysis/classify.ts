/**
 * The paper's four cases (§3.2), decided from the eigenpairs EDMD kept (residual ≤ threshold):
 *   (i)   ρ < 1 apart from the constant: converges to the origin;
 *   (ii)  ρ = 1, every unit-modulus eigenvalue is 1 and semisimple: converges to a fixed point;
 *   (iii) ρ = 1, unit-modulus eigenvalues other than 1, all semisimple: oscillates on an invariant set;
 *   (iv)  otherwise (ρ > 1, or a unit-modulus eigenvalue without a full set of eigenvectors): diverges.
 * The dictionary always holds the constant function, whose eigenvalue is exactly 1 whatever the
 * dynamics; (i) and (ii) are told apart by the state's part on the eigenvalues at 1 (its
 * limit), which vanishes when the trajectories go to the origin.
 */
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { distance, modulus } from "./complex.js";
import type { EdmdResult, SnapshotMatrix } from "./edmd.js";
import { partSize, type Modes } from "./modes.js";

export type KoopmanCase = "i" | "ii" | "iii" | "iv";

export type Role = "fixed point" | "oscillation" | "decay" | "growth" | "defective" | "spurious";

export interface Thresholds {
  /** Eigenpairs with a larger relative residual are spurious (default 0.1). */
  residual: number;
  /** |λ| within this (or the pair's residual, if larger, up to 10×) of 1 counts as on the unit circle, λ as near 1 as λ = 1 (default 1e-3). */
  unit: number;
  /** A cluster of k unit-modulus eigenvalues (within `unit` of each other) is defective when the k-th smallest singular value of K − λ̄I exceeds this share of ‖K‖₂ (default 1e-2). */
  independence: number;
  /** The state's limit (its part at λ = 1) relative to the state below this: the origin (default 1e-3). */
  origin: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { residual: 0.1, unit: 1e-3, independence: 1e-2, origin: 1e-3 };

export interface Margin {
  quantity: string;
  value: number;
  threshold: number;
}

export interface Verdict {
  case: KoopmanCase;
  /** One line: the case, what it means, the deciding eigenvalues. */
  summary: string;
  /** Indices into the EDMD pairs of the eigenvalues that decided. */
  deciding: number[];
  /** Per eigenpair, in the EDMD order. */
  roles: Role[];
  /** Largest modulus among the kept eigenvalues. */
  spectralRadius: number;
  /** The state's limit relative to the state (the λ = 1 part). */
  limitSize: number;
  margins: Margin[];
}

const MEANING: Record<KoopmanCase, string> = {
  i: "converges to the origin",
  ii: "converges to a fixed point",
  iii: "oscillates on an invariant set",
  iv: "diverges",
};

/**
 * Whether a cluster of k eigenvalues around λ̄ is semisimple: K − λ̄I must then have k
 * singular values as small as the cluster's spread (geometric multiplicity k), where a
 * Jordan block leaves only one small and one of the size of its coupling. Returns the k-th
 * smallest singular value relative to ‖K‖₂ (for a complex λ̄ each appears twice in the real
 * embedding). Eigenvectors themselves are not compared: in a tight cluster they are
 * ill-determined even when the cluster is semisimple.
 */
function semisimplicity(result: EdmdResult, cluster: readonly number[]): number {
  const k = result.balanced;
  const n = k.rows;
  const centre = cluster.reduce((acc, j) => ({ re: acc.re + result.pairs[j].value.re / cluster.length, im: acc.im + result.pairs[j].value.im / cluster.length }), { re: 0, im: 0 });
  const complex = Math.abs(centre.im) > 0;
  const size = complex ? 2 * n : n;
  const shifted = new Matrix(size, size);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = k.get(i, j) - (i === j ? centre.re : 0);
      shifted.set(i, j, v);
      if (complex) {
        shifted.set(n + i, n + j, v);
        if (i === j) {
          shifted.set(i, n + j, centre.im);
          shifted.set(n + i, j, -centre.im);
        }
      }
    }
  }
  const values = new SingularValueDecomposition(shifted, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal;
  const norm = new SingularValueDecomposition(k, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal[0] || 1;
  const ascending = [...values].sort((a, b) => a - b);
  const index = (complex ? 2 : 1) * cluster.length - 1;
  return (ascending[Math.min(index, ascending.length - 1)] ?? 0) / norm;
}

/** Groups indices whose eigenvalues lie within the larger of their radii of one another (transitively). */
function clusters(result: EdmdResult, indices: readonly number[], radius: (k: number) => number): number[][] {
  const groups: number[][] = [];
  for (const k of indices) {
    const near = groups.filter((g) => g.some((j) => distance(result.pairs[j].value, result.pairs[k].value) <= Math.max(radius(j), radius(k))));
    const merged = [k, ...near.flat()];
    for (const g of near) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  return groups;
}

const show = (result: EdmdResult, k: number) => {
  const { re, im } = result.pairs[k].value;
  return im === 0 ? re.toPrecision(6) : `${re.toPrecision(4)}${im < 0 ? "−" : "+"}${Math.abs(im).toPrecision(4)}i`;
};

export function classify(
  result: EdmdResult,
  modes: Modes,
  psiX: SnapshotMatrix,
  states: SnapshotMatrix,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): Verdict {
  const pairs = result.pairs;
  const kept = pairs.map((_, k) => k).filter((k) => pairs[k].residual <= thresholds.residual);
  const roles: Role[] = pairs.map((p) => (p.residual <= thresholds.residual ? "decay" : "spurious"));
  const radius = Math.max(0, ...kept.map((k) => modulus(pairs[k].value)));
  // An eigenvalue is known only to within about its residual (the pair is exact for a λ' with
  // |λ − λ'| ≲ residual): it is "on the circle" or "at 1" within the larger of the two, the
  // residual counting up to ten times the stated tolerance (beyond, the pair is too rough to place).
  const tol = (k: number) => Math.max(thresholds.unit, Math.min(pairs[k].residual, 10 * thresholds.unit));
  const growing = kept.filter((k) => modulus(pairs[k].value) > 1 + tol(k));
  const unit = kept.filter((k) => Math.abs(modulus(pairs[k].value) - 1) <= tol(k));
  const ones = unit.filter((k) => distance(pairs[k].value, { re: 1, im: 0 }) <= tol(k));
  const others = unit.filter((k) => !ones.includes(k));
  growing.forEach((k) => (roles[k] = "growth"));
  ones.forEach((k) => (roles[k] = "fixed point"));
  others.forEach((k) => (roles[k] = "oscillation"));

  let worstDefect = 0;
  const defective: number[] = [];
  for (const cluster of clusters(result, unit, tol)) {
    if (cluster.length < 2) continue;
    const sigma = semisimplicity(result, cluster);
    worstDefect = Math.max(worstDefect, sigma);
    if (sigma > Math.max(thresholds.independence, ...cluster.map(tol))) defective.push(...cluster);
  }
  defective.forEach((k) => (roles[k] = "defective"));
  const limitSize = ones.length > 0 ? partSize(result, modes, ones, psiX, states) : 0;
  const inside = kept.filter((k) => modulus(pairs[k].value) < 1 - tol(k));
  const largestInside = Math.max(0, ...inside.map((k) => modulus(pairs[k].value)));
  const worstResidualKept = Math.max(0, ...kept.map((k) => pairs[k].residual));

  const margins: Margin[] = [
    { quantity: "ρ − 1 (kept eigenvalues)", value: radius - 1, threshold: thresholds.unit },
    { quantity: "1 − largest |λ| inside the circle", value: 1 - largestInside, threshold: thresholds.unit },
    { quantity: "largest semisimplicity defect on the circle (σ_k(K − λI)/‖K‖)", value: worstDefect, threshold: thresholds.independence },
    { quantity: "limit state / state (RMS)", value: limitSize, threshold: thresholds.origin },
    { quantity: "largest residual kept", value: worstResidualKept, threshold: thresholds.residual },
  ];

  let verdictCase: KoopmanCase;
  let deciding: number[];
  if (growing.length > 0 || defective.length > 0) {
    verdictCase = "iv";
    deciding = [...growing, ...defective];
  } else if (others.length > 0) {
    verdictCase = "iii";
    deciding = others;
  } else if (limitSize > thresholds.origin) {
    verdictCase = "ii";
    deciding = ones;
  } else {
    verdictCase = "i";
    deciding = ones.length > 0 ? ones : [];
  }
  const names = deciding.slice(0, 6).map((k) => show(result, k));
  const more = deciding.length > 6 ? ` and ${deciding.length - 6} more` : "";
  const why =
    verdictCase === "iv"
      ? defective.length > 0 && growing.length === 0
        ? `defective unit-modulus eigenvalue(s) ${names.join(", ")}${more}`
        : `|λ| > 1 at ${names.join(", ")}${more}`
      : verdictCase === "iii"
        ? `unit-modulus eigenvalue(s) ${names.join(", ")}${more} besides 1`
        : verdictCase === "ii"
          ? `λ = 1 (×${ones.length}) carries a limit of ${limitSize.toPrecision(3)}× the state's size; every other kept |λ| ≤ ${largestInside.toPrecision(4)}`
          : `every kept |λ| ≤ ${largestInside.toPrecision(4)} apart from the constant's λ = 1, whose part of the state is ${limitSize.toExponential(1)}`;
  const summary = `case (${verdictCase}): ${MEANING[verdictCase]} — ${why} (ρ = ${radius.toPrecision(6)}, ${kept.length} of ${pairs.length} eigenpairs kept)`;
  return { case: verdictCase, summary, deciding, roles, spectralRadius: radius, limitSize, margins };
}
