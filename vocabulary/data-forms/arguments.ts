/**
 * Binds a `data:` call's arguments to a form's parameters: named or positional, types checked,
 * defaults filled in, paths resolved against the spec's directory.
 */
import { resolve } from "node:path";
import { DataError } from "./errors.js";
import type { DataArgs, DataFormDef, DataParam, DataValue } from "./types.js";

function describe(value: DataValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(", ")}]`;
  if (typeof value === "object") return `a call to ${value.call}(…)`;
  return String(value);
}

export function formSignature(form: DataFormDef): string {
  const params = form.params.map((p) =>
    p.default !== undefined ? `${p.name} = ${JSON.stringify(p.default)}` : p.optional ? `${p.name}?` : p.name,
  );
  return `${form.name}(${params.join(", ")})`;
}

function bindOne(form: DataFormDef, param: DataParam, value: DataValue, baseDir: string): DataArgs[string] {
  const where = `${form.name}(${param.name})`;
  const fail = (expected: string): never => {
    throw new DataError(`${where} must be ${expected}, got ${describe(value)}`, { hint: `${formSignature(form)}; ${param.doc}` });
  };
  switch (param.kind) {
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value) || value < (param.min ?? -Infinity)) {
        fail(`an integer${param.min !== undefined ? ` ≥ ${param.min}` : ""}`);
      }
      return value as number;
    case "fraction":
      if (typeof value !== "number" || !(value > 0 && value < 1)) fail("a number between 0 and 1");
      return value as number;
    case "boolean":
      if (typeof value !== "boolean") fail("true or false");
      return value as boolean;
    case "path":
      if (typeof value !== "string" || value === "") fail("a path in quotes");
      return resolve(baseDir, value as string);
    case "string":
      if (typeof value !== "string" || (param.oneOf && !param.oneOf.includes(value))) {
        fail(param.oneOf ? param.oneOf.map((v) => JSON.stringify(v)).join(" or ") : "text in quotes");
      }
      return value as string;
    case "strings":
      if (typeof value === "string" && value !== "") return [value];
      if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" && v !== "")) return value as string[];
      return fail('a column name in quotes or a list of them, e.g. ["a", "b"]');
    case "shape":
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "number" && Number.isInteger(v) && v >= 1)) {
        fail("a list of positive integers, e.g. [32, 32]");
      }
      return value as number[];
  }
}

export function bindDataArguments(form: DataFormDef, args: Record<string, DataValue>, baseDir: string): DataArgs {
  const given = new Map<string, DataValue>();
  for (const [key, value] of Object.entries(args)) {
    // Positional arguments arrive keyed by their index.
    const positional = /^\d+$/.test(key);
    const param = positional ? form.params[Number(key)] : form.params.find((p) => p.name === key);
    if (!param) {
      const valid = form.params.map((p) => p.name);
      throw new DataError(positional ? `${form.name} takes ${form.params.length} argument(s), got more` : `${form.name} has no argument '${key}'`, {
        hint: valid.length ? `valid arguments: ${formSignature(form)}` : `${form.name} takes no arguments`,
      });
    }
    if (given.has(param.name)) throw new DataError(`${form.name}: argument '${param.name}' is given twice`, { hint: formSignature(form) });
    given.set(param.name, value);
  }
  const bound: DataArgs = {};
  for (const param of form.params) {
    const value = given.get(param.name) ?? param.default;
    if (value === undefined) {
      if (param.optional) continue;
      throw new DataError(`${form.name} needs the argument '${param.name}' (${param.doc})`, { hint: `e.g. ${form.example}` });
    }
    bound[param.name] = bindOne(form, param, value, baseDir);
  }
  return bound;
}
