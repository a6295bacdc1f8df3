/**
 * Checkpoints of a training run: every parameter (trainable, frozen, buffers), the optimiser's
 * state, the epoch and step reached, the run's configuration and its history. A checkpoint is
 * two files in the run directory: `weights-NNNN.bin` (little-endian float32, tensor after
 * tensor) and `checkpoint.json` (the manifest that names it). Both are written atomically,
 * the weights first, so the manifest always points at a complete weights file; the previous
 * weights file is removed only after the new manifest is in place.
 */
import { RUNTIME_CODES } from "../core/codes/runtime.js";
import { CodedFailure, type FailureDetails } from "../core/failure.js";
import { existsSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import * as tf from "./tf.js";
import { writeFileAtomic } from "../core/atomic-write.js";
import type { Executor } from "./executor.js";
import type { TrainConfig } from "./train/config.js";
import type { Optimizer } from "./train/optimizer.js";
import type { EpochRecord } from "./train/types.js";

export const CHECKPOINT_VERSION = 1;
export const MANIFEST_FILE = "checkpoint.json";

export class CheckpointError extends CodedFailure {
  constructor(message: string, details: FailureDetails = {}) {
    super(RUNTIME_CODES.checkpointInvalid, message, { hint: "point --checkpoint (or --out with --resume) at a run directory that simc train wrote for this model", ...details });
    this.name = "CheckpointError";
  }
}

export interface StoredTensor {
  name: string;
  group: "param" | "optimizer";
  shape: number[];
  /** Offset in float32 elements into the weights file. */
  offset: number;
}

export interface CheckpointManifest {
  version: typeof CHECKPOINT_VERSION;
  model: string;
  target: string;
  /** Epochs completed. */
  epoch: number;
  /** Optimiser steps taken. */
  step: number;
  config: TrainConfig;
  optimizer: { kind: string; iterations: number };
  weights: string;
  tensors: StoredTensor[];
  history: EpochRecord[];
  savedAt: string;
}

export interface CheckpointProgress {
  epoch: number;
  step: number;
  config: TrainConfig;
  history: EpochRecord[];
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Reads the values asynchronously: the webgpu backend has no synchronous read under Node. */
export async function saveCheckpoint(
  dir: string,
  executor: Executor,
  optimizer: Optimizer | undefined,
  progress: CheckpointProgress,
): Promise<void> {
  const entries: { name: string; group: StoredTensor["group"]; variable: tf.Variable }[] = [
    ...executor.parameters.map((p) => ({ name: p.name, group: "param" as const, variable: p.variable })),
    ...(optimizer?.slots() ?? []).map((s) => ({ name: s.name, group: "optimizer" as const, variable: s.variable })),
  ];
  const total = entries.reduce((n, e) => n + e.variable.size, 0);
  const buffer = new Float32Array(total);
  const tensors: StoredTensor[] = [];
  let offset = 0;
  for (const entry of entries) {
    buffer.set((await entry.variable.data()) as Float32Array, offset);
    tensors.push({ name: entry.name, group: entry.group, shape: entry.variable.shape, offset });
    offset += entry.variable.size;
  }
  const weights = `weights-${String(progress.epoch).padStart(4, "0")}.bin`;
  writeFileAtomic(join(dir, weights), new Uint8Array(buffer.buffer));
  const manifest: CheckpointManifest = {
    version: CHECKPOINT_VERSION,
    model: executor.module.model,
    target: executor.module.target,
    epoch: progress.epoch,
    step: progress.step,
    config: progress.config,
    optimizer: { kind: optimizer?.spec.kind ?? "none", iterations: optimizer?.iterations ?? 0 },
    weights,
    tensors,
    history: progress.history,
    savedAt: new Date().toISOString(),
  };
  writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const file of readdirSync(dir)) {
    if (/^weights-\d+\.bin$/.test(file) && file !== weights) unlinkSync(join(dir, file));
  }
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, MANIFEST_FILE));
}

export function readManifest(dir: string): CheckpointManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) throw new CheckpointError(`${dir}: no checkpoint here (missing ${MANIFEST_FILE}); train with --out ${dir} first`);
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(readFileSync(path, "utf8")) as CheckpointManifest;
  } catch (error) {
    throw new CheckpointError(`${path}: not a readable checkpoint manifest (${(error as Error).message})`);
  }
  if (manifest.version !== CHECKPOINT_VERSION || !Array.isArray(manifest.tensors)) {
    throw new CheckpointError(
      `${path}: unsupported checkpoint (version ${String(manifest.version)}; this simc reads version ${CHECKPOINT_VERSION})`,
    );
  }
  return manifest;
}

function readWeights(dir: string, manifest: CheckpointManifest): Float32Array {
  const path = join(dir, manifest.weights);
  if (!existsSync(path)) throw new CheckpointError(`${path}: the weights file the checkpoint names is missing`);
  const bytes = readFileSync(path);
  const expected = manifest.tensors.reduce((n, t) => Math.max(n, t.offset + size(t.shape)), 0);
  if (bytes.byteLength !== expected * 4) {
    throw new CheckpointError(`${path}: holds ${bytes.byteLength} bytes, the manifest describes ${expected * 4}`);
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

function assign(variable: tf.Variable, values: Float32Array, stored: StoredTensor, what: string): void {
  if (stored.shape.join("x") !== variable.shape.join("x")) {
    throw new CheckpointError(`checkpoint ${what} '${stored.name}' has shape [${stored.shape}], the model expects [${variable.shape}]`);
  }
  const tensor = tf.tensor(values.subarray(stored.offset, stored.offset + size(stored.shape)), stored.shape, "float32");
  variable.assign(tensor);
  tensor.dispose();
}

/**
 * Loads a checkpoint's parameters into the executor (and its optimiser state, when given).
 * The model must match: same parameter names and shapes.
 */
export function restoreCheckpoint(dir: string, executor: Executor, optimizer?: Optimizer): CheckpointManifest {
  const manifest = readManifest(dir);
  const values = readWeights(dir, manifest);
  const stored = new Map(manifest.tensors.map((t) => [`${t.group}:${t.name}`, t]));
  for (const p of executor.parameters) {
    const entry = stored.get(`param:${p.name}`);
    if (!entry) {
      throw new CheckpointError(
        `${dir}: the checkpoint has no parameter '${p.name}' — it was saved from a different model (${manifest.model}, ${manifest.target})`,
      );
    }
    assign(p.variable, values, entry, "parameter");
  }
  if (optimizer) {
    if (manifest.optimizer.kind !== optimizer.spec.kind) {
      throw new CheckpointError(`${dir}: the checkpoint's optimiser is ${manifest.optimizer.kind}, this run uses ${optimizer.spec.kind}`);
    }
    for (const slot of optimizer.slots()) {
      const entry = stored.get(`optimizer:${slot.name}`);
      if (!entry) throw new CheckpointError(`${dir}: the checkpoint has no optimiser state '${slot.name}'`);
      assign(slot.variable, values, entry, "optimiser state");
    }
    optimizer.setIterations(manifest.optimizer.iterations);
  }
  return manifest;
}
