/**
 * IR ⇄ JSON text. Writing puts keys in one fixed order (the order `docs/ir.md` lists them;
 * free-form records such as attrs sorted by key) and keeps short lists of numbers or strings
 * on one line, so compiled files diff well. Reading validates structure, version and the
 * verifier's rules, and locates every problem in the text by its JSON path.
 */
import type { Diagnostic } from "../core/diagnostic.js";
import { IR_CODES } from "../core/codes/ir.js";
import { formatJsonPath, locateJsonPath, spanLocation, type JsonPath } from "./json-locate.js";
import { validateStructure } from "./structure.js";
import { IR_VERSION, type IRGraph, type IRModule, type IRNode, type IRParam } from "./types.js";
import { verifyIR } from "./verify.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const MODULE_KEYS = ["version", "model", "target", "variant", "source", "input", "task", "trainableParams", "frozenParams", "certificate", "train", "params", "graph"];
const PARAM_KEYS = ["name", "shape", "kind", "init", "seed", "constraint"];
const GRAPH_KEYS = ["inputs", "nodes", "outputs"];
const NODE_KEYS = ["id", "op", "inputs", "params", "shape", "attrs", "loc", "body"];

/** Keys in `order` first (in that order), then any others sorted; undefined values dropped. */
function ordered(record: object, order: string[], mapValue: (key: string, value: unknown) => Json = (_, v) => sorted(v)): { [key: string]: Json } {
  const entries = Object.entries(record).filter(([, v]) => v !== undefined);
  const rank = (key: string) => {
    const i = order.indexOf(key);
    return i < 0 ? order.length : i;
  };
  entries.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, mapValue(k, v)]));
}

/** Free-form JSON with every object's keys sorted (`kind` and `name` first, for readability). */
function sorted(value: unknown): Json {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value === "object" && value !== null) return ordered(value, ["kind", "name", "mode", "call"]);
  if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`cannot serialise the number ${value} in JSON`);
  return value as Json;
}

function canonicalParam(p: IRParam): Json {
  return ordered(p, PARAM_KEYS);
}

function canonicalNode(node: IRNode): Json {
  return ordered(node, NODE_KEYS, (key, value) => {
    if (key === "body") return canonicalGraph(value as IRGraph);
    if (key === "loc") return ordered(value as object, ["file", "line", "column"]);
    return sorted(value);
  });
}

function canonicalGraph(graph: IRGraph): Json {
  return ordered(graph, GRAPH_KEYS, (key, value) => (key === "nodes" ? (value as IRNode[]).map(canonicalNode) : sorted(value)));
}

function canonicalModule(m: IRModule): Json {
  return ordered(m, MODULE_KEYS, (key, value) => {
    switch (key) {
      case "params":
        return (value as IRParam[]).map(canonicalParam);
      case "graph":
        return canonicalGraph(value as IRGraph);
      case "source":
        return ordered(value as object, ["file", "seed"]);
      case "certificate":
        return ordered(value as object, ["guaranteed", "statement", "quantity"]);
      default:
        return sorted(value);
    }
  });
}

const INLINE_LIMIT = 100;

function isScalar(value: Json): value is null | boolean | number | string {
  return value === null || typeof value !== "object";
}

function render(value: Json, indent: string): string {
  if (isScalar(value)) return JSON.stringify(value);
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inline = `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
    if (value.every(isScalar) && inline.length <= INLINE_LIMIT) return inline;
    return `[\n${value.map((v) => inner + render(v, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${render(v, inner)}`).join(",\n")}\n${indent}}`;
}

/** The module as pretty, stable JSON text (ends with a newline). */
export function serializeIR(m: IRModule): string {
  return render(canonicalModule(m), "") + "\n";
}

function diagnostic(code: string, file: string, text: string, path: JsonPath | undefined, message: string, hint?: string): Diagnostic {
  const loc = path ? locateJsonPath(text, path) : spanLocation(text, 0, 0);
  return { code, severity: "error", file, loc, message, ...(hint ? { hint } : {}) };
}

/** Where a verifier problem points: the node or parameter it names, else the top. */
function pathOfProblem(value: IRModule, problem: string): JsonPath | undefined {
  const node = /node (\S+) \(/.exec(problem);
  if (node) {
    const found = findNodePath(value.graph, node[1], ["graph"]);
    if (found) return found;
  }
  const param = /parameter (\S+)/.exec(problem);
  if (param) {
    const index = value.params.findIndex((p) => p.name === param[1]);
    if (index >= 0) return ["params", index];
  }
  return undefined;
}

function findNodePath(graph: IRGraph, id: string, path: JsonPath): JsonPath | undefined {
  for (const [i, node] of graph.nodes.entries()) {
    if (node.id === id) return [...path, "nodes", i];
    if (node.body) {
      const inner = findNodePath(node.body, id, [...path, "nodes", i, "body"]);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Offset of a JSON.parse error, from V8's "… at position N" message. */
function syntaxErrorOffset(error: unknown, text: string): number {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : "");
  return match ? Number(match[1]) : text.length;
}

/**
 * Reads IR JSON text. Returns the module only when it is structurally sound, of this simc's
 * version, and passes the verifier; otherwise diagnostics located in `file`.
 */
export function parseIR(text: string, file: string): { module?: IRModule; diagnostics: Diagnostic[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const offset = syntaxErrorOffset(error, text);
    const reason = error instanceof Error ? error.message.replace(/\s*in JSON at position \d+.*$/, "") : "invalid JSON";
    return {
      diagnostics: [
        {
          code: IR_CODES.irSyntax,
          severity: "error",
          file,
          loc: spanLocation(text, offset, offset + 1),
          message: `this is not valid JSON: ${reason}`,
          hint: "an IR file is written by `simc compile`; recompile the spec instead of editing the file by hand",
        },
      ],
    };
  }

  const version = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as { version?: unknown }).version : undefined;
  if (version !== IR_VERSION) {
    const message =
      version === undefined
        ? "this file has no IR version; it is not a simc IR module"
        : `IR version ${JSON.stringify(version)} is not supported; this simc reads version ${IR_VERSION}`;
    return {
      diagnostics: [
        diagnostic(IR_CODES.irVersion, file, text, version === undefined ? [] : ["version"], message, "recompile the spec with this simc: simc compile SPEC -o OUT.json"),
      ],
    };
  }

  const structure = validateStructure(value);
  if (structure.length > 0) {
    return {
      diagnostics: structure.map((p) => diagnostic(IR_CODES.irStructure, file, text, p.path, `${formatJsonPath(p.path)}: ${p.message}`)),
    };
  }

  const module = value as IRModule;
  const problems = verifyIR(module);
  if (problems.length > 0) {
    return {
      diagnostics: problems.map((p) => diagnostic(IR_CODES.irInvalid, file, text, pathOfProblem(module, p), `invalid IR: ${p}`)),
    };
  }
  return { module, diagnostics: [] };
}
