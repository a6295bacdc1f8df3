/**
 * The ground vocabulary of values every layer shares: shapes, evaluated argument values,
 * source origins, parameter initialisers and kinds.
 */

/** A feature shape without the batch dimension: `[28, 28, 1]` (NHWC), `[520, 1]` (length, channels), `[50]`. */
export type Shape = number[];

/** An evaluated argument value. Calls keep their name: `adam(lr: 1e-3)` → `{ call: "adam", args: { lr: 0.001 } }`. */
export type Value = number | string | boolean | Value[] | CallValue;

export interface CallValue {
  call: string;
  args: Record<string, Value>;
}

/** Where something came from, for diagnostics and for the IR's `loc` fields. */
export interface Origin {
  file: string;
  line: number;
  column: number;
}

/**
 * How a parameter is initialised. Seeds are not stored here: lowering derives a seed per
 * parameter from the model seed and the parameter's name, so initialisation is reproducible.
 */
export type Initializer =
  | { kind: "zeros" }
  | { kind: "ones" }
  | { kind: "constant"; value: number }
  | { kind: "normal"; mean: number; std: number }
  | { kind: "uniform"; low: number; high: number }
  /** Cauchy(0, scale): the Laplace-kernel random Fourier features. */
  | { kind: "cauchy"; scale: number }
  /** PyTorch's default for Linear/Conv weights and biases: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
  | { kind: "torch_default"; fanIn: number }
  | { kind: "glorot_uniform"; fanIn: number; fanOut: number }
  /** Identity-like (for square maps): I + N(0, std). */
  | { kind: "identity"; std: number };

/**
 * `trainable`: updated by the optimiser and counted in `trainableParams`.
 * `frozen`: fixed random weights (RFF Ω and phases), counted in `frozenParams`.
 * `buffer`: running statistics (batch norm), updated in training mode, counted in neither.
 */
export type ParamKind = "trainable" | "frozen" | "buffer";

export interface ParamSpec {
  /** Local name within its layer: `weight`, `bias`, `gamma`, `omega`, … */
  name: string;
  shape: Shape;
  kind: ParamKind;
  init: Initializer;
}


/** What a model predicts. */
export type Task = { kind: "classify"; classes: number } | { kind: "regress"; outputs: number };
