/**
 * Module loading: reads the entry file, parses it, follows its imports depth-first and returns
 * the modules in dependency order. `"std/NAME"` resolves to `<stdlib>/NAME.sim`; `"./x.sim"`
 * and `"../x.sim"` resolve against the importing file. An import may not leave the project root
 * (the nearest directory above the entry holding package.json or simc.json, else the entry's
 * directory) unless it lands in the standard library. Cycles are reported at the import that
 * closes them, naming every module on the cycle.
 */
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Document, ImportDecl } from "../grammar/ast.js";
import { fileStartLocation, type Diagnostic } from "../core/diagnostic.js";
import type { ModuleHost } from "./module-host.js";
import type { Place, Reporter } from "./reporter.js";
import { didYouMean } from "../core/suggest.js";

export type ParseFn = (text: string, file: string) => { document: Document; diagnostics: Diagnostic[] };

export interface SourceModule {
  /** Absolute path: the module's identity. */
  id: string;
  /** The name diagnostics use: the entry as the user gave it, `std/NAME`, or a path relative to the cwd. */
  display: string;
  text: string;
  document: Document;
  /** A standard-library module. */
  isLibrary: boolean;
  /** True when the parser reported errors in this file. */
  hasSyntaxErrors: boolean;
  /** For each import declaration, in order: the id of the module it loads (undefined: failed, reported). */
  importIds: (string | undefined)[];
}

export interface Program {
  entry: SourceModule;
  /** By id. */
  modules: Map<string, SourceModule>;
  /** Dependencies before the modules that import them; the entry last. */
  order: SourceModule[];
  projectRoot: string;
  stdlibRoot: string;
}

export interface LoadOptions {
  host: ModuleHost;
  parse: ParseFn;
  reporter: Reporter;
  /** Directory relative paths (the entry, display names) are taken against. */
  cwd: string;
  stdlibRoot: string;
  /** Overrides the package.json/simc.json search. */
  projectRoot?: string;
}

export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** The nearest directory at or above `dir` holding package.json or simc.json; else `dir` itself. */
export function findProjectRoot(dir: string, host: ModuleHost): string {
  let current = dir;
  for (;;) {
    if (host.fileExists(join(current, "package.json")) || host.fileExists(join(current, "simc.json"))) return current;
    const parent = dirname(current);
    if (parent === current) return dir;
    current = parent;
  }
}

interface Resolved {
  id: string;
  display: string;
  isLibrary: boolean;
}

