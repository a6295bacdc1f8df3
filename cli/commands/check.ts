/**
 * `simc check FILE…`: parse, resolve, infer shapes and count parameters. Prints problems as
 * code frames and a summary table per model, or with `--json` only a versioned document.
 * Exit codes: 0 clean (warnings allowed), 1 problems in the input (including no files and paths
 * that cannot be read), 2 a bug in simc.
 */
import { statSync } from "node:fs";
import { checkEntry } from "../../compiler/check.js";
import { lowerModel } from "../../compiler/lower/index.js";
import { regularFileProblem } from "../../core/input-file.js";
import { defaultBudget, estimateMemory, formatBytes } from "../../runtime/memory-budget.js";
import { simFilesUnder } from "../sim-files.js";
import type { CheckedModel } from "../../compiler/checked-model.js";
import { fileStartLocation, type Diagnostic } from "../../core/diagnostic.js";
import type { CliOptions, ExitCode } from "../command-kit.js";
import { countSummary, renderDiagnostics, useColor } from "../render-diagnostic.js";
import { renderSummary, summaryRows } from "../summary-table.js";

export const CHECK_JSON_VERSION = 1;

/** `simc check --json` output. */
export interface CheckJson {
  version: typeof CHECK_JSON_VERSION;
  files: string[];
  models: ReturnType<typeof modelJson>[];
  diagnostics: Diagnostic[];
}

/** The files to check: each path itself, or the `.sim` files under a directory (sorted). */
function expandPaths(paths: readonly string[]): { files: string[]; unreadable: Diagnostic[] } {
  const files: string[] = [];
  const unreadable: Diagnostic[] = [];
  for (const path of paths) {
    let directory = false;
    try {
      directory = statSync(path).isDirectory();
    } catch {
      // reported below with the reason
    }
    if (directory) {
      files.push(...simFilesUnder(path));
      continue;
    }
    const problem = regularFileProblem(path, "spec");
    if (!problem) {
      files.push(path);
    } else if (problem.code === "SIM7009") {
      unreadable.push({
        code: "SIM1001",
        severity: "error",
        file: path,
        loc: fileStartLocation(),
        message: problem.message,
        hint: "check the path; it is taken relative to the current directory",
      });
    } else {
      unreadable.push({ code: problem.code, severity: "error", file: path, loc: fileStartLocation(), message: problem.message, hint: problem.hint });
    }
  }
  return { files, unreadable };
}

/** The default target's memory estimate, and a warning when training it would exceed the default budget. */
/** Estimated float32 bytes of a model's default target (`simc check --json`). */
interface MemoryJson {
  parameters: number;
  activationsPerExample: number;
  /** Training at the spec's batch (absent for full-batch specs: the data's size decides). */
  trainingAtBatch?: number;
}

function memoryOf(model: CheckedModel): { line?: string; warning?: Diagnostic; json?: MemoryJson } {
  const lowered = lowerModel(model, model.defaultTarget, { seed: model.train.seed });
  if (!lowered.module) return {};
  const estimate = estimateMemory(lowered.module);
  const batch = model.train.batch;
  const perBatch = batch > 0 ? `; training at batch ${batch} ≈ ${formatBytes(estimate.trainingBytes(batch))}` : "";
  const line = `memory (estimate, float32): parameters ${formatBytes(estimate.parameterBytes)}, activations ${formatBytes(estimate.activationBytesPerExample)} per example${perBatch}`;
  const json: MemoryJson = { parameters: estimate.parameterBytes, activationsPerExample: estimate.activationBytesPerExample };
  if (batch > 0) json.trainingAtBatch = estimate.trainingBytes(batch);
  const need = estimate.trainingBytes(Math.max(batch, 1));
  if (need <= defaultBudget()) return { line, json };
  return {
    line,
    json,
    warning: {
      code: "SIM7302",
      severity: "warning",
      file: model.origin.file,
      loc: { start: 0, end: 0, line: model.origin.line, column: model.origin.column, endLine: model.origin.line, endColumn: model.origin.column + 1 },
      message: `training model '${model.name}' needs about ${formatBytes(need)}, more than simc train's default memory budget (${formatBytes(defaultBudget())})`,
      hint: "make the layers smaller or the batch smaller; simc train refuses it unless --memory allows it",
    },
  };
}

function modelJson(model: CheckedModel, memory: MemoryJson | undefined) {
  return {
    name: model.name,
    file: model.file,
    input: model.input,
    task: model.task,
    variant: model.variant,
    defaultTarget: model.defaultTarget,
    trainableParams: model.trainableParams,
    frozenParams: model.frozenParams,
    targets: model.targets,
    data: model.data ?? null,
    layers: summaryRows(model),
    memory: memory ?? null,
  };
}

export async function runCheck(paths: unknown, options: CliOptions): Promise<ExitCode> {
  const given = Array.isArray(paths) ? paths.map(String) : [];
  const json = options.json === true;
  if (given.length === 0) {
    process.stderr.write("simc check: error[SIM7204]: no files given\nusage: simc check FILE… [--json]\n");
    return 1;
  }
  const { files, unreadable } = expandPaths(given);
  const diagnostics: Diagnostic[] = [...unreadable];
  const models: CheckedModel[] = [];
  const memories: (MemoryJson | undefined)[] = [];
  const sources = new Map<string, string>();
  const text: string[] = [];
  const color = !json && useColor();

  if (!json && unreadable.length > 0) text.push(renderDiagnostics(diagnostics, sources, { color }));
  for (const file of files) {
    const result = checkEntry(file);
    const memory = result.models.map(memoryOf);
    const found = [...result.diagnostics, ...memory.flatMap((m) => (m.warning ? [m.warning] : []))];
    for (const [name, source] of result.sources) sources.set(name, source);
    diagnostics.push(...found);
    models.push(...result.models);
    memories.push(...memory.map((m) => m.json));
    if (json) continue;
    if (found.length > 0) text.push(renderDiagnostics(found, result.sources, { color }));
    result.models.forEach((model, i) => text.push(renderSummary(model) + (memory[i].line ? `${memory[i].line}\n` : "")));
  }

  const hasErrors = diagnostics.some((d) => d.severity === "error");
  if (json) {
    const document: CheckJson = {
      version: CHECK_JSON_VERSION,
      files,
      models: models.map((model, i) => modelJson(model, memories[i])),
      diagnostics,
    };
    process.stdout.write(JSON.stringify(document, null, 2) + "\n");
  } else {
    const summary = countSummary(diagnostics);
    const checked = `${files.length} file${files.length === 1 ? "" : "s"}, ${models.length} model${models.length === 1 ? "" : "s"}`;
    text.push(summary ? `${checked}: ${summary}\n` : `${checked}: no problems\n`);
    process.stdout.write(text.join("\n"));
  }
  return hasErrors ? 1 : 0;
}
