/**
 * Binds a `data:` call's arguments to a data set's settings: named or positional, types
 * checked, defaults filled in, paths resolved against the spec's directory.
 */
import { resolve } from "node:path";
import type { DataSetEntry, DataSettingDef } from "../data-sets.js";
import { defaultOf, describeRange } from "../settings.js";
import { DataError } from "./errors.js";
import type { DataArgs, DataValue } from "./types.js";

function describe(value: DataValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(", ")}]`;
  if (typeof value === "object") return `a call to ${value.call}(…)`;
  return String(value);
}

export function formSignature(entry: DataSetEntry): string {
  const params = entry.settings.map((s) => {
    const fallback = defaultOf(s, {});
    return fallback !== undefined ? `${s.name} = ${JSON.stringify(fallback)}` : s.optional ? `${s.name}?` : s.name;
  });
  return `${entry.name}(${params.join(", ")})`;
}

function bindOne(entry: DataSetEntry, def: DataSettingDef, value: DataValue, baseDir: string): DataArgs[string] {
  const where = `${entry.name}(${def.name})`;
  const fail = (expected: string): never => {
    throw new DataError(`${where} must be ${expected}, got ${describe(value)}`, { hint: `${formSignature(entry)}; ${def.name}: ${def.doc ?? ""}` });
  };
  const type = def.type;
  if (def.columns) {
    if (typeof value === "string" && value !== "") return [value];
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" && v !== "")) return value as string[];
    return fail('a column name in quotes or a list of them, e.g. ["a", "b"]');
  }
  switch (type.kind) {
    case "int":
      if (typeof value !== "number" || !Number.isInteger(value) || value < (type.min ?? -Infinity)) {
        fail(`an integer${type.min !== undefined ? ` ≥ ${type.min}` : ""}`);
      }
      return value as number;
    case "float": {
      const low = type.min === undefined || (type.minExclusive ? (value as number) > type.min : (value as number) >= type.min);
      const high = type.max === undefined || (type.maxExclusive ? (value as number) < type.max : (value as number) <= type.max);
      if (typeof value !== "number" || !low || !high) fail(`a number ${describeRange(type)}`);
      return value as number;
    }
    case "bool":
      if (typeof value !== "boolean") fail("true or false");
      return value as boolean;
    case "enum":
      if (typeof value !== "string" || !type.members.includes(value)) fail(type.members.join(" or "));
      return value as string;
    case "shape":
      if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "number" && Number.isInteger(v) && v >= 1)) {
        fail("a list of positive integers, e.g. [32, 32]");
      }
      return value as number[];
    default:
      if (typeof value !== "string" || value === "") fail(def.path ? "a path in quotes" : "text in quotes");
      return def.path ? resolve(baseDir, value as string) : (value as string);
  }
}

export function bindDataArguments(entry: DataSetEntry, args: Record<string, DataValue>, baseDir: string): DataArgs {
  const given = new Map<string, DataValue>();
  for (const [key, value] of Object.entries(args)) {
    // Positional arguments arrive keyed by their index.
    const positional = /^\d+$/.test(key);
    const def = positional ? entry.settings[Number(key)] : entry.settings.find((s) => s.name === key);
    if (!def) {
      throw new DataError(positional ? `${entry.name} takes ${entry.settings.length} argument(s), got more` : `${entry.name} has no argument '${key}'`, {
        hint: entry.settings.length ? `valid arguments: ${formSignature(entry)}` : `${entry.name} takes no arguments`,
      });
    }
    if (given.has(def.name)) throw new DataError(`${entry.name}: argument '${def.name}' is given twice`, { hint: formSignature(entry) });
    given.set(def.name, value);
  }
  const bound: DataArgs = {};
  for (const def of entry.settings) {
    const value = given.get(def.name) ?? (defaultOf(def, {}) as DataValue | undefined);
    if (value === undefined) {
      if (def.optional) continue;
      throw new DataError(`${entry.name} needs the argument '${def.name}' (${def.doc})`, { hint: `e.g. ${entry.example}` });
    }
    bound[def.name] = bindOne(entry, def, value, baseDir);
  }
  return bound;
}