export function loadProgram(entryPath: string, options: LoadOptions): Program | undefined {
  const { host, reporter } = options;
  const entryId = resolve(options.cwd, entryPath);
  const stdlibRoot = resolve(options.stdlibRoot);
  const projectRoot = options.projectRoot ? resolve(options.cwd, options.projectRoot) : findProjectRoot(dirname(entryId), host);

  const entryText = host.readFile(entryId);
  if (entryText === undefined) {
    reporter.report("SIM1001", { file: entryPath, loc: fileStartLocation() }, `cannot read '${entryPath}': no such file`, {
      hint: "check the path; it is taken relative to the current directory",
    });
    return undefined;
  }

  const modules = new Map<string, SourceModule>();
  const order: SourceModule[] = [];
  const visiting = new Map<string, { module: SourceModule; importAt?: Place }>();
  /** Ids on the current import path, with the import (in the previous module) that led to each. */
  const path: { id: string; importAt?: Place }[] = [];

  const displayFor = (id: string): string => {
    if (isInside(id, stdlibRoot)) return `std/${relative(stdlibRoot, id).split(sep).join("/").replace(/\.sim$/, "")}`;
    const rel = relative(options.cwd, id);
    return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split(sep).join("/") : id;
  };

  const resolveImport = (decl: ImportDecl, importer: SourceModule): Resolved | undefined => {
    if (!decl.source) return undefined; // recovered parse
    const spec = decl.source.value;
    const at: Place = { file: importer.display, loc: decl.source.loc };
    if (spec.startsWith("std/")) {
      const name = spec.slice(4).replace(/\.sim$/, "");
      if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(name)) {
        reporter.report("SIM1008", at, `malformed standard-library import "${spec}"`, {
          hint: 'standard-library modules are named like "std/vgg"',
        });
        return undefined;
      }
      const id = join(stdlibRoot, `${name}.sim`);
      if (!host.fileExists(id)) {
        const available = host
          .listDir(stdlibRoot)
          .filter((f) => f.endsWith(".sim"))
          .map((f) => f.slice(0, -4))
          .sort();
        reporter.report("SIM1006", at, `no standard-library module "std/${name}"${didYouMean(name, available)}`, {
          hint: available.length ? `available: ${available.map((a) => `std/${a}`).join(", ")}` : undefined,
        });
        return undefined;
      }
      return { id, display: `std/${name}`, isLibrary: true };
    }
    if (spec.startsWith("./") || spec.startsWith("../")) {
      let id = resolve(dirname(importer.id), spec);
      if (!id.endsWith(".sim") && !host.fileExists(id) && host.fileExists(`${id}.sim`)) id = `${id}.sim`;
      const inLibrary = isInside(id, stdlibRoot);
      if (!isInside(id, projectRoot) && !inLibrary) {
        reporter.report(
          "SIM1004",
          at,
          `import "${spec}" resolves to ${id}, outside the project root ${projectRoot}`,
          { hint: "move the module into the project, or add a package.json or simc.json to a directory that holds both" },
        );
        return undefined;
      }
      if (!host.fileExists(id)) {
        const dir = dirname(id);
        const siblings = host.listDir(dir).filter((f) => f.endsWith(".sim"));
        const base = id.slice(dir.length + 1);
        reporter.report("SIM1002", at, `cannot find module "${spec}" (looked for ${displayFor(id)})${didYouMean(base, siblings)}`, {
          hint: "relative imports are resolved against the importing file's directory",
        });
        return undefined;
      }
      return { id, display: displayFor(id), isLibrary: inLibrary };
    }
    reporter.report("SIM1008", at, `cannot import "${spec}": paths start with "std/", "./" or "../"`, {
      hint: isAbsolute(spec)
        ? "absolute paths are not allowed; write the path relative to this file"
        : `for the standard library write "std/${spec}", for a file next to this one "./${spec}${spec.endsWith(".sim") ? "" : ".sim"}"`,
    });
    return undefined;
  };

  const visit = (resolved: Resolved, text: string, importAt: Place | undefined): SourceModule => {
    const parsed = options.parse(text, resolved.display);
    for (const d of parsed.diagnostics) reporter.add(d);
    const module: SourceModule = {
      id: resolved.id,
      display: resolved.display,
      text,
      document: parsed.document,
      isLibrary: resolved.isLibrary,
      hasSyntaxErrors: parsed.diagnostics.some((d) => d.severity === "error"),
      importIds: [],
    };
    modules.set(module.id, module);
    visiting.set(module.id, { module, importAt });
    path.push({ id: module.id, importAt });

    for (const decl of parsed.document.imports) {
      const target = resolveImport(decl, module);
      if (!target) {
        module.importIds.push(undefined);
        continue;
      }
      const at: Place = { file: module.display, loc: decl.source.loc };
      if (visiting.has(target.id)) {
        const start = path.findIndex((p) => p.id === target.id);
        const cycle = [...path.slice(start).map((p) => modules.get(p.id)!.display), target.display];
        reporter.report("SIM1003", at, `import cycle: ${cycle.join(" → ")}`, {
          hint: "move the shared blocks into a module that both can import",
          related: path
            .slice(start + 1)
            .filter((p) => p.importAt)
            .map((p) => ({ ...p.importAt!, message: `imports ${modules.get(p.id)!.display} here` })),
        });
        module.importIds.push(undefined);
        continue;
      }
      const existing = modules.get(target.id);
      if (existing) {
        module.importIds.push(existing.id);
        continue;
      }
      const targetText = host.readFile(target.id);
      if (targetText === undefined) {
        reporter.report("SIM1002", at, `cannot read module "${decl.source.value}"`);
        module.importIds.push(undefined);
        continue;
      }
      visit(target, targetText, at);
      module.importIds.push(target.id);
    }

    path.pop();
    visiting.delete(module.id);
    order.push(module);
    return module;
  };

  const entry = visit({ id: entryId, display: entryPath, isLibrary: isInside(entryId, stdlibRoot) }, entryText, undefined);
  return { entry, modules, order, projectRoot, stdlibRoot };
}
