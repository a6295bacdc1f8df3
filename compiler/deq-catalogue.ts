/**
 * The DEQ vocabulary: solvers, backward (gradient) modes and cell families, each with its
 * settings (name, type, default), and the rules for which cell a solver can solve. The checker
 * validates `deq { cell, solver, backward }` against this table; the DEQ runtime reads the
 * settings by these exact names.
 */
import { D, T, type ArgSpec } from "./arguments.js";
import type { CellFamily, Value } from "./checked-model.js";
import type { Place } from "./reporter.js";
import { toValueRecord, type EvalValue } from "./values.js";

export interface SettingsDef {
  name: string;
  doc: string;
  settings: readonly ArgSpec[];
}

/** Settings every solver takes; tol/max_iter defaults differ per solver. */
function commonSettings(tol: number, maxIter: number): ArgSpec[] {
  return [
    { name: "tol", type: T.positive(), default: D.float(tol), doc: "forward tolerance on the residual" },
    { name: "max_iter", type: T.int(1), default: D.int(maxIter), doc: "iteration cap in training" },
    { name: "eval_max_iter", type: T.int(1), default: D.sameAs("max_iter"), doc: "iteration cap in evaluation" },
    { name: "stop", type: T.oneOf("rel", "abs"), default: D.symbol("rel"), doc: "relative or absolute residual" },
    { name: "patience", type: T.int(1), default: D.int(5), doc: "steps of growing residual before divergence is declared" },
  ];
}

export const SOLVERS: ReadonlyMap<string, SettingsDef> = new Map(
  (
    [
      {
        name: "picard",
        doc: "Fixed-point iteration z ← (1−τ)z + τ f(z).",
        settings: [{ name: "damping", type: T.float(0, 1, { minExclusive: true }), default: D.float(1.0) }, ...commonSettings(1e-3, 40)],
      },
      {
        name: "anderson",
        doc: "Anderson acceleration over the last `memory` iterates.",
        settings: [
          { name: "memory", type: T.int(1), default: D.int(6) },
          { name: "lam", type: T.nonNegative(), default: D.float(1e-4), doc: "Tikhonov regularisation" },
          { name: "beta", type: T.float(0, 1, { minExclusive: true }), default: D.float(1.0), doc: "mixing" },
          ...commonSettings(1e-3, 40),
        ],
      },
      {
        name: "broyden",
        doc: "Limited-memory Broyden's method.",
        settings: [{ name: "memory", type: T.int(1), default: D.int(20) }, ...commonSettings(1e-3, 40)],
      },
      {
        name: "averaged",
        doc: "Averaged iteration z ← (1−α)z + α f(z); `alpha: auto` uses α* of an ℓ∞ cell.",
        settings: [
          {
            name: "alpha",
            type: { kind: "number-or", number: { kind: "float", min: 0, max: 1, minExclusive: true }, members: ["auto"] },
            default: D.symbol("auto"),
          },
          ...commonSettings(1e-2, 300),
        ],
      },
      {
        name: "forward_backward",
        doc: "Forward–backward splitting for monotone cells (converges for small alpha).",
        settings: [{ name: "alpha", type: T.positive(), default: D.float(0.05) }, ...commonSettings(1e-2, 300)],
      },
      {
        name: "peaceman_rachford",
        doc: "Peaceman–Rachford splitting for monotone cells (converges for any alpha > 0).",
        settings: [{ name: "alpha", type: T.positive(), default: D.float(1.0) }, ...commonSettings(1e-2, 300)],
      },
    ] satisfies SettingsDef[]
  ).map((def) => [def.name, def]),
);

export const SPLITTING_SOLVERS: readonly string[] = ["forward_backward", "peaceman_rachford"];

/** The implicit backward's own solver defaults to the forward splitting for monotone cells. */
function implicitSolverDefault(forwardSolver: string) {
  return (_bound: Readonly<Record<string, EvalValue>>, at: EvalValue["at"]): EvalValue => ({
    kind: "symbol",
    name: SPLITTING_SOLVERS.includes(forwardSolver) ? forwardSolver : "anderson",
    at,
  });
}

/** Backward modes; the implicit mode's solver default depends on the forward solver. */
export function backwardModes(forwardSolver: string): ReadonlyMap<string, SettingsDef> {
  return new Map(
    (
      [
        {
          name: "implicit",
          doc: "Implicit differentiation: solves u = (∂f/∂z)ᵀu + ∂L/∂z* by vector–Jacobian products.",
          settings: [
            {
              name: "solver",
              type: T.oneOf("picard", "anderson", "broyden", ...SPLITTING_SOLVERS),
              default: implicitSolverDefault(forwardSolver),
            },
            { name: "tol", type: T.positive(), default: D.float(1e-6) },
            { name: "max_iter", type: T.int(1), default: D.int(40) },
          ],
        },
        { name: "one_step", doc: "Jacobian-free one-step gradient.", settings: [] },
        {
          name: "phantom",
          doc: "Phantom gradient: a few damped unrolled steps from z*.",
          settings: [
            { name: "steps", type: T.int(1), default: D.int(5) },
            { name: "damping", type: T.float(0, 1, { minExclusive: true }), default: D.float(0.5) },
          ],
        },
        {
          name: "unrolled",
          doc: "Backpropagation through `steps` unrolled iterations (reference).",
          settings: [{ name: "steps", type: T.int(1), default: D.int(30) }],
        },
      ] satisfies SettingsDef[]
    ).map((def) => [def.name, def]),
  );
}

