/**
 * What every `simc` command shares: option and exit-code types, the two kinds of failure a
 * command reports, and loading a model and its data with diagnostics rendered. Commands import
 * this module, never each other.
 */
import { DataError } from "../vocabulary/data-forms/errors.js";
import { dirname, resolve } from "node:path";
import { RUNTIME_CODES } from "../core/codes/runtime.js";
import type { Diagnostic } from "../core/diagnostic.js";
import { CodedFailure, isCodedFailure } from "../core/failure.js";
import { loadModel } from "../api/load-model.js";
import type { IRModule } from "../ir/types.js";
import { loadDataset } from "../runtime/data/index.js";
import type { Dataset } from "../runtime/data/types.js";
import type { TrainConfig } from "../runtime/train/config.js";
import { dataFitProblem } from "../runtime/train/fit-check.js";
import { renderDiagnostics } from "./render-diagnostic.js";

export type ExitCode = 0 | 1 | 2;

/** Options as cac parses them: camel-cased keys, strings/numbers/booleans. */
export type CliOptions = Record<string, unknown>;

export class CommandUsageError extends Error {}

/** A model with errors: its diagnostics were rendered on stderr; exit 1. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
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
  if (problem) throw new CodedFailure(RUNTIME_CODES.dataMismatch, problem, { hint: "choose data that fits the model (--data), or change the model's input and task" });
  return dataset;
}

/** The message, exit code and (for coded failures) diagnostics of anything a command throws. */
export function failureOf(error: unknown, file = ""): { message: string; code: ExitCode; diagnostics: Diagnostic[] } {
  if (error instanceof CommandUsageError) return { message: error.message, code: 2, diagnostics: [] };
  if (error instanceof InputError) return { message: error.message, code: 1, diagnostics: error.diagnostics };
  if (isCodedFailure(error)) {
    const diagnostic = error.toDiagnostic(file);
    // A data error knows its place best (a binary file's byte offset, a text file's line and column).
    const place = error instanceof DataError ? error.where : error.file ? `${error.file}${error.loc ? `:${error.loc.line}:${error.loc.column}` : ""}` : undefined;
    const where = place ? `${place}: ` : "";
    const help = error.hint ? `\n  help: ${error.hint}` : "";
    return { message: `${where}error[${error.code}]: ${error.message}${help}`, code: 1, diagnostics: [diagnostic] };
  }
  if (error instanceof Error) return { message: `internal error: ${error.message}`, code: 2, diagnostics: [] };
  return { message: `internal error: ${String(error)}`, code: 2, diagnostics: [] };
}

/** The JSON document a command prints on stdout when `--json` was asked and it failed. */
export const FAILURE_JSON_VERSION = 1;

/**
 * Reports a failure: the message on stderr, and with `--json` a document holding the
 * diagnostics, in the same form as `simc check --json`. Returns the exit code.
 */
export function reportFailure(command: string, error: unknown, file: string, json: boolean): ExitCode {
  const failure = failureOf(error, file);
  process.stderr.write(`simc ${command}: ${failure.message}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ version: FAILURE_JSON_VERSION, ok: false, diagnostics: failure.diagnostics }, null, 2)}\n`);
  return failure.code;
}
