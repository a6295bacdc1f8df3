/**
 * `simc doc [std/MODULE] [--json]`: the standard library's modules and their blocks, with
 * signatures (parameters, types, defaults) and `///` doc comments. Without a module: every
 * module, one line per block; with one: that module in detail. Read from `stdlib/*.sim` with
 * the parser, so the listing is always the library as shipped.
 */
import { describeSetting, renderTopic, VOCABULARY_TOPICS } from "../../vocabulary/reference.js";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { BlockDecl, Document, Node, TypeRef } from "../../grammar/ast.js";
import { parseDocument } from "../../grammar/parse.js";
import { visit } from "../../grammar/visitor.js";
import type { Diagnostic } from "../../core/diagnostic.js";
import { hasErrors } from "../../core/diagnostic.js";
import { defaultStdlibRoot } from "../../compiler/stdlib-root.js";
import { closest } from "../../core/suggest.js";
import type { CliOptions, ExitCode } from "../command-kit.js";

export const DOC_JSON_VERSION = 1;

export interface ParamDoc {
  name: string;
  /** `int`, `gauss | laplace`; absent when the parameter is untyped. */
  type?: string;
  /** The default as written in the source; absent for required parameters. */
  default?: string;
}

export interface BlockDoc {
  name: string;
  /** `name(p: type = default, …)` */
  signature: string;
  params: ParamDoc[];
  doc?: string;
  /** Layers and blocks the body applies, in first-use order. */
  applies: string[];
  line: number;
}

export interface ModuleDoc {
  /** `std/NAME` */
  module: string;
  file: string;
  /** The comment lines at the top of the file, markers stripped. */
  summary?: string;
  blocks: BlockDoc[];
  diagnostics: Diagnostic[];
}

const source = (text: string, node: Node) => text.slice(node.loc.start, node.loc.end);

function typeText(type: TypeRef | undefined): string | undefined {
  if (!type) return undefined;
  return type.kind === "NamedType" ? type.name : type.members.map((m) => m.name).join(" | ");
}

/** Callee names in a block's body, first use first. */
function appliedNames(block: BlockDecl): string[] {
  const names: string[] = [];
  for (const statement of block.body) {
    visit(statement, {
      CallExpr(call) {
        if (call.callee.name !== "" && !names.includes(call.callee.name)) names.push(call.callee.name);
      },
    });
  }
  return names;
}

/** Leading `//` comment lines of the file (before anything else, not a block's `///` doc). */
function moduleSummary(document: Document): string | undefined {
  const firstCode = Math.min(
    ...[...document.imports, ...document.declarations].map((n) => n.loc.start),
    Number.POSITIVE_INFINITY,
  );
  const lines: string[] = [];
  for (const comment of document.comments) {
    if (comment.loc.start >= firstCode || comment.text.startsWith("///")) break;
    if (comment.style === "line") lines.push(comment.text.replace(/^\/\/\s?/, ""));
    else lines.push(...comment.text.replace(/^\/\*+|\*\/$/g, "").split("\n").map((l) => l.replace(/^\s*\*?\s?/, "")));
  }
  const text = lines.join("\n").trim();
  return text === "" ? undefined : text;
}

export function describeModule(file: string, text: string): ModuleDoc {
  const { document, diagnostics } = parseDocument(text, file);
  const blocks: BlockDoc[] = [];
  for (const decl of document.declarations) {
    if (decl.kind !== "BlockDecl" || decl.name.name === "") continue;
    const params: ParamDoc[] = decl.params.map((p) => {
      const param: ParamDoc = { name: p.name.name };
      const type = typeText(p.type);
      if (type) param.type = type;
      if (p.default) param.default = source(text, p.default);
      return param;
    });
    const shown = params.map((p) => `${p.name}${p.type ? `: ${p.type}` : ""}${p.default !== undefined ? ` = ${p.default}` : ""}`);
    blocks.push({
      name: decl.name.name,
      signature: `${decl.name.name}(${shown.join(", ")})`,
      params,
      ...(decl.doc ? { doc: decl.doc } : {}),
      applies: appliedNames(decl),
      line: decl.loc.line,
    });
  }
  const summary = moduleSummary(document);
  return { module: `std/${basename(file, ".sim")}`, file, ...(summary ? { summary } : {}), blocks, diagnostics };
}