const ACTIVATIONS = ["relu", "tanh", "sigmoid", "softsign", "relu6", "softplus"];
const norm: ArgSpec = { name: "norm", type: T.oneOf("none", "weight", "spectral"), default: D.symbol("none") };
const jacReg: ArgSpec = { name: "jac_reg", type: T.nonNegative(), default: D.float(0), doc: "Jacobian regularisation weight" };
const kind: ArgSpec = { name: "kind", type: T.oneOf("dense", "conv"), default: D.symbol("dense") };
const units: ArgSpec = { name: "units", type: T.int(1), optional: true, doc: "state width (dense kind)" };
const channels: ArgSpec = { name: "channels", type: T.int(1), optional: true, doc: "state channels (conv kind)" };
const kernel: ArgSpec = { name: "kernel", type: T.oddInt(), default: D.int(3) };

export const CELLS: ReadonlyMap<CellFamily, SettingsDef> = new Map(
  (
    [
      {
        name: "dense",
        doc: "f(z, x) = σ(W z + U x + b) on a vector state.",
        settings: [
          { name: "units", type: T.int(1) },
          { name: "activation", type: T.oneOf(...ACTIVATIONS), default: D.symbol("relu") },
          norm,
          jacReg,
        ],
      },
      {
        name: "conv",
        doc: "f(z, x) = σ(W ∗ z + U ∗ x + b) on an image state.",
        settings: [
          { name: "channels", type: T.int(1) },
          kernel,
          { name: "activation", type: T.oneOf(...ACTIVATIONS), default: D.symbol("relu") },
          norm,
          jacReg,
        ],
      },
      {
        name: "monotone",
        doc: "monDEQ: W = (1−m)I − AᵀA + B − Bᵀ, relu; well-posed by construction.",
        settings: [kind, units, channels, kernel, { name: "m", type: T.positive(), default: D.float(1.0), doc: "monotonicity margin" }],
      },
      {
        name: "pcdeq",
        doc: "Positive concave DEQ: nonnegative W, concave positive activation.",
        settings: [
          kind,
          units,
          channels,
          kernel,
          {
            name: "activation",
            type: T.oneOf("tanh", "softsign", "relu6", "sigmoid"),
            // pcDEQ-2 pairs a relu injection with sigmoid; otherwise pcDEQ-1's tanh.
            default: (bound, at) => ({ kind: "symbol", name: injectionName(bound) === "relu" ? "sigmoid" : "tanh", at }),
          },
          {
            name: "injection",
            type: T.oneOf("softplus", "relu"),
            default: (bound, at) => ({ kind: "symbol", name: activationName(bound) === "sigmoid" ? "relu" : "softplus", at }),
          },
          { name: "beta", type: T.positive(), default: D.float(5), doc: "softplus sharpness" },
        ],
      },
      {
        name: "linf",
        doc: "ℓ∞-contractive cell z = Φ(A z + B x + b) with μ∞(A) ≤ m < 1 by construction.",
        settings: [
          { name: "units", type: T.int(1) },
          { name: "m", type: T.float(undefined, 1, { maxExclusive: true }), default: D.float(0.95), doc: "bound on μ∞(A)" },
          { name: "activation", type: T.oneOf("relu", "tanh", "sigmoid", "softsign", "relu6"), default: D.symbol("relu") },
          { name: "lipschitz_reg", type: T.nonNegative(), default: D.float(0), doc: "weight of the Lipschitz-bound regulariser" },
        ],
      },
    ] satisfies { name: CellFamily; doc: string; settings: ArgSpec[] }[]
  ).map((def) => [def.name, def]),
);

function injectionName(bound: Readonly<Record<string, EvalValue>>): string | undefined {
  const v = bound.injection;
  return v?.kind === "symbol" ? v.name : undefined;
}

function activationName(bound: Readonly<Record<string, EvalValue>>): string | undefined {
  const v = bound.activation;
  return v?.kind === "symbol" ? v.name : undefined;
}

/** pcDEQ's valid pairings of injection and activation. */
export const PCDEQ_PAIRS: Readonly<Record<string, readonly string[]>> = {
  softplus: ["tanh", "softsign", "relu6"],
  relu: ["sigmoid"],
};

/** The solver a cell gets when the spec names none. */
export function defaultSolverFor(cell: CellFamily | "derived"): string {
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
  if (SPLITTING_SOLVERS.includes(solver) && cell !== "monotone") {
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

/** Every setting of `def` at its default, as the checker fills them when nothing is written. */
export function defaultSettings(def: SettingsDef): Record<string, Value> {
  const at: Place = { file: "", loc: { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 } };
  const bound: Record<string, EvalValue> = {};
  for (const spec of def.settings) {
    const value = spec.default?.(bound, at);
    if (value) bound[spec.name] = value;
  }
  return toValueRecord(bound);
}
