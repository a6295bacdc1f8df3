/** What a backward mode sees: the solved state, the cell, and what gradients are taken for. */
import type * as tf from "@tensorflow/tfjs-core";
import type { CellDefinition } from "../cells/types.js";
import type { SolverSpec, SolverStats } from "../types.js";

export interface BackwardJob {
  label: string;
  cell: CellDefinition;
  /** The node's inputs (batch-first), as the custom op received them. */
  inputs: tf.Tensor[];
  /** Trainable variables that receive gradients, in the order the custom op received them. */
  variables: tf.Variable[];
  /** The forward solver's fixed point (a constant). */
  zStar: tf.Tensor;
  forward: SolverSpec;
  onStats?: (stats: SolverStats) => void;
}

export interface BackwardMode {
  /** The node's output in training, computed from z* without taping. */
  value(job: BackwardJob): tf.Tensor;
  /** Gradients of ⟨output, dy⟩ for each input, then each variable. */
  grads(job: BackwardJob, dy: tf.Tensor): tf.Tensor[];
}
