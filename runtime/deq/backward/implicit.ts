/**
 * Implicit differentiation. With J = ∂f/∂z at z* and g = ∂L/∂(output), solve
 *   u = Jᵀ u + g
 * (vector–Jacobian products only), then ∂L/∂θ = (∂f/∂θ)ᵀ u and ∂L/∂x = (∂f/∂x)ᵀ u by one
 * reverse pass through f(z*). The output is f(z*).
 *
 * How u is found — by the backward solver the settings name:
 * - picard, anderson or broyden: on u ↦ Jᵀu + g (on an ℓ∞ cell their Picard fallback uses
 *   τ = min(0.5, α*), which converges for the adjoint problem as it does for the forward one);
 * - forward_backward or peaceman_rachford (monotone cells; what lowering fills in when the
 *   forward solver is one of them): the same splitting on ũ = D(Wᵀ ũ + g) with
 *   D = diag(relu′(W z* + c)) — a monotone problem again, as I − Wᵀ ⪰ mI and D is the projection
 *   onto a coordinate subspace — then u = Wᵀ ũ + g. α is the forward solver's when it is the same
 *   splitting, else that splitting's default.
 * Jᵀu is analytic for explicit cells (Wᵀ(σ′ ⊙ u)) and by autodiff for derived cells.
 */
import * as tf from "../../tf.js";
import { maskActivation } from "../activations.js";
import { forwardBackward } from "../solvers/forward-backward.js";
import { peacemanRachford } from "../solvers/peaceman-rachford.js";
import { runSolver } from "../solvers/index.js";
import { solverSpec } from "../settings.js";
import { vjp } from "../tape.js";
import { DeqConfigError } from "../errors.js";
import type { BackwardSpec, CommonSolverSettings, SolveContext, SolverResult, SolverSpec, StructuredMap } from "../types.js";
import type { BoundCell } from "../cells/types.js";
import type { BackwardJob, BackwardMode } from "./types.js";

type ImplicitSpec = Extract<BackwardSpec, { mode: "implicit" }>;

/** The transposed, linearised problem ũ = D(Lᵀ ũ + g) as a structure the splitting solvers accept. */
function transposedStructure(s: StructuredMap, zStar: tf.Tensor, g: tf.Tensor): StructuredMap {
  const mask = s.activation.derivative(s.linear.apply(zStar).add(s.injection));
  return {
    linear: { apply: s.linear.applyT, applyT: s.linear.apply },
    injection: g,
    activation: maskActivation(mask),
    resolvent: s.resolvent
      ? (alpha) => {
          const r = s.resolvent!(alpha);
          return { solve: r.solveT, solveT: r.solve, dispose: r.dispose };
        }
      : undefined,
  };
}

/** Solves u = Jᵀ u + g at z*; returns u. */
export function solveAdjoint(job: BackwardJob, bound: BoundCell, spec: ImplicitSpec, g: tf.Tensor): tf.Tensor {
  const common: CommonSolverSettings = {
    tol: spec.tol,
    maxIter: spec.maxIter,
    evalMaxIter: spec.maxIter,
    stop: "rel",
    patience: 5,
  };
  const structure = bound.structure;
  const ctx = (s?: StructuredMap): SolveContext => ({
    label: job.label,
    solverName: `implicit backward (${spec.solver})`,
    training: true,
    structure: s,
  });
  const zeros = tf.zerosLike(g);
  let result: SolverResult;
  try {
    if (spec.solver === "forward_backward" || spec.solver === "peaceman_rachford") {
      if (!structure?.resolvent) {
        throw new DeqConfigError(job.label, `backward implicit(solver: ${spec.solver}) needs a monotone cell; use picard, anderson or broyden`);
      }
      const forward = job.forward;
      const own = forward.name === spec.solver ? forward : solverSpec(spec.solver);
      const alpha = own.name === "forward_backward" || own.name === "peaceman_rachford" ? own.settings.alpha : 1;
      const t = transposedStructure(structure, job.zStar, g);
      const fT = (v: tf.Tensor) => tf.tidy(() => t.activation.apply(t.linear.apply(v).add(g)));
      const settings = { ...common, alpha };
      const split =
        spec.solver === "forward_backward"
          ? forwardBackward(fT, zeros, settings, ctx(t))
          : peacemanRachford(fT, zeros, settings, ctx(t));
      const u = tf.tidy(() => structure.linear.applyT(split.z).add(g));
      split.z.dispose();
      result = { z: u, stats: split.stats };
    } else {
      const jT = bound.vjpAt(job.zStar);
      const fb = (u: tf.Tensor) => tf.tidy(() => jT(u).add(g));
      const chosen = solverSpec(spec.solver, {}, job.label);
      result = runSolver({ ...chosen, settings: { ...chosen.settings, ...common } } as SolverSpec, fb, zeros, ctx(structure));
    }
  } finally {
    zeros.dispose();
  }
  job.onStats?.(result.stats);
  return result.z;
}

export function implicit(spec: ImplicitSpec): BackwardMode {
  return {
    value: (job) => tf.tidy(() => job.cell.bind(job.inputs).f(job.zStar)),
    grads: (job, dy) => {
      const u = solveAdjoint(job, job.cell.bind(job.inputs), spec, dy);
      try {
        return vjp(() => job.cell.bind(job.inputs).f(job.zStar), [...job.inputs, ...job.variables], u);
      } finally {
        u.dispose();
      }
    },
  };
}
