/**
 * Memory before allocation: an estimate of what a compiled model needs (parameters, their
 * gradients and optimiser moments, and one batch's activations with their gradients), in
 * float32 bytes, and the refusal of a run that would not fit the budget. The estimate is a
 * lower bound of the same order as what TensorFlow.js allocates, in the spirit of torchinfo's
 * "estimated total size": enough to stop a 10⁹-unit layer before it takes the machine down.
 */
import { totalmem } from "node:os";
import type { IRGraph, IRModule } from "../ir/types.js";
import { CodedError } from "../core/coded-error.js";

const BYTES = 4;
/** Default budget: this fraction of the machine's memory. */
export const DEFAULT_BUDGET_FRACTION = 0.5;

const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Values one example keeps alive through a forward pass (all node outputs, implicit bodies too). */
function activationsPerExample(graph: IRGraph): number {
  let total = 0;
  for (const node of graph.nodes) {
    total += elements(node.shape);
    if (node.body) {
      // A solver keeps a few states besides the body's own values (Anderson: its history).
      const settings = (node.attrs.solver as { settings?: Record<string, unknown> } | undefined)?.settings ?? {};
      const history = typeof settings.mem === "number" ? settings.mem : 5;
      total += activationsPerExample(node.body) + elements(node.shape) * (history + 2);
    }
  }
  return total;
}

export interface MemoryEstimate {
  parameters: number;
  /** Bytes of parameters: weights only. */
  parameterBytes: number;
  /** Bytes of activations per example (forward values). */
  activationBytesPerExample: number;
  /** Training at `batch`: weights, gradients, two optimiser moments, activations and their gradients. */
  trainingBytes(batch: number): number;
  /** Evaluation at `batch`: weights and forward activations. */
  evaluationBytes(batch: number): number;
}

export function estimateMemory(module: IRModule): MemoryEstimate {
  const parameters = module.params.reduce((n, p) => n + elements(p.shape), 0);
  const perExample = (elements(module.input.shape) + activationsPerExample(module.graph)) * BYTES;
  const parameterBytes = parameters * BYTES;
  return {
    parameters,
    parameterBytes,
    activationBytesPerExample: perExample,
    trainingBytes: (batch) => 4 * parameterBytes + 2 * batch * perExample,
    evaluationBytes: (batch) => parameterBytes + batch * perExample,
  };
}

export function defaultBudget(): number {
  return Math.floor(totalmem() * DEFAULT_BUDGET_FRACTION);
}

/** `1.5 GB`, `320 KB`: decimal units, three significant digits. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toPrecision(3)} ${units[unit]}`;
}

/**
 * Throws a coded error when `what` (training or evaluation at `batch`) would need more than
 * `budget` bytes, saying how much and what to change.
 */
export function requireWithinBudget(module: IRModule, mode: "train" | "eval", batch: number, budget: number): void {
  const estimate = estimateMemory(module);
  const need = mode === "train" ? estimate.trainingBytes(batch) : estimate.evaluationBytes(batch);
  if (need <= budget) return;
  const fixed = mode === "train" ? 4 * estimate.parameterBytes : estimate.parameterBytes;
  const perBatch = need - fixed;
  const fitsBatch = Math.floor((budget - fixed) / (perBatch / Math.max(batch, 1)));
  const advice =
    fixed > budget
      ? `the parameters alone (${estimate.parameters.toLocaleString("en-US")}, ${formatBytes(fixed)} with ${mode === "train" ? "gradients and optimiser state" : "nothing else"}) exceed it: make the layers smaller`
      : `use a batch of at most ${fitsBatch.toLocaleString("en-US")} (--batch), or make the layers smaller`;
  throw new CodedError(
    "SIM7301",
    `${module.model} needs about ${formatBytes(need)} to ${mode === "train" ? "train" : "evaluate"} at batch ${batch.toLocaleString("en-US")} (${formatBytes(fixed)} for parameters${mode === "train" ? ", gradients and optimiser state" : ""}, ${formatBytes(perBatch)} for activations), more than the memory budget of ${formatBytes(budget)}`,
    `${advice}; or raise the budget with --memory (default: ${DEFAULT_BUDGET_FRACTION * 100}% of this machine's ${formatBytes(totalmem())})`,
  );
}
