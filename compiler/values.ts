/**
 * Values during checking. Unlike the checked model's `Value`, these keep ints and floats
 * apart (a float where an int is needed is an error), keep bare names as symbols until a
 * consumer decides whether they are enum members or misspelt variables, and remember where
 * they were written so that a problem found deep inside a block points at the user's text.
 */
import type { CallValue, Value } from "./checked-model.js";
import type { Place } from "./reporter.js";

interface Base {
  /** Where the value was written (or computed). */
  at: Place;
}

export type EvalValue =
  | (Base & { kind: "int"; value: number })
  | (Base & { kind: "float"; value: number })
  | (Base & { kind: "bool"; value: boolean })
  | (Base & { kind: "string"; value: string })
  /** A bare name that is not a variable in scope: an enum member (`same`), a data set (`mnist`), or a typo. */
  | (Base & { kind: "symbol"; name: string })
  | (Base & { kind: "list"; items: EvalValue[] })
  /** A configured value such as `adam(lr: 1e-3)`; arguments are evaluated, not yet bound. */
  | (Base & { kind: "call"; name: string; callee: Place; args: EvalArg[] });

export interface EvalArg {
  name?: string;
  /** Where the argument's name was written (named arguments only). */
  nameAt?: Place;
  /** Undefined when evaluation failed (already reported). */
  value: EvalValue | undefined;
  /** The whole argument (`name: value` or the positional value). */
  at: Place;
}

export function isNumber(v: EvalValue): v is Extract<EvalValue, { kind: "int" | "float" }> {
  return v.kind === "int" || v.kind === "float";
}

/** Source-like spelling: `3`, `2.5`, `true`, `"s"`, `same`, `[1, 2]`, `adam(lr: 0.001)`. */
export function formatValue(v: EvalValue): string {
  switch (v.kind) {
    case "int":
      return String(v.value);
    case "float":
      return formatFloat(v.value);
    case "bool":
      return String(v.value);
    case "string":
      return JSON.stringify(v.value);
    case "symbol":
      return v.name;
    case "list":
      return `[${v.items.map(formatValue).join(", ")}]`;
    case "call":
      return `${v.name}(${v.args
        .map((a) => (a.name ? `${a.name}: ` : "") + (a.value ? formatValue(a.value) : "?"))
        .join(", ")})`;
  }
}

export function formatFloat(x: number): string {
  const s = String(x);
  return /[.eE]/.test(s) || !Number.isFinite(x) ? s : `${s}.0`;
}

/** `an int (3)`, `a float (2.5)`, `the name 'foo'`… for "expected X, got Y" messages. */
export function describeValue(v: EvalValue): string {
  switch (v.kind) {
    case "int":
      return `the int ${v.value}`;
    case "float":
      return `the float ${formatFloat(v.value)}`;
    case "bool":
      return `the bool ${v.value}`;
    case "string":
      return `the string ${JSON.stringify(v.value)}`;
    case "symbol":
      return `the name '${v.name}'`;
    case "list":
      return `the list ${formatValue(v)}`;
    case "call":
      return `the call ${v.name}(…)`;
  }
}

/** Converts to the checked model's plain value. Positional call arguments are keyed by index. */
export function toValue(v: EvalValue): Value {
  switch (v.kind) {
    case "int":
    case "float":
    case "bool":
    case "string":
      return v.value;
    case "symbol":
      return v.name;
    case "list":
      return v.items.map(toValue);
    case "call": {
      const call: CallValue = { call: v.name, args: {} };
      v.args.forEach((arg, index) => {
        if (arg.value) call.args[arg.name ?? String(index)] = toValue(arg.value);
      });
      return call;
    }
  }
}

export function toValueRecord(args: Record<string, EvalValue>): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const key in args) out[key] = toValue(args[key]);
  return out;
}
