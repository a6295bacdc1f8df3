/**
 * Argument types and binding, shared by layers, blocks, DEQ cells and solvers, optimizers,
 * schedules and data sets: positional then named arguments are matched to declared parameters,
 * every value is checked against its type (unknown names and wrong types are errors, never
 * ignored), missing required arguments are reported and defaults filled in.
 */
import type { Place } from "./reporter.js";
import type { Reporter } from "./reporter.js";
import { didYouMean, listAnd } from "../core/suggest.js";
import { describeType, S, type SettingType } from "../vocabulary/settings.js";
import { describeValue, formatFloat, type EvalArg, type EvalValue } from "./values.js";

export type ArgType = SettingType;

export interface ArgSpec {
  name: string;
  type: ArgType;
  /**
   * Value when the argument is not given, computed after every given argument is bound (so it
   * may depend on them: pooling `stride = size`). Undefined result: evaluation failed and was
   * reported. No default and not `optional`: the argument is required.
   */
  default?: (bound: Readonly<Record<string, EvalValue>>, at: Place) => EvalValue | undefined;
  /** May be left out, with no value at all (e.g. `clip`). */
  optional?: boolean;
  /** One line, shown in `simc doc` and in messages. */
  doc?: string;
}

/** Type builders, shared with the vocabulary tables. */
export const T = S;

/** Default-value builders for catalogues. */
export const D = {
  int: (value: number) => (_: unknown, at: Place): EvalValue => ({ kind: "int", value, at }),
  float: (value: number) => (_: unknown, at: Place): EvalValue => ({ kind: "float", value, at }),
  bool: (value: boolean) => (_: unknown, at: Place): EvalValue => ({ kind: "bool", value, at }),
  string: (value: string) => (_: unknown, at: Place): EvalValue => ({ kind: "string", value, at }),
  symbol: (name: string) => (_: unknown, at: Place): EvalValue => ({ kind: "symbol", name, at }),
  /** Same value as another argument, e.g. pooling `stride = size` (undefined if that one failed). */
  sameAs:
    (other: string) =>
    (bound: Readonly<Record<string, EvalValue>>, at: Place): EvalValue | undefined =>
      bound[other] ? { ...bound[other], at } : undefined,
};

export { describeType };

/** What a binding problem is about, for messages: `conv2d`, `block conv_bn_relu`, `solver anderson`. */
export interface Callee {
  /** As it reads in messages. */
  label: string;
  /** Where the callee's name was written. */
  at: Place;
  /** Settings of solvers, cells, optimizers… report unknown names as SIM4012 rather than SIM2003. */
  unknownCode?: "SIM2003" | "SIM4012";
  /** `argument` (default) or `setting`. */
  noun?: string;
}

export interface BindContext {
  reporter: Reporter;
  /** Names of variables in scope, for "did you mean" on unknown names. */
  scopeNames: readonly string[];
}

/**
 * Checks a value against a type; reports at the value's own place and returns the value
 * converted (ints widened where a float is expected) or undefined.
 */
