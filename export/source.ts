/**
 * What an export reads: the module (compiled IR) and its parameter values — trained ones from a
 * run directory's checkpoint, or the module's own seeded initialisers — held by a runtime
 * executor (explicit DEQ cells are reduced to their graph form through the runtime's cells).
 */
import type * as tf from "../runtime/tf.js";
import type { IRModule } from "../ir/types.js";
import { restoreCheckpoint, type CheckpointManifest } from "../runtime/checkpoint.js";
import { createExecutor, type Executor } from "../runtime/executor.js";
import type { WeightTensor, Weights } from "./inference-weights.js";

export interface ExportSource {
  module: IRModule;
  weights: Weights;
  variable(name: string): tf.Variable;
  /** The checkpoint the weights came from, when they were trained. */
  manifest?: CheckpointManifest;
  executor: Executor;
  dispose(): void;
}

/** Loads the weights: from `checkpointDir` when given, else the initialisers (seeded by `seed`). */
export function exportSource(module: IRModule, checkpointDir: string | undefined, seed = 0): ExportSource {
  const executor = createExecutor(module, { seed });
  try {
    const manifest = checkpointDir ? restoreCheckpoint(checkpointDir, executor) : undefined;
    const weights = new Map<string, WeightTensor>(
      executor.parameters.map((p) => [p.name, { shape: [...p.variable.shape], data: Float32Array.from(p.variable.dataSync()) }]),
    );
    const source: ExportSource = { module, weights, variable: (name) => executor.variable(name), executor, dispose: () => executor.dispose() };
    if (manifest) source.manifest = manifest;
    return source;
  } catch (error) {
    executor.dispose();
    throw error;
  }
}
