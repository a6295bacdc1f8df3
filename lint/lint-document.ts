/**
 * Lint findings for one parsed document: the enabled rules (per the project config) in one
 * traversal, then suppression comments. No file system, no checker: the caller supplies the
 * text, its AST and the checked models.
 */
import type { Document } from "../grammar/ast.js";
import type { CheckedModel } from "../compiler/checked-model.js";
import type { LintConfig } from "./config.js";
import { lintRuleIds } from "./rules/index.js";
import { runRules, type EnabledRule } from "./run-rules.js";
import { collectSuppressions, isSuppressed } from "./suppressions.js";
import type { LintDiagnostic, LintRule } from "./types.js";

/** The rules a config enables, at their configured severities. */
export function enabledRules(rules: readonly LintRule[], config: LintConfig): EnabledRule[] {
  const enabled: EnabledRule[] = [];
  for (const rule of rules) {
    const setting = config.rules[rule.id] ?? rule.defaultSeverity;
    if (setting !== "off") enabled.push({ rule, severity: setting });
  }
  return enabled;
}

export interface LintDocumentInput {
  file: string;
  text: string;
  document: Document;
  models: readonly CheckedModel[];
  rules: readonly LintRule[];
  config: LintConfig;
}

/** Lint findings for a parsed document: rules, then suppression comments (and their problems). */
export function lintDocument(input: LintDocumentInput): LintDiagnostic[] {
  const known = input.rules.map((r) => r.id);
  const suppressions = collectSuppressions(input.document, input.text, input.file, [...new Set([...known, ...lintRuleIds])]);
  const findings = runRules({
    file: input.file,
    text: input.text,
    document: input.document,
    models: input.models,
    rules: enabledRules(input.rules, input.config),
  });
  const kept = findings.filter((d) => !(d.rule && isSuppressed(suppressions.list, d.rule, d.loc.line)));
  return [...kept, ...suppressions.diagnostics];
}

