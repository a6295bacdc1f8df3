/**
 * `simc export RUN|SPEC --format onnx|tfjs [-o PATH] [--target sim|deq]`: a trained run (the
 * compiled model and checkpoint `simc train --out RUN` wrote) or a spec (initialised weights, or
 * trained ones with `--checkpoint RUN`) as an ONNX file or a TensorFlow.js graph model, in
 * inference mode. `--json` prints only a versioned document.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { IRModule } from "../../ir/types.js";
import { ExportError } from "../../export/errors.js";
import { exportSource } from "../../export/source.js";
import { EXPORT_FORMATS, writeExport, type ExportFormat } from "../../export/write-export.js";
import { BACKEND_NAMES, BackendUnavailableError, initBackend } from "../../runtime/backend/index.js";
import { CheckpointError, readManifest, type CheckpointManifest } from "../../runtime/checkpoint.js";
import { RUN_MODEL_FILE } from "../../runtime/run-files.js";
import { loadModuleOrFail, reportFailure, type CliOptions, type ExitCode } from "../command-kit.js";
import { packageVersion } from "../version.js";

interface ExportPlan {
  module: IRModule;
  checkpoint?: string;
  seed: number;
  /** Where the export goes when `-o` is not given (without extension). */
  defaultStem: string;
}

function manifestOrFail(dir: string): CheckpointManifest {
  try {
    return readManifest(dir);
  } catch (error) {
    if (error instanceof CheckpointError) throw new ExportError("exportNoCheckpoint", error.message);
    throw error;
  }
}

function targetOption(options: CliOptions): "sim" | "deq" | undefined {
  const target = options.target;
  if (target === undefined) return undefined;
  if (target !== "sim" && target !== "deq") {
    throw new ExportError("exportBadArguments", `--target must be sim or deq, got '${String(target)}'`);
  }
  return target;
}

function planFromRun(dir: string, target: "sim" | "deq" | undefined): ExportPlan {
  const manifest = manifestOrFail(dir);
  const irFile = join(dir, RUN_MODEL_FILE);
  if (!existsSync(irFile)) {
    throw new ExportError(
      "exportNoCheckpoint",
      `${dir}: holds a checkpoint but not the compiled model (${RUN_MODEL_FILE}); pass the spec it was trained from: ` +
        `simc export SPEC --checkpoint ${dir}`,
    );
  }
  if (target && target !== manifest.target) {
    throw new ExportError("exportBadArguments", `${dir}: was trained for the ${manifest.target} target, not ${target}`);
  }
  const module = loadModuleOrFail(irFile, {});
  return { module, checkpoint: dir, seed: manifest.config.seed, defaultStem: join(dir, "model") };
}

function planFromFile(file: string, options: CliOptions, target: "sim" | "deq" | undefined): ExportPlan {
  const model = typeof options.model === "string" ? options.model : undefined;
  if (typeof options.checkpoint === "string" && options.checkpoint !== "") {
    const dir = resolve(options.checkpoint);
    const manifest = manifestOrFail(dir);
    const trainedTarget = manifest.target === "deq" ? "deq" : "sim";
    if (target && target !== trainedTarget) {
      throw new ExportError("exportBadArguments", `${dir}: was trained for the ${trainedTarget} target, not ${target}`);
    }
    const module = loadModuleOrFail(file, { model: manifest.model, target: trainedTarget, seed: manifest.config.seed });
    return { module, checkpoint: dir, seed: manifest.config.seed, defaultStem: join(dir, "model") };
  }
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new ExportError("exportBadArguments", `--seed must be an integer, got '${String(options.seed)}'`);
  const request: { model?: string; target?: "sim" | "deq"; seed?: number } = {};
  if (model) request.model = model;
  if (target) request.target = target;
  if (seed !== undefined) request.seed = seed;
  const module = loadModuleOrFail(file, request);
  return { module, seed: module.source?.seed ?? seed ?? 0, defaultStem: resolve(`${module.model}-${module.target}`) };
}

/**
 * `--backend`, accepted like the other commands' so that one flag serves a whole script. Export
 * only reads weights and writes a file, the same on every backend, and reads them synchronously
 * (which webgpu under Node cannot), so it computes on cpu whatever is named; the name is still
 * checked, and a note says so.
 */
function requestedBackend(options: CliOptions): string | undefined {
  const raw = options.backend;
  if (raw === undefined) return undefined;
  const name = String(raw).toLowerCase();
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new BackendUnavailableError(`unknown backend '${String(raw)}': choose one of ${BACKEND_NAMES.join(", ")}`);
  }
  return name;
}

export async function runExport(path: unknown, options: CliOptions): Promise<ExitCode> {
  const json = options.json === true;
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  try {
    if (typeof path !== "string" || path === "") {
      throw new ExportError("exportBadArguments", "export needs a run directory (simc train --out DIR) or a .sim spec / compiled .json IR file");
    }
    const format = (options.format ?? "onnx") as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) {
      throw new ExportError("exportBadArguments", `--format must be ${EXPORT_FORMATS.join(" or ")}, got '${String(options.format)}'`);
    }
    if (options.out !== undefined && (typeof options.out !== "string" || options.out === "")) {
      throw new ExportError("exportBadArguments", "-o expects a path");
    }
    const target = targetOption(options);
    const isRun = existsSync(path) && statSync(path).isDirectory();
    const plan = isRun ? planFromRun(resolve(path), target) : planFromFile(path, options, target);
    const softmax = options.softmax === true;
    if (softmax && plan.module.task.kind !== "classify") {
      throw new ExportError("exportBadArguments", `--softmax adds class probabilities; ${plan.module.model} is a regression model`);
    }
    const requested = requestedBackend(options);
    await initBackend("cpu");
    if (requested !== undefined && requested !== "cpu") {
      say(`note: export computes on the cpu backend, not ${requested}: it only reads the weights, and the file is the same on every backend`);
    }
    const out = resolve(typeof options.out === "string" ? options.out : format === "onnx" ? `${plan.defaultStem}.onnx` : `${plan.defaultStem}-tfjs`);
    const source = exportSource(plan.module, plan.checkpoint, plan.seed);
    try {
      const result = writeExport(source, { format, out, softmax, version: packageVersion() });
      const weights = plan.checkpoint ? `trained weights from ${plan.checkpoint} (epoch ${source.manifest?.epoch})` : "initialised weights";
      say(`export: ${plan.module.model} (${plan.module.target}) as ${format}, ${weights}`);
      for (const file of result.files) say(`wrote ${file}`);
      if (json) {
        const document = { version: 1, format, model: plan.module.model, target: plan.module.target, backend: "cpu", files: result.files, metadata: result.metadata };
        process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      }
      return 0;
    } finally {
      source.dispose();
    }
  } catch (error) {
    return reportFailure("export", error, typeof path === "string" ? path : "", json);
  }
}
