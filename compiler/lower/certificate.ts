/**
 * The well-posedness statement of a DEQ module: whether z* = f(z*, x) is known to have a unique
 * fixed point that the chosen solver reaches, and why.
 */
import { initialValues } from "../../ir/initialize.js";
import type { AttrValue, IRModule, IRNode, IRParam } from "../../ir/types.js";

export type Certificate = NonNullable<IRModule["certificate"]>;

const NO_GUARANTEE = "no well-posedness guarantee is known for this cell";

function numberArg(args: Record<string, AttrValue>, key: string, fallback: number): number {
  const value = args[key];
  return typeof value === "number" ? value : fallback;
}

/**
 * μ∞(A) = max_i (a_ii + Σ_{j≠i} |a_ij|) of the ℓ∞ cell's A = m·I + D⁻¹·T·D − diag(|T|·1),
 * D = diag(exp(d)), with T[i][j] (row-major) the weight of z_j in (A z)_i.
 */
export function linfMatrixMeasure(T: Float32Array | number[], d: Float32Array | number[], m: number): number {
  const n = d.length;
  let worst = -Infinity;
  for (let i = 0; i < n; i++) {
    let absRowSum = 0;
    for (let j = 0; j < n; j++) absRowSum += Math.abs(T[i * n + j]);
    let row = m + T[i * n + i] - absRowSum; // a_ii (the D scaling cancels on the diagonal)
    for (let j = 0; j < n; j++) if (j !== i) row += Math.abs(T[i * n + j] * Math.exp(d[j] - d[i]));
    worst = Math.max(worst, row);
  }
  return worst;
}

export function certify(implicit: IRNode, params: readonly IRParam[]): Certificate {
  const cell = implicit.attrs.cell;
  const args = (implicit.attrs.cellArgs ?? {}) as Record<string, AttrValue>;
  const param = (local: string) => params.find((p) => p.name === `${implicit.id}.${local}`);
  switch (cell) {
    case "monotone": {
      const m = numberArg(args, "m", 1);
      return {
        guaranteed: true,
        statement: `monotone cell: W = (1−m)I − AᵀA + B − Bᵀ, so I − W ⪰ m·I by construction (m = ${m}); the fixed point is unique and the splitting solvers converge`,
        quantity: { m },
      };
    }
    case "pcdeq": {
      const activation = typeof args.activation === "string" ? args.activation : "tanh";
      return {
        guaranteed: true,
        statement: `positive concave cell: W ≥ 0 (clamped after every step) and ${activation} is concave and positive on the positive orthant after a positive injection, so the fixed point is unique and plain iteration from 0 converges to it`,
      };
    }
    case "linf": {
      const m = numberArg(args, "m", 0.95);
      const T = param("T");
      const d = param("d");
      if (!T || !d) return { guaranteed: false, statement: "ℓ∞ cell without its T and d parameters" };
      const mu = linfMatrixMeasure(initialValues(T), initialValues(d), m);
      const holds = mu < 1;
      return {
        guaranteed: holds,
        statement: holds
          ? `ℓ∞ cell: μ∞(A) = ${mu.toFixed(4)} < 1 at initialisation (A = mI + D⁻¹TD − diag(|T|·1), m = ${m}); the parameterisation keeps the D-weighted μ∞(A) ≤ m < 1 while training, so the fixed point is unique and the averaged iteration converges`
          : `ℓ∞ cell: μ∞(A) = ${mu.toFixed(4)} ≥ 1 at initialisation; no guarantee`,
        quantity: { mu_inf: mu, m },
      };
    }
    case "dense":
    case "conv": {
      const spectral = args.norm === "spectral";
      return {
        guaranteed: false,
        statement: spectral
          ? cell === "conv"
            ? `${NO_GUARANTEE}: spectral normalisation divides the kernel by the largest singular value of its [k·k·cin, cout] reshape, which bounds the convolution's operator norm only up to a factor k (the kernel size), so f need not be non-expansive in z`
            : `${NO_GUARANTEE}: spectral normalisation keeps ‖W‖₂ ≈ 1, so f is at most 1-Lipschitz in z for a 1-Lipschitz activation — non-expansive, not a contraction`
          : NO_GUARANTEE,
      };
    }
    default:
      return { guaranteed: false, statement: `${NO_GUARANTEE}: the derived cell ϕ(K·(ψ(x) + A z)) has unconstrained K and A` };
  }
}
