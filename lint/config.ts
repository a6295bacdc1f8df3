/**
 * Project configuration: the `"lint"` section of `simc.json`.
 *
 *     { "lint": { "rules": { "deq-no-well-posedness": "error", "unused-block": "off" } } }
 *
 * The file is found by walking up from each linted file's directory; the walk stops at the
 * project root (the first directory holding `simc.json` or `package.json`, as for imports).
 * Problems in the file (bad JSON, unknown rule ids, bad severities) are diagnostics on the
 * config file itself, so they are reported like any other problem.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Diagnostic } from "../core/diagnostic.js";
import { fileStartLocation } from "../core/diagnostic.js";
import { locationOf } from "./source-position.js";
import { closest } from "../core/suggest.js";
import type { LintDiagnostic, RuleSetting } from "./types.js";

export const CONFIG_FILE_NAME = "simc.json";
const SETTINGS: readonly RuleSetting[] = ["off", "warn", "error"];

export interface LintConfig {
  /** The `simc.json` this came from; absent when no file configures the project. */
  file?: string;
  /** Per-rule settings that override the rules' defaults. */
  rules: Record<string, RuleSetting>;
  /** Problems found in the config file. */
  diagnostics: LintDiagnostic[];
}

/** The `simc.json` that configures `file`, if any (see the module comment for the walk). */
export function findConfigFile(file: string): string | undefined {
  let dir = dirname(resolve(file));
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, "package.json"))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function problem(file: string, text: string, offset: number | undefined, code: string, message: string, hint?: string): Diagnostic {
  const loc = offset === undefined ? fileStartLocation() : locationOf(text, offset, offset);
  return { code, severity: "error", file, loc, message, ...(hint ? { hint } : {}) };
}

/** Offset of `"key"` used as an object key (followed by `:`), searching from `from`. */
function keyOffset(text: string, key: string, from = 0): number | undefined {
  const quoted = JSON.stringify(key);
  let at = text.indexOf(quoted, from);
  while (at >= 0) {
    if (/^\s*:/.test(text.slice(at + quoted.length))) return at;
    at = text.indexOf(quoted, at + 1);
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parse and validate the text of a `simc.json`. */
export function parseLintConfig(text: string, file: string, knownRuleIds: readonly string[]): LintConfig {
  const config: LintConfig = { file, rules: {}, diagnostics: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(detail);
    config.diagnostics.push(
      problem(file, text, position ? Number(position[1]) : undefined, "lint/invalid-config", `${CONFIG_FILE_NAME} is not valid JSON: ${detail}`),
    );
    return config;
  }
  if (!isObject(json)) {
    config.diagnostics.push(problem(file, text, 0, "lint/invalid-config", `${CONFIG_FILE_NAME} must hold a JSON object`));
    return config;
  }
  const lint = json.lint;
  if (lint === undefined) return config;
  const lintAt = keyOffset(text, "lint");
  if (!isObject(lint)) {
    config.diagnostics.push(problem(file, text, lintAt, "lint/invalid-config", `"lint" must be an object like { "rules": { … } }`));
    return config;
  }
  for (const key of Object.keys(lint)) {
    if (key !== "rules") {
      config.diagnostics.push(
        problem(file, text, keyOffset(text, key, lintAt), "lint/invalid-config", `unknown setting "lint.${key}"`, `the "lint" section holds only "rules"`),
      );
    }
  }
  const rules = lint.rules;
  if (rules === undefined) return config;
  const rulesAt = keyOffset(text, "rules", lintAt);
  if (!isObject(rules)) {
    config.diagnostics.push(problem(file, text, rulesAt, "lint/invalid-config", `"lint.rules" must map rule ids to "off", "warn" or "error"`));
    return config;
  }
  for (const [id, setting] of Object.entries(rules)) {
    const at = keyOffset(text, id, rulesAt);
    if (!knownRuleIds.includes(id)) {
      const suggestion = closest(id, knownRuleIds);
      config.diagnostics.push(
        problem(
          file,
          text,
          at,
          "lint/unknown-rule",
          `unknown lint rule '${id}'`,
          suggestion ? `did you mean '${suggestion}'?` : "see docs/lint.md for the rule ids",
        ),
      );
      continue;
    }
    if (typeof setting !== "string" || !SETTINGS.includes(setting as RuleSetting)) {
      config.diagnostics.push(
        problem(file, text, at, "lint/invalid-config", `rule '${id}' is set to ${JSON.stringify(setting)}`, `use "off", "warn" or "error"`),
      );
      continue;
    }
    config.rules[id] = setting as RuleSetting;
  }
  return config;
}

/** Loads each `simc.json` once, however many files it configures. */
export class LintConfigCache {
  private readonly byPath = new Map<string, LintConfig>();
  private readonly none: LintConfig = { rules: {}, diagnostics: [] };

  constructor(private readonly knownRuleIds: readonly string[]) {}

  configFor(file: string): LintConfig {
    const path = findConfigFile(file);
    if (!path) return this.none;
    let config = this.byPath.get(path);
    if (!config) {
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        config = { file: path, rules: {}, diagnostics: [problem(path, "", undefined, "lint/invalid-config", `cannot read ${CONFIG_FILE_NAME}: ${detail}`)] };
        this.byPath.set(path, config);
        return config;
      }
      config = parseLintConfig(text, path, this.knownRuleIds);
      this.byPath.set(path, config);
    }
    return config;
  }

  /** Every config file loaded so far (to report their problems once). */
  loaded(): LintConfig[] {
    return [...this.byPath.values()];
  }
}
