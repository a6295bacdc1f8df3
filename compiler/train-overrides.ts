/**
 * Train settings given on the command line (`--set KEY=VALUE`). Each value is parsed as the
 * expression it would be in the spec's `train { … }` section and checked there by the same rule,
 * so `--set 'schedule=cosine(min_lr: 1e-5)'` and the spec agree on what is valid. Diagnostics
 * name the setting (`--set schedule:1:17`) and show the text as given.
 */
import type { Expr, Identifier, Property } from "../grammar/ast.js";
import { LineIndex } from "../core/location.js";
import { parseExpressionText } from "../grammar/parse.js";
import type { Diagnostic } from "../core/diagnostic.js";
import type { Value } from "../core/values.js";
import { evaluate } from "./evaluate.js";
import { Reporter } from "./reporter.js";
import { toValue } from "./values.js";
import { didYouMean } from "../core/suggest.js";
import { TRAIN_KEYS } from "../vocabulary/training.js";

/** A `--set` setting ready for the train rule: a property as if written in the spec, and its file. */
export interface TrainOverride {
  file: string;
  property: Property;
}

export interface ParsedOverrides {
  overrides: TrainOverride[];
  diagnostics: Diagnostic[];
  /** `file` → the text as given, for code frames. */
  sources: Map<string, string>;
}

/** The display name diagnostics use for one `--set` argument. */
export const overrideFile = (key: string) => `--set ${key}`;

/**
 * Parses `KEY=VALUE` arguments. The key must be a train setting; the value is parsed at its own
 * columns in the argument, so locations point into the text as the user typed it.
 */
export function parseTrainOverrides(args: readonly string[]): ParsedOverrides {
  const overrides: TrainOverride[] = [];
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  for (const arg of args) {
    const equals = arg.indexOf("=");
    const key = (equals < 0 ? arg : arg.slice(0, equals)).trim();
    const file = overrideFile(key || arg);
    sources.set(file, arg);
    const lines = new LineIndex(arg);
    const keyLoc = lines.location(0, Math.max(equals, 0));
    if (equals < 0 || key === "") {
      diagnostics.push({
        code: "SIM2004",
        severity: "error",
        file,
        loc: lines.location(0, arg.length),
        message: `--set expects KEY=VALUE, got '${arg}'`,
        hint: "e.g. --set 'schedule=cosine(min_lr: 1e-5)'",
      });
      continue;
    }
    if (!TRAIN_KEYS.includes(key)) {
      diagnostics.push({
        code: "SIM4019",
        severity: "error",
        file,
        loc: keyLoc,
        message: `unknown train setting '${key}'${didYouMean(key, TRAIN_KEYS)}`,
        hint: `--set takes ${TRAIN_KEYS.join(", ")}`,
      });
      continue;
    }
    if (overrides.some((o) => o.property.key.name === key)) {
      diagnostics.push({
        code: "SIM4004",
        severity: "error",
        file,
        loc: keyLoc,
        message: `'${key}' is set twice on the command line`,
      });
      continue;
    }
    // Blanks in place of `KEY=` keep the value's columns those of the argument.
    const parsed = parseExpressionText(" ".repeat(equals + 1) + arg.slice(equals + 1), file);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.expr || parsed.diagnostics.some((d) => d.severity === "error")) continue;
    const name: Identifier = { kind: "Identifier", name: key, loc: keyLoc };
    const value: Expr = parsed.expr;
    overrides.push({
      file,
      property: {
        kind: "Property",
        key: name,
        value,
        loc: lines.location(0, arg.length),
      },
    });
  }
  return { overrides, diagnostics, sources };
}

/**
 * For compiled IR, which has no spec left to check: the `--set` values written over its train
 * record. The caller resolves the result against the training vocabulary the checker binds with
 * (`ir/train-section.ts`), so a wrong name or range still fails (SIM6302).
 */
export function overrideTrainRecord<T>(
  record: Readonly<Record<string, T>> | undefined,
  args: readonly string[],
): ParsedOverrides & { record: Record<string, T | Value> } {
  const parsed = parseTrainOverrides(args);
  const next: Record<string, T | Value> = { ...(record ?? {}) };
  const reporter = new Reporter();
  for (const { file, property } of parsed.overrides) {
    const value = evaluate(property.value, { file, scope: new Map(), reporter });
    if (value) next[property.key.name] = toValue(value);
  }
  return { ...parsed, diagnostics: [...parsed.diagnostics, ...reporter.diagnostics], record: next };
}
