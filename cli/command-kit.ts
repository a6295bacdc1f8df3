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
import { CodedError, clipWords } from "../core/coded-error.js";
import { regularFileProblem } from "../core/input-file.js";
import type { GuardCode } from "../core/codes/guard.js";
import { TrainingDivergedError } from "../runtime/train/guard.js";
import { CommandUsageError } from "./flags.js";
import { renderDiagnostics } from "./render-diagnostic.js";

export type ExitCode = 0 | 1 | 2;

/** Options as cac parses them: camel-cased keys, strings/numbers/booleans. */
export type CliOptions = Record<string, unknown>;

export { CommandUsageError };

/** A failure in the user's input (a model with errors, data that does not fit): exit 1. */
export class InputError extends CodedError {
  constructor(message: string, code: GuardCode = "SIM7409") {
    super(code, message);
  }
}

/** Where relative data paths of a model resolve: the spec's directory. */
export function dataBaseDir(file: string, module: IRModule): string {
  if (file.toLowerCase().endsWith(".json") && module.source?.file) return dirname(resolve(module.source.file));
  return dirname(resolve(file));
}

/** Compiles or reads the model; renders diagnostics to stderr; throws `InputError` on errors. */
export function loadModuleOrFail(file: string, request: Parameters<typeof loadModel>[1]): IRModule {
  const problem = regularFileProblem(file, "model file");
  // A missing spec keeps the checker's own diagnostic (SIM1001).
  if (problem && problem.code !== "SIM7009") throw problem;
  const loaded = loadModel(file, request);
  const rendered = loaded.diagnostics.length > 0 ? renderDiagnostics(loaded.diagnostics, loaded.sources) : "";
  if (!loaded.ok) {
    if (rendered) process.stderr.write(rendered.endsWith("\n") ? rendered : `${rendered}\n`);
    throw new InputError(loaded.message ?? `${file}: the model has errors (see above)`);
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
  if (problem) throw new InputError(problem, "SIM7406");
  return dataset;
}

/** Codes of the runtime's own error classes (matched by name: they live in several layers). */
const RUNTIME_ERROR_CODES: Record<string, GuardCode> = {
  DataError: "SIM7406",
  TrainConfigError: "SIM7407",
  DeqConfigError: "SIM7407",
  CheckpointError: "SIM7405",
  SolverError: "SIM7410",
  BackendUnavailableError: "SIM7408",
};

/**
 * The message and exit code for anything a command throws: the user's problems carry a code
 * and exit 1; anything else is a bug in simc (exit 2).
 */
export function failureOf(error: unknown): { message: string; code: ExitCode } {
  if (error instanceof CodedError) return { message: clipWords(error.format()), code: 1 };
  if (error instanceof TrainingDivergedError) return { message: `error[${error.code}]: ${error.message}`, code: 1 };
  if (error instanceof Error) {
    const code = RUNTIME_ERROR_CODES[error.constructor.name] ?? RUNTIME_ERROR_CODES[error.name];
    if (code) {
      const formatted = "format" in error && typeof error.format === "function" ? String((error as { format(): string }).format()) : error.message;
      return { message: clipWords(`error[${code}]: ${formatted}`), code: 1 };
    }
    return { message: `internal error: ${error.message}`, code: 2 };
  }
  return { message: `internal error: ${String(error)}`, code: 2 };
}
