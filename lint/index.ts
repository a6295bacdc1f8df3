/** The linter's public API. */
export { lintFile, lintSource, normalizeDiagnostics, type LintFileResult, type LintOptions } from "./lint-file.js";
export { lintDocument, enabledRules, type LintDocumentInput } from "./lint-document.js";
export { runRules, type EnabledRule, type RuleInput } from "./run-rules.js";
export { LintConfigCache, findConfigFile, parseLintConfig, CONFIG_FILE_NAME, type LintConfig } from "./config.js";
export { applyFixes, type FixOutcome } from "./fix.js";
export { lintRules, lintRuleIds } from "./rules/index.js";
export { renderLintDocs, type RuleExamples } from "./docs.js";
export type { Fix, LintDiagnostic, LintReport, LintRule, RuleContext, RuleListeners, RuleSetting, RuleSeverity, RuleVisitor, TextEdit } from "./types.js";
export { lintCode } from "./types.js";
