/**
 * Builds an export and writes it: an ONNX file, or a TensorFlow.js folder (the shard, then
 * `model.json`, each atomically). The model is built in memory first, so a model that cannot be
 * exported writes nothing; a failed write removes what this call created, so no partial export
 * is left behind.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic-write.js";
import { serializeIR } from "../ir/serialize.js";
import { ExportError } from "./errors.js";
import { onnxModel, ONNX_OPSET } from "./onnx/index.js";
import type { ExportSource } from "./source.js";
import { TFJS_MODEL_FILE, TFJS_SHARD_FILE, tfjsModel } from "./tfjs/model.js";

export type ExportFormat = "onnx" | "tfjs";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["onnx", "tfjs"];

export interface ExportRequest {
  format: ExportFormat;
  /** The ONNX file, or the TensorFlow.js folder. */
  out: string;
  /** Adds a `probabilities` output (softmax on the last axis); classification models only. */
  softmax: boolean;
  /** simc's version, recorded in the file. */
  version: string;
}

export interface ExportResult {
  files: string[];
  metadata: Record<string, string>;
}

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/** Model name, task, input shape, class count, simc version, hashes of the spec and the IR. */
export function exportMetadata(source: ExportSource, version: string): Record<string, string> {
  const { module } = source;
  const metadata: Record<string, string> = {
    model: module.model,
    target: module.target,
    task: module.task.kind,
    input_shape: JSON.stringify(module.input.shape),
    input_layout: module.input.shape.length === 3 ? "NHWC" : module.input.shape.length === 2 ? "NLC" : "NC",
    simc_version: version,
    ir_sha256: sha256(serializeIR(module)),
  };
  if (module.variant) metadata.variant = module.variant;
  if (module.task.kind === "classify") metadata.classes = String(module.task.classes);
  else metadata.outputs = String(module.task.outputs);
  const spec = module.source?.file;
  if (spec && existsSync(spec)) metadata.spec_sha256 = sha256(readFileSync(spec));
  if (source.manifest) metadata.epoch = String(source.manifest.epoch);
  return metadata;
}

function writeOrFail(path: string, data: string | Uint8Array): void {
  try {
    writeFileAtomic(path, data);
  } catch (error) {
    throw new ExportError("exportUnwritable", `cannot write ${path} (${(error as Error).message}); choose another output with -o`);
  }
}

/** Removes what a failed export created; a path that never came to exist is fine. */
function removeQuietly(path: string | undefined): void {
  if (!path) return;
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // nothing was created there (a file stands where a folder was needed)
  }
}

export function writeExport(source: ExportSource, request: ExportRequest): ExportResult {
  const metadata = exportMetadata(source, request.version);
  const options = { softmax: request.softmax, metadata, producerVersion: request.version };
  if (request.format === "onnx") {
    metadata.onnx_opset = String(ONNX_OPSET);
    const bytes = onnxModel(source, options);
    writeOrFail(request.out, bytes);
    return { files: [request.out], metadata };
  }
  const { modelJson, shard } = tfjsModel(source, options);
  const folderExisted = existsSync(request.out);
  const shardPath = join(request.out, TFJS_SHARD_FILE);
  const modelPath = join(request.out, TFJS_MODEL_FILE);
  try {
    writeOrFail(shardPath, shard);
    writeOrFail(modelPath, modelJson);
  } catch (error) {
    removeQuietly(folderExisted ? (existsSync(modelPath) ? undefined : shardPath) : request.out);
    throw error;
  }
  return { files: [modelPath, shardPath], metadata };
}
