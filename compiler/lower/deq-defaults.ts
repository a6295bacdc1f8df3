/**
 * Default solver and backward settings, filled into the implicit node so the IR states every
 * number the runtime will use. The checker fills defaults too; filling only missing keys here
 * keeps the IR complete even for a model without a `deq { … }` section.
 */
import type { BackwardSpec, SolverSpec, Value } from "../checked-model.js";

type Settings = Record<string, Value>;

const SOLVER_DEFAULTS: Record<string, Settings> = {
  picard: { damping: 1.0, tol: 1e-3, max_iter: 40 },
  anderson: { memory: 6, lam: 1e-4, beta: 1.0, tol: 1e-3, max_iter: 40 },
  broyden: { memory: 20, tol: 1e-3, max_iter: 40 },
  averaged: { alpha: "auto", tol: 1e-2, max_iter: 300 },
  forward_backward: { alpha: 0.05, tol: 1e-2, max_iter: 300 },
  peaceman_rachford: { alpha: 1.0, tol: 1e-2, max_iter: 300 },
};

const BACKWARD_DEFAULTS: Record<string, Settings> = {
  implicit: { solver: "anderson", tol: 1e-6, max_iter: 40 },
  one_step: {},
  phantom: { steps: 5, damping: 0.5 },
  unrolled: { steps: 30 },
};

export function solverWithDefaults(solver: Pick<SolverSpec, "name" | "settings">): { name: string; settings: Settings } {
  const settings: Settings = { ...(SOLVER_DEFAULTS[solver.name] ?? {}), stop: "rel", patience: 5, ...solver.settings };
  if (settings.eval_max_iter === undefined && settings.max_iter !== undefined) settings.eval_max_iter = settings.max_iter;
  return { name: solver.name, settings };
}

/**
 * Monotone cells solve the backward linear system with the splitting of their forward solver,
 * so an `implicit` backward without its own solver inherits a splitting forward solver's name.
 */
export function backwardWithDefaults(backward: Pick<BackwardSpec, "mode" | "settings">, forwardSolver: string): { mode: string; settings: Settings } {
  const defaults = { ...(BACKWARD_DEFAULTS[backward.mode] ?? {}) };
  if (backward.mode === "implicit" && (forwardSolver === "forward_backward" || forwardSolver === "peaceman_rachford")) {
    defaults.solver = forwardSolver;
  }
  return { mode: backward.mode, settings: { ...defaults, ...backward.settings } };
}

/** The solver and backward of a model without a `deq { … }` section. */
export const DEFAULT_SOLVER = { name: "anderson", settings: {} };
export const DEFAULT_BACKWARD = { mode: "implicit", settings: {} };
