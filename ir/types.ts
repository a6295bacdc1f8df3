/**
 * The simc graph IR: plain JSON, versioned, what `simc compile` writes and `simc train` reads.
 * Documented for other tools in `docs/ir.md`.
 *
 * Conventions
 * - Shapes exclude the batch dimension. Images are NHWC (`[28, 28, 1]`), sequences are
 *   `[length, channels]`, vectors `[n]`. Every op that maps features (dense, rff) acts on the
 *   last axis, so a `[length, channels]` tensor is processed per position.
 * - A node reads the outputs of earlier nodes (by id) and the parameters it names in `params`
 *   (by global name). Nodes are listed in a valid execution order.
 * - Parameters are declared once in `IRModule.params` with shape, initializer and kind.
 */
import type { Initializer, ParamKind, Shape, Value } from "../core/values.js";
import type { CellFamily } from "../vocabulary/cell-families.js";
import type { BackwardModeName, SolverName } from "../vocabulary/solvers.js";
import type { IRTrain } from "./train-section.js";

export type { IRTrain };

export const IR_VERSION = 1;

export type IROp =
  /** The model input (graph inputs of the top-level graph), or a named input of an implicit body. */
  | "input"
  /** y = x·W (+ b) on the last axis. params: [weight [in, out]] or [weight, bias [out]]. */
  | "dense"
  /** attrs: kernel [kh, kw], stride [sh, sw], dilation [dh, dw], padding "same" | "valid". params: [weight [kh, kw, cin, cout], bias?]. */
  | "conv2d"
  /**
   * attrs: kernel, stride, dilation, padding "causal" | "same" | "valid", weightNorm.
   * params: weightNorm ? [v [k, cin, cout], g [cout], bias?] : [weight [k, cin, cout], bias?].
   */
  | "conv1d"
  /** attrs: epsilon, momentum. params: [gamma, beta, movingMean (buffer), movingVariance (buffer)]; per last axis. */
  | "batchnorm"
  /** attrs: fn "relu" | "tanh" | "sigmoid" | "softsign" | "relu6" | "softplus", beta? (softplus). */
  | "activation"
  /** attrs: mode "max" | "avg", size [..], stride [..], padding "same" | "valid"; 1-D or 2-D by input rank. */
  | "pool"
  | "flatten"
  /** attrs: rate. Identity in eval mode. */
  | "dropout"
  | "identity"
  /** Elementwise sum of its inputs (same shape). */
  | "add"
  /**
   * Random Fourier features on the last axis. attrs: features "cossin" | "cosbias", n, scale (= 1/sqrt(n/2)).
   * params: cossin → [omega [in, n/2]]; cosbias → [omega [in, n], phase [n]] (all frozen).
   */
  | "rff"
  /**
   * z* = f(z*, inputs) solved by a fixed-point solver; output z*. attrs: see `ImplicitAttrs`.
   * Derived cells carry a `body` computing f (graph inputs: `z`, then one per node input).
   * Explicit cells (dense, conv, monotone, pcdeq, linf) carry no body: their f is fixed by the
   * family (`vocabulary/cells.ts`), parameterised by the node's params (global names
   * `<nodeId>.<local name>`), which structured solvers need to see whole.
   */
  | "implicit";

/** JSON attribute values. */
export type AttrValue = Value | null | { [key: string]: AttrValue };

export interface IRSourceRef {
  file: string;
  line: number;
  column: number;
}

export interface IRNode {
  id: string;
  op: IROp;
  /** Ids of the nodes (or graph inputs) this node reads, in order. */
  inputs: string[];
  /** Global parameter names this node uses, in the order its op documents. */
  params: string[];
  attrs: Record<string, AttrValue>;
  /** Output shape (no batch dimension). */
  shape: Shape;
  /** `implicit` only: the sub-graph computing f. */
  body?: IRGraph;
  /** The `.sim` source this node was lowered from, when there is one. */
  loc?: IRSourceRef;
}

export interface IRGraph {
  /** Ids of this graph's inputs; each has an `input` node in `nodes`. */
  inputs: string[];
  nodes: IRNode[];
  /** Ids of the graph's outputs (one for every graph simc makes today). */
  outputs: string[];
}

export interface IRParam {
  name: string;
  shape: Shape;
  kind: ParamKind;
  init: Initializer;
  /** Seed for this parameter's initializer (derived from the model seed and the name). */
  seed: number;
  /** Constraint applied after each optimiser step (pcDEQ: `nonnegative`). */
  constraint?: "nonnegative";
}

export interface ImplicitAttrs {
  /** `derived` when built from the SIM parts, otherwise the spec's cell family. */
  cell: "derived" | CellFamily;
  /** The cell's settings (`vocabulary/cell-families.ts`), every default filled in by lowering; empty for derived cells. */
  cellArgs: Record<string, AttrValue>;
  /** A solver of `vocabulary/solvers.ts` with every setting resolved. */
  solver: { name: SolverName; settings: Record<string, AttrValue> };
  /** A backward mode of `vocabulary/solvers.ts` with every setting resolved. */
  backward: { mode: BackwardModeName; settings: Record<string, AttrValue> };
  /** Shape of the state z (no batch dimension). */
  stateShape: Shape;
}

export type IRTask = { kind: "classify"; classes: number } | { kind: "regress"; outputs: number };

export interface IRModule {
  version: typeof IR_VERSION;
  model: string;
  target: "sim" | "deq";
  /** SIM form for the sim target (`single`, `two`, `rff-only`). */
  variant?: string;
  input: { shape: Shape };
  task: IRTask;
  params: IRParam[];
  graph: IRGraph;
  /** The spec's `train` section, every setting resolved against the training vocabulary. */
  train?: IRTrain;
  /** Totals, equal to `simc check`'s. */
  trainableParams: number;
  frozenParams: number;
  /** Well-posedness statement for the deq target. */
  certificate?: { guaranteed: boolean; statement: string; quantity?: Record<string, number> };
  source?: { file: string; seed: number };
}
