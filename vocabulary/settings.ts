/**
 * The shape of every vocabulary table: an entry (a solver, an optimizer, a data set…) has a
 * name, one line of documentation and typed settings with defaults. The checker binds source
 * arguments against these settings; the IR verifier and the runtime validate and complete plain
 * JSON values against the very same definitions, so the two can never disagree.
 */
import type { Value } from "../core/values.js";

export type { Value };

export type SettingType =
  | { kind: "int"; min?: number; max?: number; odd?: boolean }
  | { kind: "float"; min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }
  | { kind: "bool" }
  | { kind: "string" }
  /** A list of positive ints. */
  | { kind: "shape" }
  | { kind: "enum"; members: readonly string[] }
  /** A number (float rules) or one of the listed names, e.g. `alpha: auto`. */
  | { kind: "number-or"; number: Extract<SettingType, { kind: "float" }>; members: readonly string[] }
  | { kind: "any" };

/**
 * A setting's default: a value, the value of another setting (`eval_max_iter` = `max_iter`), or
 * a rule over the settings already bound (pcDEQ's activation follows its injection).
 */
export type SettingDefault = { value: Value } | { sameAs: string } | { rule: (bound: Readonly<Record<string, Value>>) => Value | undefined };

export interface SettingDef {
  name: string;
  type: SettingType;
  /** Absent and not `optional`: the setting is required. */
  default?: SettingDefault;
  /** May be left out with no value at all (e.g. `clip`). */
  optional?: boolean;
  /** One line, shown in `simc doc`, the language reference and messages. */
  doc?: string;
  /** A file or directory, resolved against the spec's directory by the data loader. */
  path?: boolean;
}

export interface VocabularyEntry {
  name: string;
  doc: string;
  settings: readonly SettingDef[];
}

export const S = {
  int: (min?: number, max?: number): SettingType => ({ kind: "int", min, max }),
  oddInt: (min = 1): SettingType => ({ kind: "int", min, odd: true }),
  float: (min?: number, max?: number, opts: { minExclusive?: boolean; maxExclusive?: boolean } = {}): SettingType => ({
    kind: "float",
    min,
    max,
    ...opts,
  }),
  positive: (): SettingType => ({ kind: "float", min: 0, minExclusive: true }),
  nonNegative: (): SettingType => ({ kind: "float", min: 0 }),
  bool: (): SettingType => ({ kind: "bool" }),
  string: (): SettingType => ({ kind: "string" }),
  shape: (): SettingType => ({ kind: "shape" }),
  oneOf: (...members: string[]): SettingType => ({ kind: "enum", members }),
  any: (): SettingType => ({ kind: "any" }),
};

/** `{ value }` shorthand for tables. */
export const is = (value: Value): SettingDefault => ({ value });

export function describeType(type: SettingType): string {
  switch (type.kind) {
    case "int":
      return type.odd ? "an odd int" : "an int";
    case "float":
      return "a number";
    case "bool":
      return "true or false";
    case "string":
      return "a string";
    case "shape":
      return "a shape such as [28, 28, 1]";
    case "enum":
      return `one of ${type.members.join(" | ")}`;
    case "number-or":
      return `a number or ${type.members.join(" | ")}`;
    case "any":
      return "a value";
  }
}

/** The range a numeric type allows, as words (`≥ 1`, `in (0, 1]`), or "" when unbounded. */
export function describeRange(type: Extract<SettingType, { kind: "int" | "float" }>): string {
  const lowEx = type.kind === "float" && type.minExclusive;
  const highEx = type.kind === "float" && type.maxExclusive;
  if (type.min !== undefined && type.max !== undefined) return `in ${lowEx ? "(" : "["}${type.min}, ${type.max}${highEx ? ")" : "]"}`;
  if (type.min !== undefined) return `${lowEx ? ">" : "≥"} ${type.min}`;
  if (type.max !== undefined) return `${highEx ? "<" : "≤"} ${type.max}`;
  return "";
}

