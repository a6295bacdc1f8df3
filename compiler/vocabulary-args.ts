/**
 * The vocabulary tables (`vocabulary/`) seen as argument specs: the checker binds source
 * arguments with the same types and defaults the runtime applies to IR. Defaults become
 * evaluated values at the place the checker asks for, ints and floats kept apart by type.
 */
import type { Value } from "../core/values.js";
import { defaultOf, type SettingDef, type SettingType, type VocabularyEntry } from "../vocabulary/settings.js";
import type { ArgSpec } from "./arguments.js";
import type { Place } from "./reporter.js";
import { toValueRecord, type EvalValue } from "./values.js";

/** A table entry as the checker binds it. */
export interface SettingsDef {
  name: string;
  doc: string;
  settings: readonly ArgSpec[];
}

/** A plain value as the checker's evaluated value of a setting of this type. */
export function evalValueOf(value: Value, type: SettingType, at: Place): EvalValue {
  if (typeof value === "number") {
    const integral = type.kind === "int" || type.kind === "shape" || (type.kind === "any" && Number.isInteger(value));
    return integral ? { kind: "int", value, at } : { kind: "float", value, at };
  }
  if (typeof value === "boolean") return { kind: "bool", value, at };
  if (typeof value === "string") return type.kind === "string" ? { kind: "string", value, at } : { kind: "symbol", name: value, at };
  if (Array.isArray(value)) return { kind: "list", items: value.map((item) => evalValueOf(item, type.kind === "shape" ? type : { kind: "any" }, at)), at };
  return { kind: "call", name: value.call, callee: at, args: [], at };
}

export function argSpecOf(def: SettingDef): ArgSpec {
  const spec: ArgSpec = { name: def.name, type: def.type };
  if (def.optional) spec.optional = true;
  if (def.doc) spec.doc = def.doc;
  const fallback = def.default;
  if (fallback && "value" in fallback) {
    // A constant: no need to convert the bound arguments for it, as the other kinds do.
    const value = fallback.value;
    spec.default = (_bound, at) => (value === undefined ? undefined : evalValueOf(value, def.type, at));
  } else if (fallback) {
    spec.default = (bound, at) => {
      const value = defaultOf(def, toValueRecord(bound as Record<string, EvalValue>));
      return value === undefined ? undefined : evalValueOf(value, def.type, at);
    };
  }
  return spec;
}

export function settingsDefOf(entry: VocabularyEntry): SettingsDef {
  return { name: entry.name, doc: entry.doc, settings: entry.settings.map(argSpecOf) };
}

export function settingsTable(table: ReadonlyMap<string, VocabularyEntry>): ReadonlyMap<string, SettingsDef> {
  return new Map([...table].map(([name, entry]) => [name, settingsDefOf(entry)]));
}
