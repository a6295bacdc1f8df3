/**
 * The checked model: what the checker hands to lowering once a `.sim` model is bound,
 * evaluated (block arguments, `repeat`, `if` expanded) and shape-checked.
 *
 * Everything here is concrete: argument values are evaluated, defaults filled in, shapes
 * known, parameters enumerated. Lowering (`compiler/lower/`) reads only this and the
 * layer catalogue; it never looks at the AST again.
 */

import type { DataDescription } from "../vocabulary/data-forms/types.js";
import type { CallValue, Initializer, Origin, ParamKind, ParamSpec, Shape, Task, Value } from "../core/values.js";

export type { CallValue, Initializer, Origin, ParamKind, ParamSpec, Shape, Task, Value };

/** One layer after expansion. `op` is a catalogue name (`compiler/layers/`). */
export interface LayerInstance {
  op: string;
  /** All arguments, evaluated, defaults filled in. */
  args: Record<string, Value>;
  inputShape: Shape;
  outputShape: Shape;
  params: ParamSpec[];
  /** Stable path used to name parameters: `basis.0.conv2d`, `basis.4.residual.body.0.conv1d`. */
  path: string;
  /** The block applications this layer was expanded from, outermost first (`["conv_bn_relu"]`). */
  via: string[];
  origin: Origin;
  /** `residual` only: the main branch and the shortcut (empty = identity). */
  body?: LayerInstance[];
  shortcut?: LayerInstance[];
}


/** Koopman lift: the rank-r projection C·B on R^m (B: m→r, C: r→m, both bias-free). */
export interface LiftSpec {
  m: number;
  r: number;
  origin: Origin;
}

/** Perron–Frobenius embedding by random Fourier features, plus its own rank (D: n→r, E: r→n). */
export interface EmbedSpec {
  kind: "rff";
  n: number;
  r: number;
  sigma: number;
  kernel: "gauss" | "laplace";
  features: "cossin" | "cosbias";
  origin: Origin;
}

import type { CellFamily } from "../vocabulary/cell-families.js";

export type { CellFamily };

export interface CellSpec {
  family: CellFamily;
  /** All settings of the cell, evaluated, defaults filled in (e.g. `channels`, `m`, `activation`). */
  args: Record<string, Value>;
  /** Shape of what the cell injects (ψ(x), or the raw input when there is no basis). */
  injectionShape: Shape;
  /** Shape of the state z (and of z*, which the head reads). */
  stateShape: Shape;
  /** The cell's parameters, laid out by `vocabulary/cells.ts`. */
  params: ParamSpec[];
  origin: Origin;
}

export interface SolverSpec {
  /** `picard`, `anderson`, `broyden`, `averaged`, `forward_backward`, `peaceman_rachford`. */
  name: string;
  settings: Record<string, Value>;
  origin: Origin;
}

export interface BackwardSpec {
  /** `implicit`, `one_step`, `phantom`, `unrolled`. */
  mode: string;
  settings: Record<string, Value>;
  origin: Origin;
}

export interface DeqSpec {
  /** Absent: the DEQ target derives a cell from the SIM parts (DESIGN §2). */
  cell?: CellSpec;
  solver: SolverSpec;
  backward: BackwardSpec;
}

export interface TrainSpec {
  /**
   * Data set name (`mnist`, `fashion-mnist`, `cifar10`, `svhn`, `copy-memory`, `image`) or path.
   * The checker gives a call with every setting filled in (`{ call: "copy_memory", args: { T: 500,
   * train: 4500, test: 500 } }`), a path string as written, or "" when the spec names no data.
   */
  data: Value;
  loss: "cross_entropy" | "mse";
  optimizer: CallValue;
  schedule: CallValue;
  batch: number;
  epochs: number;
  /** Max global gradient norm; absent = no clipping. */
  clip?: number;
  /** Fraction of the training set held out for validation. */
  validation: number;
  seed: number;
  /** Every other setting given in the section, evaluated (forwarded to the data loader etc.). */
  extra: Record<string, Value>;
  origin: Origin;
}

/** Which SIM form the parts describe. */
export type SimVariant = "single" | "two" | "rff-only" | "none";

export interface CheckedModel {
  name: string;
  file: string;
  origin: Origin;
  doc?: string;
  input: Shape;
  task: Task;
  /** The target the spec asks for by default (`target: deq`); `sim` when unsaid and SIM parts exist. */
  defaultTarget: "sim" | "deq";
  variant: SimVariant;
  /** ψ; empty for RFF-only models and pure DEQ models. */
  basis: LayerInstance[];
  /** Single-tier (C·B on ψ(x)) and RFF-only (C·B on φ(x), m = n); absent for two-tier SIMs, whose projection is the embedding's E·D. */
  lift?: LiftSpec;
  embed?: EmbedSpec;
  /** ϕ */
  surrogate: LayerInstance[];
  /** g (classification heads output logits; softmax belongs to the loss). */
  head: LayerInstance[];
  deq?: DeqSpec;
  train: TrainSpec;
  /** What the data yields, inspected from its files (absent: no data, or not there at check time). */
  data?: DataDescription;
  /** Totals for the default target (`defaultTarget`). */
  trainableParams: number;
  frozenParams: number;
  /** Totals per target the model can be lowered to (sim: ψ, lift, φ, ϕ, g; deq: ψ, cell or derived K/A, ϕ, g). */
  targets: { sim?: ParamTotals; deq?: ParamTotals };
}

export interface ParamTotals {
  trainable: number;
  frozen: number;
}