/** Why a number breaks a numeric type's rules, or undefined when it fits. */
export function numberProblem(type: Extract<SettingType, { kind: "int" | "float" }>, value: number): string | undefined {
  if (!Number.isFinite(value)) return "must be finite";
  if (type.kind === "int" && !Number.isInteger(value)) return "must be an integer";
  if (type.kind === "int" && type.odd && value % 2 === 0) return "must be odd";
  const lowEx = type.kind === "float" && type.minExclusive;
  const highEx = type.kind === "float" && type.maxExclusive;
  const tooLow = type.min !== undefined && (lowEx ? value <= type.min : value < type.min);
  const tooHigh = type.max !== undefined && (highEx ? value >= type.max : value > type.max);
  return tooLow || tooHigh ? `must be ${describeRange(type)}` : undefined;
}

/** Why a plain JSON value does not fit a type, or undefined when it does. */
export function valueProblem(type: SettingType, value: unknown): string | undefined {
  const expected = `must be ${describeType(type)}`;
  switch (type.kind) {
    case "int":
    case "float":
      return typeof value === "number" ? numberProblem(type, value) : expected;
    case "bool":
      return typeof value === "boolean" ? undefined : expected;
    case "string":
      return typeof value === "string" ? undefined : expected;
    case "shape":
      return Array.isArray(value) && value.every((v) => typeof v === "number" && Number.isInteger(v) && v > 0) ? undefined : expected;
    case "enum":
      return typeof value === "string" && type.members.includes(value) ? undefined : `must be ${listMembers(type.members)}`;
    case "number-or":
      if (typeof value === "number") return numberProblem(type.number, value);
      return typeof value === "string" && type.members.includes(value) ? undefined : expected;
    case "any":
      return value === undefined || value === null ? expected : undefined;
  }
}

/** `rel or abs`; `one of relu, tanh, sigmoid`. */
function listMembers(members: readonly string[]): string {
  return members.length === 2 ? `${members[0]} or ${members[1]}` : `one of ${members.join(", ")}`;
}

/** What is wrong with one setting of an entry. */
export interface SettingProblem {
  /** The setting at fault (undefined: the entry as a whole). */
  setting?: string;
  message: string;
  hint: string;
}

/** The default of one setting given what is bound so far, or undefined when it has none. */
export function defaultOf(def: SettingDef, bound: Readonly<Record<string, Value>>): Value | undefined {
  const d = def.default;
  if (!d) return undefined;
  if ("value" in d) return d.value;
  if ("sameAs" in d) return bound[d.sameAs];
  return d.rule(bound);
}

/**
 * Validates plain settings (from IR JSON) against an entry and fills every default in.
 * Unknown names, wrong types, out-of-range values and missing required settings are problems,
 * never silently ignored.
 */
export function resolveSettings(
  entry: VocabularyEntry,
  given: Readonly<Record<string, unknown>>,
  label: string,
): { values: Record<string, Value>; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const known = entry.settings.map((s) => s.name);
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      problems.push({
        setting: key,
        message: `${label} has no setting "${key}" (${known.length ? `valid settings: ${known.join(", ")}` : "it takes none"})`,
        hint: known.length ? `remove it, or use one of ${known.join(", ")}` : `${label} takes no settings`,
      });
    }
  }
  const values: Record<string, Value> = {};
  for (const def of entry.settings) {
    const raw = given[def.name];
    if (raw !== undefined && raw !== null) {
      const problem = valueProblem(def.type, raw);
      if (problem) problems.push({ setting: def.name, message: `${label} setting "${def.name}" ${problem}, got ${JSON.stringify(raw)}`, hint: def.doc ?? `give ${describeType(def.type)}` });
      else values[def.name] = (def.type.kind === "float" && typeof raw === "number" ? raw : raw) as Value;
    }
  }
  for (const def of entry.settings) {
    if (def.name in values || (given[def.name] !== undefined && given[def.name] !== null)) continue;
    const fallback = defaultOf(def, values);
    if (fallback !== undefined) values[def.name] = fallback;
    else if (!def.optional) problems.push({ setting: def.name, message: `${label} needs the setting "${def.name}"`, hint: `give ${describeType(def.type)}` });
  }
  return { values, problems };
}

/** Every setting of an entry at its default, as the checker fills them when nothing is written. */
export function defaultSettings(entry: VocabularyEntry): Record<string, Value> {
  return resolveSettings({ ...entry, settings: entry.settings.filter((s) => s.default) }, {}, entry.name).values;
}

/** A lookup table by name. */
export function byName<E extends { name: string }>(entries: readonly E[]): ReadonlyMap<string, E> {
  return new Map(entries.map((e) => [e.name, e]));
}