export function coerce(value: EvalValue, type: ArgType, what: string, ctx: BindContext): EvalValue | undefined {
  const report = ctx.reporter;
  switch (type.kind) {
    case "any":
      return value;
    case "int": {
      if (value.kind === "symbol") return unknownName(value, type, what, ctx);
      if (value.kind !== "int") {
        const hint =
          value.kind === "float" && Number.isInteger(value.value)
            ? `write ${value.value} without a decimal point`
            : value.kind === "float"
              ? "use an int; `/` of ints that do not divide evenly gives a float"
              : undefined;
        report.report("SIM2004", value.at, `${what} expects ${describeType(type)}, got ${describeValue(value)}`, {
          ...(hint ? { hint } : {}),
        });
        return undefined;
      }
      if (!checkRange(value.value, type.min, type.max, false, false, value, what, ctx)) return undefined;
      if (type.odd && value.value % 2 === 0) {
        report.report("SIM2011", value.at, `${what} must be odd, got ${value.value}`, {
          hint: "same-padded kernels need a centre: use 1, 3, 5, …",
        });
        return undefined;
      }
      return value;
    }
    case "float": {
      if (value.kind === "symbol") return unknownName(value, type, what, ctx);
      if (value.kind !== "int" && value.kind !== "float") return wrongType(value, type, what, ctx);
      if (!checkRange(value.value, type.min, type.max, type.minExclusive, type.maxExclusive, value, what, ctx)) {
        return undefined;
      }
      return { kind: "float", value: value.value, at: value.at };
    }
    case "bool":
      if (value.kind === "symbol") return unknownName(value, type, what, ctx);
      if (value.kind !== "bool") return wrongType(value, type, what, ctx);
      return value;
    case "string":
      if (value.kind === "string") return value;
      if (value.kind === "symbol") {
        report.report("SIM2004", value.at, `${what} expects a string, got ${describeValue(value)}`, {
          hint: `write it in quotes: "${value.name}"`,
        });
        return undefined;
      }
      return wrongType(value, type, what, ctx);
    case "shape": {
      if (value.kind === "symbol") return unknownName(value, type, what, ctx);
      if (value.kind !== "list") return wrongType(value, type, what, ctx);
      let ok = true;
      for (const item of value.items) {
        if (item.kind !== "int" || item.value < 1) {
          report.report("SIM2004", item.at, `${what}: every dimension must be a positive int, got ${describeValue(item)}`);
          ok = false;
        }
      }
      return ok ? value : undefined;
    }
    case "enum": {
      if (value.kind === "symbol") {
        if (type.members.includes(value.name)) return value;
        report.report(
          "SIM2012",
          value.at,
          `'${value.name}' is not a valid ${what}${didYouMean(value.name, [...type.members, ...ctx.scopeNames])}`,
          { hint: `${what} is one of ${type.members.join(" | ")}` },
        );
        return undefined;
      }
      if (value.kind === "string" && type.members.includes(value.value)) {
        report.report("SIM2004", value.at, `${what} expects the name ${value.value}, got a string`, {
          hint: `write it without quotes: ${value.value}`,
        });
        return undefined;
      }
      return wrongType(value, type, what, ctx);
    }
    case "number-or": {
      if (value.kind === "symbol") {
        if (type.members.includes(value.name)) return value;
        report.report("SIM2012", value.at, `'${value.name}' is not a valid ${what}${didYouMean(value.name, type.members)}`, {
          hint: `${what} is ${describeType(type)}`,
        });
        return undefined;
      }
      return coerce(value, type.number, what, ctx);
    }
  }
}

// The reporting helpers below are module functions, not closures inside `coerce`: it runs for
// every argument of every layer, and most calls report nothing.

function unknownName(value: Extract<EvalValue, { kind: "symbol" }>, type: ArgType, what: string, ctx: BindContext): undefined {
  ctx.reporter.report("SIM2002", value.at, `unknown name '${value.name}'${didYouMean(value.name, ctx.scopeNames)}`, {
    hint: `${what} expects ${describeType(type)}`,
  });
  return undefined;
}

function wrongType(value: EvalValue, type: ArgType, what: string, ctx: BindContext): undefined {
  ctx.reporter.report("SIM2004", value.at, `${what} expects ${describeType(type)}, got ${describeValue(value)}`);
  return undefined;
}

function checkRange(
  x: number,
  min: number | undefined,
  max: number | undefined,
  minExclusive: boolean | undefined,
  maxExclusive: boolean | undefined,
  value: EvalValue,
  what: string,
  ctx: BindContext,
): boolean {
  if (min !== undefined && (minExclusive ? x <= min : x < min)) {
    ctx.reporter.report("SIM2011", value.at, `${what} must be ${minExclusive ? ">" : "≥"} ${min}, got ${showNumber(x, value)}`);
    return false;
  }
  if (max !== undefined && (maxExclusive ? x >= max : x > max)) {
    ctx.reporter.report("SIM2011", value.at, `${what} must be ${maxExclusive ? "<" : "≤"} ${max}, got ${showNumber(x, value)}`);
    return false;
  }
  return true;
}

