/**
 * Structural validation of untyped JSON as an `IRModule`: every field present with the right
 * JSON type. Problems carry the JSON path of the offending value so readers can locate them.
 * Semantics (shapes, op rules, counts) are the verifier's job and run after this.
 */
import type { JsonPath } from "./json-locate.js";
import { IR_OPS } from "./op-rules.js";

export interface StructureProblem {
  path: JsonPath;
  message: string;
}

type Json = unknown;

const INIT_FIELDS: Record<string, string[]> = {
  zeros: [],
  ones: [],
  constant: ["value"],
  normal: ["mean", "std"],
  uniform: ["low", "high"],
  cauchy: ["scale"],
  torch_default: ["fanIn"],
  glorot_uniform: ["fanIn", "fanOut"],
  identity: ["std"],
};

class Validator {
  readonly problems: StructureProblem[] = [];

  fail(path: JsonPath, message: string): false {
    this.problems.push({ path, message });
    return false;
  }

  object(value: Json, path: JsonPath): value is Record<string, Json> {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? true : this.fail(path, `expected an object, found ${describe(value)}`);
  }

  field(record: Record<string, Json>, key: string, path: JsonPath): Json {
    if (!(key in record)) this.fail(path, `missing field "${key}"`);
    return record[key];
  }

  string(value: Json, path: JsonPath): value is string {
    return typeof value === "string" ? true : this.fail(path, `expected a string, found ${describe(value)}`);
  }

  number(value: Json, path: JsonPath): value is number {
    return typeof value === "number" ? true : this.fail(path, `expected a number, found ${describe(value)}`);
  }

  oneOf(value: Json, allowed: readonly string[], path: JsonPath): boolean {
    return typeof value === "string" && allowed.includes(value)
      ? true
      : this.fail(path, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, found ${describe(value)}`);
  }

  shape(value: Json, path: JsonPath): boolean {
    if (!Array.isArray(value)) return this.fail(path, `expected a shape (list of positive integers), found ${describe(value)}`);
    value.forEach((d, i) => {
      if (typeof d !== "number" || !Number.isInteger(d) || d <= 0) this.fail([...path, i], `expected a positive integer, found ${describe(d)}`);
    });
    return true;
  }

  strings(value: Json, path: JsonPath): boolean {
    if (!Array.isArray(value)) return this.fail(path, `expected a list of strings, found ${describe(value)}`);
    value.forEach((s, i) => this.string(s, [...path, i]));
    return true;
  }

  /** Attributes are free-form JSON; the op rules check their contents. */
  attrs(value: Json, path: JsonPath): boolean {
    return this.object(value, path);
  }

  module(value: Json): void {
    const path: JsonPath = [];
    if (!this.object(value, path)) return;
    this.string(this.field(value, "model", path), ["model"]);
    this.oneOf(this.field(value, "target", path), ["sim", "deq"], ["target"]);
    if ("variant" in value) this.string(value.variant, ["variant"]);
    const input = this.field(value, "input", path);
    if (this.object(input, ["input"])) this.shape(this.field(input, "shape", ["input"]), ["input", "shape"]);
    this.task(this.field(value, "task", path));
    this.number(this.field(value, "trainableParams", path), ["trainableParams"]);
    this.number(this.field(value, "frozenParams", path), ["frozenParams"]);
    const params = this.field(value, "params", path);
    if (Array.isArray(params)) params.forEach((p, i) => this.param(p, ["params", i]));
    else if ("params" in value) this.fail(["params"], `expected a list of parameters, found ${describe(params)}`);
    this.graph(this.field(value, "graph", path), ["graph"]);
    if ("train" in value) this.object(value.train, ["train"]);
    if ("certificate" in value && this.object(value.certificate, ["certificate"])) {
      const c = value.certificate;
      if (typeof c.guaranteed !== "boolean") this.fail(["certificate", "guaranteed"], "expected true or false");
      this.string(this.field(c, "statement", ["certificate"]), ["certificate", "statement"]);
      if ("quantity" in c && this.object(c.quantity, ["certificate", "quantity"])) {
        for (const [k, v] of Object.entries(c.quantity)) this.number(v, ["certificate", "quantity", k]);
      }
    }
    if ("source" in value && this.object(value.source, ["source"])) {
      this.string(this.field(value.source, "file", ["source"]), ["source", "file"]);
      this.number(this.field(value.source, "seed", ["source"]), ["source", "seed"]);
    }
  }

  task(value: Json): void {
    const path = ["task"];
    if (!this.object(value, path)) return;
    const kind = this.field(value, "kind", path);
    if (!this.oneOf(kind, ["classify", "regress"], [...path, "kind"])) return;
    const key = kind === "classify" ? "classes" : "outputs";
    this.number(this.field(value, key, path), [...path, key]);
  }

  param(value: Json, path: JsonPath): void {
    if (!this.object(value, path)) return;
    this.string(this.field(value, "name", path), [...path, "name"]);
    this.shape(this.field(value, "shape", path), [...path, "shape"]);
    this.oneOf(this.field(value, "kind", path), ["trainable", "frozen", "buffer"], [...path, "kind"]);
    this.number(this.field(value, "seed", path), [...path, "seed"]);
    if ("constraint" in value) this.oneOf(value.constraint, ["nonnegative"], [...path, "constraint"]);
    const init = this.field(value, "init", path);
    if (!this.object(init, [...path, "init"])) return;
    const kind = this.field(init, "kind", [...path, "init"]);
    if (!this.oneOf(kind, Object.keys(INIT_FIELDS), [...path, "init", "kind"])) return;
    for (const key of INIT_FIELDS[kind as string]) this.number(this.field(init, key, [...path, "init"]), [...path, "init", key]);
  }

  graph(value: Json, path: JsonPath): void {
    if (!this.object(value, path)) return;
    this.strings(this.field(value, "inputs", path), [...path, "inputs"]);
    this.strings(this.field(value, "outputs", path), [...path, "outputs"]);
    const nodes = this.field(value, "nodes", path);
    if (!Array.isArray(nodes)) {
      if ("nodes" in value) this.fail([...path, "nodes"], `expected a list of nodes, found ${describe(nodes)}`);
      return;
    }
    nodes.forEach((node, i) => this.node(node, [...path, "nodes", i]));
  }

  node(value: Json, path: JsonPath): void {
    if (!this.object(value, path)) return;
    this.string(this.field(value, "id", path), [...path, "id"]);
    this.oneOf(this.field(value, "op", path), IR_OPS, [...path, "op"]);
    this.strings(this.field(value, "inputs", path), [...path, "inputs"]);
    this.strings(this.field(value, "params", path), [...path, "params"]);
    this.attrs(this.field(value, "attrs", path), [...path, "attrs"]);
    this.shape(this.field(value, "shape", path), [...path, "shape"]);
    if ("body" in value) this.graph(value.body, [...path, "body"]);
    if ("loc" in value && this.object(value.loc, [...path, "loc"])) {
      this.string(this.field(value.loc, "file", [...path, "loc"]), [...path, "loc", "file"]);
      this.number(this.field(value.loc, "line", [...path, "loc"]), [...path, "loc", "line"]);
      this.number(this.field(value.loc, "column", [...path, "loc"]), [...path, "loc", "column"]);
    }
  }
}

function describe(value: Json): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Problems that keep `value` from being read as an IR module (empty when it can be). */
export function validateStructure(value: unknown): StructureProblem[] {
  const validator = new Validator();
  validator.module(value);
  return validator.problems;
}