/** Every module of the standard library, sorted by name. */
export function describeStdlib(root: string = defaultStdlibRoot()): ModuleDoc[] {
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => n.endsWith(".sim"));
  } catch {
    names = [];
  }
  return names.sort().map((name) => {
    const file = join(root, name);
    return describeModule(file, readFileSync(file, "utf8"));
  });
}

function indent(text: string, by: string): string {
  return text
    .split("\n")
    .map((l) => (l === "" ? "" : by + l))
    .join("\n");
}

/** The first sentence of a doc text (its lines joined), for one-line listings. */
export function firstSentence(text: string): string {
  const joined = text.split("\n").map((l) => l.trim()).join(" ").trim();
  const end = /[.;](\s|$)/.exec(joined);
  return end ? joined.slice(0, end.index + (joined[end.index] === "." ? 1 : 0)) : joined;
}

/** The overview: each module, then one line per block (signature, first sentence of its doc). */
export function formatOverview(modules: readonly ModuleDoc[]): string {
  const out: string[] = [];
  for (const m of modules) {
    out.push(`${m.module}${m.summary ? ` — ${firstSentence(m.summary)}` : ""}`);
    for (const b of m.blocks) {
      out.push(`  ${b.signature}`);
      if (b.doc) out.push(`      ${firstSentence(b.doc)}`);
    }
    out.push("");
  }
  out.push(`Run 'simc doc std/NAME' for a module's details.`, "");
  return out.join("\n");
}

/** One module in full: summary, then each block with its whole doc, parameters and body outline. */
export function formatModule(m: ModuleDoc): string {
  const out: string[] = [`${m.module}  (${m.file})`];
  if (m.summary) out.push("", indent(m.summary, "  "));
  for (const b of m.blocks) {
    out.push("", `  block ${b.signature}`);
    if (b.doc) out.push("", indent(b.doc, "    "));
    if (b.params.length > 0) {
      out.push("", "    parameters:");
      const nw = Math.max(...b.params.map((p) => p.name.length));
      const tw = Math.max(...b.params.map((p) => (p.type ?? "").length));
      for (const p of b.params) {
        const dflt = p.default !== undefined ? `default ${p.default}` : "required";
        out.push(`      ${p.name.padEnd(nw)}  ${(p.type ?? "").padEnd(tw)}  ${dflt}`.trimEnd());
      }
    }
    if (b.applies.length > 0) out.push("", `    applies: ${b.applies.join(", ")}`);
  }
  out.push("");
  return out.join("\n");
}

function moduleName(arg: string): string {
  return arg.startsWith("std/") ? arg : `std/${arg.replace(/\.sim$/, "")}`;
}

export async function runDoc(module: unknown, options: CliOptions): Promise<ExitCode> {
  const topic = typeof module === "string" ? VOCABULARY_TOPICS[module] : undefined;
  if (topic) {
    const entries = topic();
    if (options.json === true) {
      const document = { version: DOC_JSON_VERSION, topic: module, entries: entries.map((e) => ({ name: e.name, doc: e.doc, settings: e.settings.map(describeSetting) })) };
      process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      process.stdout.write(renderTopic(entries));
    }
    return 0;
  }
  const modules = describeStdlib();
  if (modules.length === 0) {
    process.stderr.write(`simc doc: no standard library modules found in ${defaultStdlibRoot()}\n`);
    return 2;
  }
  let shown = modules;
  if (typeof module === "string" && module !== "") {
    const wanted = moduleName(module);
    const found = modules.find((m) => m.module === wanted);
    if (!found) {
      const names = modules.map((m) => m.module);
      const suggestion = closest(wanted, names);
      process.stderr.write(
        `simc doc: unknown module '${wanted}'${suggestion ? `; did you mean '${suggestion}'?` : ""} (modules: ${names.join(", ")}; vocabularies: ${Object.keys(VOCABULARY_TOPICS).join(", ")})\n`,
      );
      return 2;
    }
    shown = [found];
  }
  if (options.json === true) {
    const document = {
      version: DOC_JSON_VERSION,
      modules: shown.map((m) => ({ module: m.module, file: m.file, summary: m.summary, blocks: m.blocks, diagnostics: m.diagnostics })),
    };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    process.stdout.write(shown.length === 1 && shown !== modules ? formatModule(shown[0]) : formatOverview(shown));
  }
  const broken = shown.flatMap((m) => m.diagnostics).filter((d) => d.severity === "error");
  for (const d of broken) {
    process.stderr.write(`${d.file}:${d.loc.line}:${d.loc.column}: ${d.message}\n`);
  }
  return hasErrors(broken) ? 1 : 0;
}
