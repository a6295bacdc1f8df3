/**
 * `simc compile FILE [--target sim|deq] [--model NAME] [-o OUT.json] [--seed N] [--json]`:
 * check the spec, lower one model to the graph IR, verify it, and write it to stdout or
 * (atomically) to OUT. The model summary and, for the DEQ target, the well-posedness
 * certificate go to stderr, so stdout carries only the IR.
 *
 * Exit codes: 0 compiled (warnings allowed), 1 problems in the spec (check or lowering),
 * 2 usage errors (bad options, an unreadable file, no such model) and internal failures (a
 * module that fails the verifier is a compiler bug).
 */
import { checkEntry } from "../../compiler/check.js";
import { writeFileAtomic } from "../../core/atomic-write.js";
import type { CheckedModel } from "../../compiler/checked-model.js";
import { hasErrors, type Diagnostic } from "../../core/diagnostic.js";
import { IR_CODES } from "../../core/codes/ir.js";
import { serializeIR } from "../../ir/serialize.js";
import type { IRModule } from "../../ir/types.js";
import { lowerModel, type Target } from "../../compiler/lower/index.js";
import type { CliOptions, ExitCode } from "../command-kit.js";
import { countSummary, renderDiagnostics, useColor } from "../render-diagnostic.js";
import { renderSummary } from "../summary-table.js";

/** Version of the `--json` document. */
export const COMPILE_JSON_VERSION = 1;

/** Where the command writes; tests pass their own. */
export interface CompileIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colour the rendered diagnostics. */
  color: boolean;
}

const processIO = (): CompileIO => ({
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  color: useColor(process.stderr),
});

/**
 * The `--json` document: `files` and `diagnostics` as in `simc check --json`, then the result
 * of compiling.
 */
export interface CompileDocument {
  version: typeof COMPILE_JSON_VERSION;
  files: string[];
  diagnostics: Diagnostic[];
  ok: boolean;
  model?: string;
  target?: Target;
  /** Where the IR was written (`-o`). */
  output?: string;
  /** The IR itself when no `-o` was given. */
  ir?: IRModule;
  certificate?: IRModule["certificate"];
}

interface ParsedOptions {
  target?: Target;
  model?: string;
  out?: string;
  seed?: number;
  json: boolean;
}

class UsageError extends Error {}

function parseOptions(options: CliOptions): ParsedOptions {
  const target = options.target;
  if (target !== undefined && target !== "sim" && target !== "deq") {
    throw new UsageError(`--target must be sim or deq, got '${String(target)}'`);
  }
  const seedText = options.seed;
  let seed: number | undefined;
  if (seedText !== undefined) {
    seed = Number(seedText);
    if (typeof seedText === "boolean" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new UsageError(`--seed must be an integer from 0 to 4294967295, got '${String(seedText)}'`);
    }
  }
  const text = (value: unknown, flag: string): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== "string" && typeof value !== "number") throw new UsageError(`${flag} needs a value`);
    return String(value);
  };
  return { target, model: text(options.model, "--model"), out: text(options.out ?? options.o, "-o/--out"), seed, json: options.json === true };
}

function pickModel(models: CheckedModel[], name: string | undefined, file: string): CheckedModel {
  const names = models.map((m) => m.name).join(", ");
  if (name !== undefined) {
    const found = models.find((m) => m.name === name);
    if (!found) throw new UsageError(`'${file}' has no model '${name}'${names ? `; it declares ${names}` : ""}`);
    return found;
  }
  if (models.length === 1) return models[0];
  if (models.length === 0) throw new UsageError(`'${file}' declares no model to compile`);
  throw new UsageError(`'${file}' declares ${models.length} models (${names}); choose one with --model NAME`);
}

function lineColumnOffset(source: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = source.indexOf("\n", offset);
    if (next < 0) return source.length;
    offset = next + 1;
  }
  return Math.min(offset + column - 1, source.length);
}

/** Lowering knows lines and columns only; fill in the offsets from the source text. */
function withOffsets(d: Diagnostic, sources: ReadonlyMap<string, string>): Diagnostic {
  const source = sources.get(d.file);
  if (!source || d.loc.start !== 0 || d.loc.end !== 0 || (d.loc.line === 1 && d.loc.column === 1)) return d;
  const start = lineColumnOffset(source, d.loc.line, d.loc.column);
  return { ...d, loc: { ...d.loc, start, end: Math.min(start + 1, source.length) } };
}

export async function runCompile(file: string, options: CliOptions, io: CompileIO = processIO()): Promise<ExitCode> {
  let parsed: ParsedOptions;
  try {
    parsed = parseOptions(options);
  } catch (error) {
    io.stderr(`simc compile: ${(error as Error).message}\n`);
    return 2;
  }

  const document: CompileDocument = { version: COMPILE_JSON_VERSION, files: [file], diagnostics: [], ok: false };
  const finish = (code: ExitCode, sources: ReadonlyMap<string, string>): ExitCode => {
    document.ok = code === 0;
    if (parsed.json) {
      io.stdout(JSON.stringify(document, null, 2) + "\n");
    } else if (document.diagnostics.length > 0) {
      io.stderr(renderDiagnostics(document.diagnostics, sources, { color: io.color }));
      const counts = countSummary(document.diagnostics);
      if (counts) io.stderr(`\n${counts}\n`);
    }
    return code;
  };

  const checked = checkEntry(file);
  document.diagnostics.push(...checked.diagnostics);
  if (hasErrors(checked.diagnostics)) {
    // An unreadable entry file is a usage error, as in `simc check`.
    const unreadable = checked.diagnostics.some((d) => d.code === "SIM1001" && d.file === file);
    return finish(unreadable ? 2 : 1, checked.sources);
  }

  let model: CheckedModel;
  try {
    model = pickModel(checked.models, parsed.model, file);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`simc compile: ${error.message}\n`);
    return parsed.json ? finish(2, checked.sources) : 2;
  }
  const target = parsed.target ?? model.defaultTarget;
  document.model = model.name;
  document.target = target;

  const lowered = lowerModel(model, target, { seed: parsed.seed ?? model.train.seed });
  document.diagnostics.push(...lowered.diagnostics.map((d) => withOffsets(d, checked.sources)));
  if (!lowered.module) {
    const internal = lowered.diagnostics.some((d) => d.code === IR_CODES.internalVerifier);
    return finish(internal ? 2 : 1, checked.sources);
  }
  const module = lowered.module;
  const text = serializeIR(module);

  if (parsed.out !== undefined) {
    try {
      writeFileAtomic(parsed.out, text);
    } catch (error) {
      io.stderr(`simc compile: cannot write '${parsed.out}': ${(error as Error).message}\n`);
      return parsed.json ? finish(2, checked.sources) : 2;
    }
    document.output = parsed.out;
  } else if (!parsed.json) {
    io.stdout(text);
  } else {
    document.ir = module;
  }
  if (module.certificate) document.certificate = module.certificate;

  if (!parsed.json) {
    io.stderr(renderSummary(model));
    io.stderr(`compiled ${model.name} → ${target}${module.variant ? ` (${module.variant})` : ""}: ${module.graph.nodes.length} nodes, ${module.params.length} parameter tensors`);
    io.stderr(parsed.out !== undefined ? `, written to ${parsed.out}\n` : "\n");
    if (module.certificate) {
      io.stderr(`well-posedness: ${module.certificate.guaranteed ? "guaranteed" : "not guaranteed"} — ${module.certificate.statement}\n`);
    }
  }
  return finish(0, checked.sources);
}
