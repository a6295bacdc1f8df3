/**
 * Binds a `data:` call's arguments to the catalogue's parameters: named or positional, types
 * checked, defaults filled in, paths resolved against the spec's directory.
 */
import { resolve } from "node:path";
import type { Value } from "../../core/values.js";
import type { DataSetEntry as DataSetInfo } from "../../vocabulary/data-sets.js";
import { defaultOf, describeRange, valueProblem } from "../../vocabulary/settings.js";
import { DataError } from "./errors.js";

export type BoundArguments = Record<string, number | boolean | string>;

function describe(value: Value): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return `a call to ${value.call}(…)`;
  return String(value);
}

function signature(info: DataSetInfo): string {
  const params = info.settings.map((p) => {
    const fallback = defaultOf(p, {});
    return fallback === undefined ? p.name : `${p.name} = ${JSON.stringify(fallback)}`;
  });
  return `${info.name}(${params.join(", ")})`;
}

export function bindArguments(info: DataSetInfo, args: Record<string, Value>, baseDir: string): BoundArguments {
  const given = new Map<string, Value>();
  for (const [key, value] of Object.entries(args)) {
    // Positional arguments may arrive keyed by their index.
    const param = /^\d+$/.test(key) ? info.settings[Number(key)] : info.settings.find((p) => p.name === key);
    if (!param) {
      const valid = info.settings.map((p) => p.name);
      throw new DataError(
        /^\d+$/.test(key)
          ? `${info.name} takes ${info.settings.length} argument(s), got more`
          : `${info.name} has no argument '${key}'`,
        { hint: valid.length ? `valid arguments: ${signature(info)}` : `${info.name} takes no arguments` },
      );
    }
    if (given.has(param.name)) {
      throw new DataError(`${info.name}: argument '${param.name}' is given twice`, { hint: signature(info) });
    }
    given.set(param.name, value);
  }

  const bound: BoundArguments = {};
  for (const param of info.settings) {
    const value = given.get(param.name) ?? defaultOf(param, {});
    if (value === undefined) {
      throw new DataError(`${info.name} needs the argument '${param.name}' (${param.doc})`, {
        hint: `write it as ${signature(info)}`,
      });
    }
    const where = `${info.name}(${param.name})`;
    const type = param.type;
    if (type.kind === "int") {
      if (valueProblem(type, value)) {
        throw new DataError(`${where} must be an integer ${describeRange(type)}, got ${describe(value)}`.replace(" , got", ", got"), {
          hint: signature(info),
        });
      }
      bound[param.name] = value as number;
    } else if (type.kind === "bool") {
      if (typeof value !== "boolean") {
        throw new DataError(`${where} must be true or false, got ${describe(value)}`, { hint: signature(info) });
      }
      bound[param.name] = value;
    } else {
      if (typeof value !== "string" || value === "") {
        throw new DataError(`${where} must be a ${param.path ? "path" : "string"} in quotes, got ${describe(value)}`, {
          hint: `e.g. ${info.name}(${param.name}: "${param.path ? "data/…" : "…"}")`,
        });
      }
      bound[param.name] = param.path ? resolve(baseDir, value) : value;
    }
  }
  return bound;
}
