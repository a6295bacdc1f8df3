/**
 * The checker's entry points: load the entry file and its imports, bind names, check every
 * model of the entry file. Synchronous, and never throws on bad input: every problem is a
 * located diagnostic; an unexpected failure of simc itself becomes SIM9001.
 */
import { resolve } from "node:path";
import { parseDocument } from "../grammar/parse.js";
import { bindProgram } from "./bind.js";
import { checkModel } from "./check-model.js";
import type { CheckedModel } from "./checked-model.js";
import { fileStartLocation, type Diagnostic } from "../core/diagnostic.js";
import { newExpandEnv } from "./expand.js";
import { memoryHost, nodeHost, type ModuleHost } from "./module-host.js";
import { loadProgram } from "./modules.js";
import { Reporter } from "./reporter.js";
import { defaultStdlibRoot } from "./stdlib-root.js";

export interface CheckOptions {
  /** Where files are read from (default: the file system). */
  host?: ModuleHost;
  /** Directory the entry path and display names are relative to (default: process.cwd()). */
  cwd?: string;
  /** The standard library's directory (default: `stdlib/` of this installation). */
  stdlibRoot?: string;
  /** Overrides the project root search (package.json / simc.json above the entry). */
  projectRoot?: string;
}

export interface CheckResult {
  /** The entry file's models that checked without errors, in source order. */
  models: CheckedModel[];
  /** Every problem, sorted by file (entry first) and position. */
  diagnostics: Diagnostic[];
  /** Text of every file read, keyed by the name diagnostics use (for code frames). */
  sources: Map<string, string>;
}

export function checkEntry(path: string, options: CheckOptions = {}): CheckResult {
  const reporter = new Reporter();
  const sources = new Map<string, string>();
  const models: CheckedModel[] = [];
  const fileOrder: string[] = [path];
  try {
    const program = loadProgram(path, {
      host: options.host ?? nodeHost,
      parse: parseDocument,
      reporter,
      cwd: options.cwd ?? process.cwd(),
      stdlibRoot: options.stdlibRoot ?? defaultStdlibRoot(),
      ...(options.projectRoot !== undefined ? { projectRoot: options.projectRoot } : {}),
    });
    if (program) {
      for (const module of [program.entry, ...program.order.filter((m) => m !== program.entry)]) {
        sources.set(module.display, module.text);
        if (module !== program.entry) fileOrder.push(module.display);
        if (module.isLibrary) reporter.libraryFiles.add(module.display);
      }
      const bound = bindProgram(program, reporter);
      const document = program.entry.document;
      if (document.declarations.length === 0 && !program.entry.hasSyntaxErrors) {
        reporter.report("SIM1010", { file: program.entry.display, loc: fileStartLocation() }, `'${path}' declares no model and no block`, {
          hint: "a .sim file declares models (model name { … }) and blocks (block name(…) { … })",
        });
      }
      const env = newExpandEnv(reporter, bound);
      // A recovered parse has holes (here or in an imported block); checking models against it
      // would mostly report the holes again.
      const checkable = program.order.some((m) => m.hasSyntaxErrors) ? [] : bound.entry.models;
      for (const decl of checkable) {
        const model = checkModel(decl, bound.entry, env);
        if (model) models.push(model);
      }
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    reporter.report("SIM9001", { file: path, loc: fileStartLocation() }, `internal error while checking: ${detail}`, {
      hint: "this is a bug in simc; please report it with the file",
    });
  }
  return { models, diagnostics: sortDiagnostics(reporter.diagnostics, fileOrder), sources };
}

/**
 * Checks in-memory text as if it were the file `file`; imports still resolve, through the host
 * (given alone or in the options; default: the file system).
 */
export function checkSource(text: string, file = "input.sim", hostOrOptions: ModuleHost | CheckOptions = {}): CheckResult {
  const options: CheckOptions = "readFile" in hostOrOptions ? { host: hostOrOptions } : hostOrOptions;
  const cwd = options.cwd ?? process.cwd();
  const host = memoryHost({ [resolve(cwd, file)]: text }, options.host ?? nodeHost);
  return checkEntry(file, { ...options, cwd, host });
}

function sortDiagnostics(diagnostics: Diagnostic[], fileOrder: string[]): Diagnostic[] {
  const rank = (file: string) => {
    const index = fileOrder.indexOf(file);
    return index < 0 ? fileOrder.length : index;
  };
  return diagnostics
    .map((d, index) => ({ d, index }))
    .sort((a, b) => rank(a.d.file) - rank(b.d.file) || a.d.loc.start - b.d.loc.start || a.index - b.index)
    .map(({ d }) => d);
}
