/**
 * From a file on the command line to an IR module: a `.sim` spec is checked and lowered
 * (`checkEntry`, `lowerModel`), a `.json` file is parsed as compiled IR (`parseIR`). Problems
 * come back as diagnostics with the sources needed to render them, never as exceptions.
 */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { checkEntry } from "../compiler/check.js";
import type { CheckedModel } from "../compiler/checked-model.js";
import { hasErrors, type Diagnostic } from "../core/diagnostic.js";
import { parseIR } from "../ir/serialize.js";
import type { IRModule } from "../ir/types.js";
import { lowerModel } from "../compiler/lower/index.js";

export interface LoadRequest {
  /** Which model of a `.sim` file (default: the only one). */
  model?: string;
  /** Target to lower to (default: the spec's). Compiled IR must already have this target. */
  target?: "sim" | "deq";
  /** Seed for parameter initialisers (default: the spec's `train.seed`). */
  seed?: number;
}

export type LoadResult =
  | { ok: true; module: IRModule; diagnostics: Diagnostic[]; sources: Map<string, string> }
  | { ok: false; diagnostics: Diagnostic[]; sources: Map<string, string>; message?: string };

/** A problem that is not tied to a place in a source file (wrong model name, wrong target). */
function failure(message: string, diagnostics: Diagnostic[] = [], sources = new Map<string, string>()): LoadResult {
  return { ok: false, diagnostics, sources, message };
}

function readSources(diagnostics: readonly Diagnostic[], sources: Map<string, string>): Map<string, string> {
  for (const d of diagnostics) {
    for (const file of [d.file, ...(d.related ?? []).map((r) => r.file)]) {
      if (sources.has(file)) continue;
      try {
        sources.set(file, readFileSync(file, "utf8"));
      } catch {
        // stdlib module ids and vanished files render without a code frame
      }
    }
  }
  return sources;
}

function pickModel(models: CheckedModel[], wanted: string | undefined, file: string): CheckedModel | string {
  if (wanted) {
    const found = models.find((m) => m.name === wanted);
    return found ?? `${file}: no model named '${wanted}' (models here: ${models.map((m) => m.name).join(", ") || "none"})`;
  }
  if (models.length === 1) return models[0];
  if (models.length === 0) return `${file}: defines no model`;
  return `${file}: defines ${models.length} models (${models.map((m) => m.name).join(", ")}); choose one with --model`;
}

function loadSpec(file: string, request: LoadRequest): LoadResult {
  const checked = checkEntry(file);
  const sources = readSources(checked.diagnostics, new Map());
  if (hasErrors(checked.diagnostics)) return { ok: false, diagnostics: checked.diagnostics, sources };
  const model = pickModel(checked.models, request.model, file);
  if (typeof model === "string") return failure(model, checked.diagnostics, sources);
  const target = request.target ?? model.defaultTarget;
  const lowered = lowerModel(model, target, { seed: request.seed ?? model.train.seed });
  const diagnostics = [...checked.diagnostics, ...lowered.diagnostics];
  readSources(lowered.diagnostics, sources);
  if (!lowered.module || hasErrors(lowered.diagnostics)) return { ok: false, diagnostics, sources };
  return { ok: true, module: lowered.module, diagnostics, sources };
}

function loadIR(file: string, request: LoadRequest): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return failure(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const sources = new Map([[file, text]]);
  const parsed = parseIR(text, file);
  if (!parsed.module || hasErrors(parsed.diagnostics)) return { ok: false, diagnostics: parsed.diagnostics, sources };
  if (request.model && request.model !== parsed.module.model) {
    return failure(`${file}: holds model '${parsed.module.model}', not '${request.model}'`, parsed.diagnostics, sources);
  }
  if (request.target && request.target !== parsed.module.target) {
    return failure(
      `${file}: was compiled for the ${parsed.module.target} target; recompile the spec with \`simc compile --target ${request.target}\``,
      parsed.diagnostics,
      sources,
    );
  }
  return { ok: true, module: parsed.module, diagnostics: parsed.diagnostics, sources };
}

export function loadModel(file: string, request: LoadRequest = {}): LoadResult {
  const extension = extname(file).toLowerCase();
  if (extension === ".json") return loadIR(file, request);
  if (extension === ".sim") return loadSpec(file, request);
  return failure(`${file}: expected a .sim spec or a compiled .json IR file`);
}
