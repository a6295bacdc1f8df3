/**
 * The DEQ solvers and backward (gradient) modes with their settings, and which solver can solve
 * which cell. The checker binds `deq { solver, backward }` against these tables, lowering writes
 * every setting into the IR, and the verifier and the runtime read the same entries.
 */
import { byName, is, S, type SettingDef, type VocabularyEntry } from "./settings.js";
import type { CellFamily } from "./cell-families.js";

export const SOLVER_NAMES = ["picard", "anderson", "broyden", "averaged", "forward_backward", "peaceman_rachford"] as const;
export type SolverName = (typeof SOLVER_NAMES)[number];

export const BACKWARD_MODE_NAMES = ["implicit", "one_step", "phantom", "unrolled"] as const;
export type BackwardModeName = (typeof BACKWARD_MODE_NAMES)[number];

/** Solvers that split f into a monotone linear part and relu (monotone cells only). */
export const SPLITTING_SOLVERS: readonly SolverName[] = ["forward_backward", "peaceman_rachford"];

/** Solvers the implicit backward pass can use for its linear fixed point. */
export const BACKWARD_SOLVERS: readonly SolverName[] = ["picard", "anderson", "broyden", ...SPLITTING_SOLVERS];

/** Settings every solver takes; tol/max_iter defaults differ per solver. */
function commonSettings(tol: number, maxIter: number): SettingDef[] {
  return [
    { name: "tol", type: S.positive(), default: is(tol), doc: "forward tolerance on the residual" },
    { name: "max_iter", type: S.int(1), default: is(maxIter), doc: "iteration cap in training" },
    { name: "eval_max_iter", type: S.int(1), default: { sameAs: "max_iter" }, doc: "iteration cap in evaluation" },
    { name: "stop", type: S.oneOf("rel", "abs"), default: is("rel"), doc: "relative or absolute residual" },
    { name: "patience", type: S.int(1), default: is(5), doc: "steps of growing residual before divergence is declared" },
  ];
}

const mixing = S.float(0, 1, { minExclusive: true });

export const SOLVER_ENTRIES: readonly (VocabularyEntry & { name: SolverName })[] = [
  {
    name: "picard",
    doc: "Fixed-point iteration z ← (1−τ)z + τ f(z).",
    settings: [{ name: "damping", type: mixing, default: is(1.0), doc: "step τ" }, ...commonSettings(1e-3, 40)],
  },
  {
    name: "anderson",
    doc: "Anderson acceleration over the last `memory` iterates.",
    settings: [
      { name: "memory", type: S.int(1), default: is(6), doc: "iterates kept" },
      { name: "lam", type: S.nonNegative(), default: is(1e-4), doc: "Tikhonov regularisation" },
      { name: "beta", type: mixing, default: is(1.0), doc: "mixing" },
      ...commonSettings(1e-3, 40),
    ],
  },
  {
    name: "broyden",
    doc: "Limited-memory Broyden's method.",
    settings: [{ name: "memory", type: S.int(1), default: is(20), doc: "rank-one updates kept" }, ...commonSettings(1e-3, 40)],
  },
  {
    name: "averaged",
    doc: "Averaged iteration z ← (1−α)z + α f(z); `alpha: auto` uses α* of an ℓ∞ cell.",
    settings: [
      {
        name: "alpha",
        type: { kind: "number-or", number: { kind: "float", min: 0, max: 1, minExclusive: true }, members: ["auto"] },
        default: is("auto"),
        doc: "step α, or auto",
      },
      ...commonSettings(1e-2, 300),
    ],
  },
  {
    name: "forward_backward",
    doc: "Forward–backward splitting for monotone cells (converges for small alpha).",
    settings: [{ name: "alpha", type: S.positive(), default: is(0.05), doc: "step α" }, ...commonSettings(1e-2, 300)],
  },
  {
    name: "peaceman_rachford",
    doc: "Peaceman–Rachford splitting for monotone cells (converges for any alpha > 0).",
    settings: [{ name: "alpha", type: S.positive(), default: is(1.0), doc: "step α" }, ...commonSettings(1e-2, 300)],
  },
];

export const SOLVERS: ReadonlyMap<string, VocabularyEntry> = byName(SOLVER_ENTRIES);

/** The implicit backward's own solver: the forward splitting for monotone cells, else Anderson. */
export function implicitSolverDefault(forwardSolver: string): SolverName {
  return (SPLITTING_SOLVERS as readonly string[]).includes(forwardSolver) ? (forwardSolver as SolverName) : "anderson";
}

/** Backward modes; the implicit mode's solver default depends on the forward solver. */
export function backwardModeEntries(forwardSolver: string): readonly (VocabularyEntry & { name: BackwardModeName })[] {
  return [
    {
      name: "implicit",
      doc: "Implicit differentiation: solves u = (∂f/∂z)ᵀu + ∂L/∂z* by vector–Jacobian products.",
      settings: [
        { name: "solver", type: S.oneOf(...BACKWARD_SOLVERS), default: is(implicitSolverDefault(forwardSolver)), doc: "solver of the linear fixed point" },
        { name: "tol", type: S.positive(), default: is(1e-6), doc: "tolerance of the backward solve" },
        { name: "max_iter", type: S.int(1), default: is(40), doc: "iteration cap of the backward solve" },
      ],
    },
    { name: "one_step", doc: "Jacobian-free one-step gradient.", settings: [] },
    {
      name: "phantom",
      doc: "Phantom gradient: a few damped unrolled steps from z*.",
      settings: [
        { name: "steps", type: S.int(1), default: is(5), doc: "unrolled steps" },
        { name: "damping", type: mixing, default: is(0.5), doc: "damping of each step" },
      ],
    },
    {
      name: "unrolled",
      doc: "Backpropagation through `steps` unrolled iterations (reference).",
      settings: [{ name: "steps", type: S.int(1), default: is(30), doc: "unrolled steps" }],
    },
  ];
}

export function backwardModes(forwardSolver: string): ReadonlyMap<string, VocabularyEntry> {
  return byName(backwardModeEntries(forwardSolver));
}

/** The solver a cell gets when the spec names none. */
export function defaultSolverFor(cell: CellFamily | "derived"): SolverName {
  if (cell === "monotone") return "peaceman_rachford";
  if (cell === "linf") return "averaged";
  return "anderson";
}

/**
 * Why a solver cannot solve a cell, with a fix; undefined when it can.
 * `alpha` is the averaged solver's setting (`auto` or a number).
 */
export function solverCellProblem(
  solver: string,
  cell: CellFamily | "derived",
  alpha?: string | number,
): { message: string; hint: string } | undefined {
  const cellLabel = cell === "derived" ? "the derived cell ϕ(K·(ψ(x) + A z))" : `a ${cell} cell`;
  if ((SPLITTING_SOLVERS as readonly string[]).includes(solver) && cell !== "monotone") {
    return {
      message: `${solver} splits f into a monotone linear part and relu, so it needs a monotone cell, not ${cellLabel}`,
      hint: "use anderson, picard or broyden, or declare cell: monotone(…)",
    };
  }
  if (solver === "averaged" && cell === "monotone") {
    return {
      message: "the averaged iteration is not guaranteed to converge on a monotone cell",
      hint: "use peaceman_rachford or forward_backward (or picard, anderson, broyden)",
    };
  }
  if (solver === "averaged" && alpha === "auto" && cell !== "linf") {
    return {
      message: `alpha: auto is computed from an ℓ∞ cell's matrix A, but this model has ${cellLabel}`,
      hint: "give the step explicitly, e.g. averaged(alpha: 0.5), or declare cell: linf(…)",
    };
  }
  return undefined;
}
