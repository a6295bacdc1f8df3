/**
 * Linting one file: parse (for the AST and comments), check (for the models and the checker's
 * own diagnostics), run the enabled rules in one traversal, then apply suppression comments.
 * With `fix`, safe fixes are applied in up to ten passes on the text (re-linting it between
 * passes), the result is written once, atomically, and the report describes the fixed text.
 */
import { readFileSync } from "node:fs";
import { parseDocument } from "../grammar/parse.js";
import { checkSource, type CheckResult } from "../compiler/check.js";
import type { CheckedModel } from "../compiler/checked-model.js";
import type { Diagnostic } from "../core/diagnostic.js";
import { fileStartLocation, hasErrors } from "../core/diagnostic.js";
import { LintConfigCache, type LintConfig } from "./config.js";
import { writeFileAtomic } from "../core/atomic-write.js";
import { applyFixes } from "./fix.js";
import { lintRuleIds, lintRules } from "./rules/index.js";
import { lintDocument } from "./lint-document.js";
import type { LintDiagnostic, LintRule } from "./types.js";

export interface LintOptions {
  /** The rules to run (default: all of them, at the severities the project config sets). */
  rules?: readonly LintRule[];
  /** Shared across files so each `simc.json` is read once. */
  configs?: LintConfigCache;
  /** Apply safe fixes and write the file before reporting. */
  fix?: boolean;
}

export interface LintFileResult {
  file: string;
  /** Syntax, checker and lint diagnostics (the checker's may concern imported files), sorted. */
  diagnostics: LintDiagnostic[];
  /** The config that applied, so callers can report its own problems once. */
  config: LintConfig;
  /** True when `fix` changed the file. */
  fixed: boolean;
}

const MAX_FIX_PASSES = 10;

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.loc.line - b.loc.line || a.loc.column - b.loc.column || a.code.localeCompare(b.code);
}

/** Sorted, without repeats (the parser's diagnostics may come back through the checker). */
export function normalizeDiagnostics(diagnostics: readonly LintDiagnostic[]): LintDiagnostic[] {
  const seen = new Set<string>();
  const out: LintDiagnostic[] = [];
  for (const d of diagnostics) {
    const key = `${d.file}\0${d.code}\0${d.loc.line}\0${d.loc.column}\0${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort(compareDiagnostics);
}

function readSource(file: string): { text?: string; diagnostic?: LintDiagnostic } {
  try {
    return { text: readFileSync(file, "utf8") };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      diagnostic: { code: "lint/unreadable-file", severity: "error", file, loc: fileStartLocation(), message: `cannot read the file: ${detail}` },
    };
  }
}

/** The text after applying fixes in passes; undefined when nothing changed. */
function fixText(file: string, text: string, models: readonly CheckedModel[], rules: readonly LintRule[], config: LintConfig): string | undefined {
  let current = text;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const { document, diagnostics } = parseDocument(current, file);
    if (hasErrors(diagnostics)) break;
    const findings = lintDocument({ file, text: current, document, models, rules, config });
    const outcome = applyFixes(current, findings);
    if (outcome.applied.length === 0) break;
    current = outcome.text;
  }
  return current === text ? undefined : current;
}

/** Parse, run the rules and merge with the checker's result for `text` as the file `file`. */
function report(file: string, text: string, checked: CheckResult, rules: readonly LintRule[], config: LintConfig): LintDiagnostic[] {
  const parsed = parseDocument(text, file);
  const findings = hasErrors(parsed.diagnostics)
    ? []
    : lintDocument({ file, text, document: parsed.document, models: checked.models, rules, config });
  return normalizeDiagnostics([...parsed.diagnostics, ...checked.diagnostics, ...findings]);
}

/**
 * Lints unsaved text as if it were the file `file` (for editors): imports resolve from disk,
 * the project's `simc.json` applies. Never writes.
 */
export function lintSource(text: string, file: string, options: Omit<LintOptions, "fix"> = {}): LintDiagnostic[] {
  const rules = options.rules ?? lintRules;
  const config = (options.configs ?? new LintConfigCache(lintRuleIds)).configFor(file);
  return report(file, text, checkSource(text, file), rules, config);
}

export function lintFile(file: string, options: LintOptions = {}): LintFileResult {
  const rules = options.rules ?? lintRules;
  const configs = options.configs ?? new LintConfigCache(lintRuleIds);
  const config = configs.configFor(file);
  const source = readSource(file);
  if (source.text === undefined) {
    return { file, diagnostics: [source.diagnostic as LintDiagnostic], config, fixed: false };
  }
  // Check the text just read (not the file again), so the report describes exactly it.
  let text = source.text;
  let checked = checkSource(text, file);
  let fixed = false;
  if (options.fix) {
    const fixedText = fixText(file, text, checked.models, rules, config);
    if (fixedText !== undefined) {
      writeFileAtomic(file, fixedText);
      text = fixedText;
      checked = checkSource(text, file);
      fixed = true;
    }
  }
  return { file, diagnostics: report(file, text, checked, rules, config), config, fixed };
}
