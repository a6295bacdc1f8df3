/**
 * Binds a `data:` call's arguments to the catalogue's parameters: named or positional, types
 * checked, defaults filled in, paths resolved against the spec's directory.
 */
import { resolve } from "node:path";
import type { Value } from "../../core/values.js";
import type { DataSetInfo } from "./catalogue.js";
import { DataError } from "./errors.js";

export type BoundArguments = Record<string, number | boolean | string>;

function describe(value: Value): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return `a call to ${value.call}(…)`;
  return String(value);
}

function signature(info: DataSetInfo): string {
  const params = info.params.map((p) =>
    p.default === undefined ? p.name : `${p.name} = ${JSON.stringify(p.default)}`,
  );
  return `${info.name}(${params.join(", ")})`;
}

export function bindArguments(info: DataSetInfo, args: Record<string, Value>, baseDir: string): BoundArguments {
  const given = new Map<string, Value>();
  for (const [key, value] of Object.entries(args)) {
    // Positional arguments may arrive keyed by their index.
    const param = /^\d+$/.test(key) ? info.params[Number(key)] : info.params.find((p) => p.name === key);
    if (!param) {
      const valid = info.params.map((p) => p.name);
      throw new DataError(
        /^\d+$/.test(key)
          ? `${info.name} takes ${info.params.length} argument(s), got more`
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
  for (const param of info.params) {
    const value = given.get(param.name) ?? param.default;
    if (value === undefined) {
      throw new DataError(`${info.name} needs the argument '${param.name}' (${param.doc})`, {
        hint: `write it as ${signature(info)}`,
      });
    }
    const where = `${info.name}(${param.name})`;
    switch (param.kind) {
      case "integer":
        if (typeof value !== "number" || !Number.isInteger(value) || value < (param.min ?? -Infinity)) {
          throw new DataError(
            `${where} must be an integer${param.min !== undefined ? ` ≥ ${param.min}` : ""}, got ${describe(value)}`,
            {
              hint: signature(info),
            },
          );
        }
        bound[param.name] = value;
        break;
      case "boolean":
        if (typeof value !== "boolean") {
          throw new DataError(`${where} must be true or false, got ${describe(value)}`, { hint: signature(info) });
        }
        bound[param.name] = value;
        break;
      case "path":
        if (typeof value !== "string" || value === "") {
          throw new DataError(`${where} must be a path in quotes, got ${describe(value)}`, {
            hint: `e.g. ${info.name}(${param.name}: "data/…")`,
          });
        }
        bound[param.name] = resolve(baseDir, value);
        break;
    }
  }
  return bound;
}