/** `x` spelt like the value it came from: a float keeps its decimal point. */
function showNumber(x: number, value: EvalValue): string {
  return value.kind === "float" ? formatFloat(x) : String(x);
}

/** "x has no argument 'y'; did you mean …", with the valid names. */
export function reportUnknownArgument(report: Reporter, callee: Callee, names: readonly string[], name: string, at: Place): void {
  const noun = callee.noun ?? "argument";
  report.report(callee.unknownCode ?? "SIM2003", at, `${callee.label} has no ${noun} '${name}'${didYouMean(name, names)}`, {
    hint: names.length ? `valid ${noun}s: ${names.join(", ")}` : `${callee.label} takes no ${noun}s`,
  });
}

/**
 * Matches arguments to parameters. Returns every parameter's value (defaults filled in), or
 * undefined when anything was wrong (all problems are reported, not just the first).
 */
export function bindArguments(
  callee: Callee,
  specs: readonly ArgSpec[],
  args: readonly EvalArg[],
  ctx: BindContext,
): Record<string, EvalValue> | undefined {
  const report = ctx.reporter;
  const given = new Map<string, EvalArg>();
  let ok = true;
  let unknownNames = false;
  let seenNamed = false;
  let position = 0;
  for (const arg of args) {
    if (arg.name === undefined) {
      if (seenNamed) {
        report.report("SIM2010", arg.at, `positional argument after a named one in ${callee.label}`, {
          hint: "put positional arguments first, or name this one",
        });
        ok = false;
        continue;
      }
      const spec = specs[position++];
      if (!spec) {
        const count = specs.length;
        report.report(
          "SIM2006",
          arg.at,
          `${callee.label} takes ${count === 0 ? "no arguments" : `at most ${count} argument${count === 1 ? "" : "s"}`}, got ${args.filter((a) => a.name === undefined).length} positional`,
          count > 0 ? { hint: `its parameters are ${specs.map((s) => s.name).join(", ")}` } : {},
        );
        ok = false;
        continue;
      }
      given.set(spec.name, arg);
      continue;
    }
    seenNamed = true;
    const spec = specs.find((s) => s.name === arg.name);
    const nameAt = arg.nameAt ?? arg.at;
    if (!spec) {
      reportUnknownArgument(report, callee, specs.map((s) => s.name), arg.name, nameAt);
      ok = false;
      unknownNames = true;
      continue;
    }
    if (given.has(spec.name)) {
      report.report("SIM2006", nameAt, `argument '${spec.name}' of ${callee.label} is given twice`, {
        related: [{ ...given.get(spec.name)!.at, message: "first given here" }],
      });
      ok = false;
      continue;
    }
    given.set(spec.name, arg);
  }

  const bound: Record<string, EvalValue> = {};
  for (const spec of specs) {
    const arg = given.get(spec.name);
    if (!arg) continue;
    if (!arg.value) {
      ok = false; // evaluation failed and was reported
      continue;
    }
    const value = coerce(arg.value, spec.type, `${callee.label}(${spec.name})`, ctx);
    if (value) bound[spec.name] = value;
    else ok = false;
  }
  const missing: string[] = [];
  for (const spec of specs) {
    if (given.has(spec.name)) continue;
    if (spec.default) {
      if (!ok) continue; // a default may read a failed argument: it would only repeat the error
      const value = spec.default(bound, callee.at);
      if (!value) {
        ok = false;
        continue;
      }
      const checked = coerce(value, spec.type, `${callee.label}(${spec.name})`, ctx);
      if (checked) bound[spec.name] = checked;
      else ok = false;
    } else if (!spec.optional) {
      missing.push(spec.name);
    }
  }
  // A misspelt name usually is the missing argument: one error says it.
  if (missing.length > 0 && !unknownNames) {
    const list = missing.map((m) => `'${m}'`);
    const bare = callee.label.replace(/^\S+ (?=\S)/, "");
    report.report("SIM2005", callee.at, `${callee.label} needs ${listAnd(list)}`, {
      hint: `for example ${bare}(${missing.map((m) => `${m}: …`).join(", ")})`,
    });
  }
  if (missing.length > 0) ok = false;
  return ok ? bound : undefined;
}
