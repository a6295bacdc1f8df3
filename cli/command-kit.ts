/**
 * What every `simc` command shares: option and exit-code types, the two kinds of failure a
 * command reports, and loading a model and its data with diagnostics rendered. Commands import
 * this module, never each other.
 */
import { dirname, resolve } from "node:path";
import { loadModel } from "../api/load-model.js";
import type { IRModule } from "../ir/types.js";
import { loadDataset } from "../runtime/data/index.js";
import type { Dataset } from "../runtime/data/types.js";
import type { TrainConfig } from "../runtime/train/config.js";
import { dataFitProblem } from "../runtime/train/fit-check.js";
import type { Diagnostic } from "../core/diagnostic.js";
import { renderDiagnostics } from "./render-diagnostic.js";

export type ExitCode = 0 | 1 | 2;

/** Options as cac parses them: camel-cased keys, strings/numbers/booleans. */
export type CliOptions = Record<string, unknown>;

export class CommandUsageError extends Error {}

/** A failure in the user's input: printed as is, exit 1. */
export class InputError extends Error {
  constructor(
    message: string,
    /** The located problems behind it, for `--json` error documents. */
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}

/** Where relative data paths of a model resolve: the spec's directory. */
export function dataBaseDir(file: string, module: IRModule): string {
  if (file.toLowerCase().endsWith(".json") && module.source?.file) return dirname(resolve(module.source.file));
  return dirname(resolve(file));
}

/** Compiles or reads the model; renders diagnostics to stderr; throws `InputError` on errors. */
export function loadModuleOrFail(file: string, request: Parameters<typeof loadModel>[1]): IRModule {
  const loaded = loadModel(file, request);
  const rendered = loaded.diagnostics.length > 0 ? renderDiagnostics(loaded.diagnostics, loaded.sources) : "";
  if (!loaded.ok) {
    if (rendered) process.stderr.write(rendered.endsWith("\n") ? rendered : `${rendered}\n`);
    throw new InputError(loaded.message ?? `${file}: the model has errors (see above)`, loaded.diagnostics);
  }
  if (rendered) process.stderr.write(rendered.endsWith("\n") ? rendered : `${rendered}\n`);
  return loaded.module;
}

export async function loadDataOrFail(module: IRModule, config: TrainConfig, baseDir: string): Promise<Dataset> {
  const dataset = await loadDataset(config.data, {
    baseDir,
    limit: config.limit || undefined,
    seed: config.seed,
    validation: config.validation,
  });
  const problem = dataFitProblem(module, dataset, config.loss);
  if (problem) throw new InputError(problem);
  return dataset;
}

/** The message and exit code for anything a command throws. */
export function failureOf(error: unknown): { message: string; code: ExitCode } {
  if (error instanceof CommandUsageError) return { message: error.message, code: 2 };
  const name = error instanceof Error ? error.constructor.name : "";
  if (error && typeof error === "object" && "format" in error && typeof (error as { format: unknown }).format === "function") {
    return { message: (error as { format(): string }).format(), code: 1 };
  }
  if (error instanceof Error) {
    const known = [
      "InputError",
      "TrainConfigError",
      "TrainingDivergedError",
      "CheckpointError",
      "SolverError",
      "DeqConfigError",
      "BackendUnavailableError",
      "DataError",
      "RunDirError",
    ];
    if (known.includes(name) || known.includes(error.name)) return { message: error.message, code: 1 };
    return { message: `internal error: ${error.message}`, code: 2 };
  }
  return { message: `internal error: ${String(error)}`, code: 2 };
}


export const ERROR_DOCUMENT_VERSION = 1;

/** What `--json` prints when a command fails: the message, its kind, and the located problems behind it. */
export function errorDocument(command: string, failure: { message: string; code: ExitCode }, error: unknown): string {
  const kind = error instanceof CommandUsageError ? "usage" : failure.code === 1 ? "input" : "internal";
  const document = {
    version: ERROR_DOCUMENT_VERSION,
    ok: false,
    command,
    error: { message: failure.message, kind },
    exitCode: failure.code,
    diagnostics: error instanceof InputError ? error.diagnostics : [],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
