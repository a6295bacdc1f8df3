/**
 * Types shared by the DEQ solvers, backward modes and cells.
 *
 * Residuals are per sample: with `z` a sample's state and `f(z)` the cell applied to it,
 *   abs = ‖f(z) − z‖₂                (over all of the sample's state elements)
 *   rel = abs / (‖f(z)‖₂ + 1e-8)
 * Solvers return, for every sample, the iterate with the lowest residual they saw, and the
 * statistics describe exactly that returned state.
 */
import type * as tf from "@tensorflow/tfjs-core";

export type Tensor = tf.Tensor;

/** A map z ↦ f(z) on batch-first states `[B, ...stateShape]`. */
export type FixedPointMap = (z: tf.Tensor) => tf.Tensor;

export interface SolverStats {
  /** Number of evaluations of f (one per iteration). */
  steps: number;
  /** Per sample, at the returned state: ‖f(z) − z‖₂. */
  absResidual: number[];
  /** Per sample, at the returned state: ‖f(z) − z‖₂ / (‖f(z)‖₂ + 1e-8). */
  relResidual: number[];
  /** Largest relative residual over the batch, one entry per step. */
  trace: number[];
  /** Per sample: whether its stopping residual (`stop`) reached `tol`. */
  converged: boolean[];
  /** Present when the solver gave up on its own method: what it switched to, at which step, why. */
  fellBack?: string;
}

export interface SolverResult {
  /** Owned by the caller (dispose it). */
  z: tf.Tensor;
  stats: SolverStats;
}

/** Settings every solver takes. */
export interface CommonSolverSettings {
  tol: number;
  /** Iteration cap in training. */
  maxIter: number;
  /** Iteration cap in evaluation. */
  evalMaxIter: number;
  stop: "rel" | "abs";
  /** Consecutive steps of growing residual before divergence is declared. */
  patience: number;
}

export interface PicardSettings extends CommonSolverSettings {
  damping: number;
}

export interface AndersonSettings extends CommonSolverSettings {
  memory: number;
  lam: number;
  beta: number;
}

export interface BroydenSettings extends CommonSolverSettings {
  memory: number;
}

export interface AveragedSettings extends CommonSolverSettings {
  /** `auto`: α* = 1/(1 − min_i min(a_ii, 0)) from the cell's A. */
  alpha: number | "auto";
}

export interface SplittingSettings extends CommonSolverSettings {
  alpha: number;
}

export type SolverSpec =
  | { name: "picard"; settings: PicardSettings }
  | { name: "anderson"; settings: AndersonSettings }
  | { name: "broyden"; settings: BroydenSettings }
  | { name: "averaged"; settings: AveragedSettings }
  | { name: "forward_backward"; settings: SplittingSettings }
  | { name: "peaceman_rachford"; settings: SplittingSettings };

export type SolverName = SolverSpec["name"];

/** Generic solvers, or (monotone cells) the splitting applied to the transposed linearised problem. */
export type BackwardSolverName = "picard" | "anderson" | "broyden" | "forward_backward" | "peaceman_rachford";

export type BackwardSpec =
  | { mode: "implicit"; solver: BackwardSolverName; tol: number; maxIter: number }
  | { mode: "one_step" }
  | { mode: "phantom"; steps: number; damping: number }
  | { mode: "unrolled"; steps: number };

/** A linear map on batch-first states and its adjoint (same shapes in and out). */
export interface LinearOperator {
  apply(z: tf.Tensor): tf.Tensor;
  applyT(z: tf.Tensor): tf.Tensor;
}

/** An elementwise activation with its derivative (for Jacobian products). */
export interface Activation {
  name: string;
  apply(x: tf.Tensor): tf.Tensor;
  derivative(x: tf.Tensor): tf.Tensor;
}

/**
 * Every explicit cell has the form f(z) = σ(L z + c): a linear operator, a fixed injection
 * c (already computed from the input), an elementwise activation. Structured solvers and the
 * analytic Jacobian products use this.
 */
export interface StructuredMap {
  linear: LinearOperator;
  injection: tf.Tensor;
  activation: Activation;
  /** Monotone cells: z ↦ (I + α(I − L))⁻¹ z and its transpose, for Peaceman–Rachford. */
  resolvent?: (alpha: number) => Resolvent;
  /** ℓ∞ cells: min_i a_ii of A, for the averaged iteration's automatic α. */
  minDiagonal?: () => number;
}

export interface Resolvent {
  /** (I + α(I − L))⁻¹ r, exactly (up to float32 rounding). */
  solve(r: tf.Tensor): tf.Tensor;
  /** (I + α(I − Lᵀ))⁻¹ r. */
  solveT(r: tf.Tensor): tf.Tensor;
  dispose(): void;
}

/** What a solver is told besides f, z0 and its settings. */
export interface SolveContext {
  /** Names the model (or node) in errors. */
  label: string;
  /** Names the solver in errors and fallback records (e.g. `anderson`, `implicit backward (picard)`). */
  solverName: string;
  /** Picks the cap: `maxIter` in training, `evalMaxIter` otherwise. */
  training: boolean;
  /** The cell's structure, for averaged / forward–backward / Peaceman–Rachford. */
  structure?: StructuredMap;
}
