/**
 * `docs/lint.md`, generated: the rule catalogue from each rule's id, severity and docs, with a
 * failing and a passing example per rule taken from the test fixtures
 * (`test/fixtures/lint/<id>/fail.sim`, `pass.sim`), so every example in the docs is one the
 * tests lint. Regenerate with `npx tsx lint/write-docs.ts`.
 */
import type { LintRule } from "./types.js";
import { lintCode } from "./types.js";

export interface RuleExamples {
  fail: string;
  pass: string;
}

const severityWord = (s: LintRule["defaultSeverity"]) => (s === "error" ? "error" : "warning");

const HEADER = `# Lint rules

\`simc lint PATHS…\` checks \`.sim\` files (directories are searched for \`*.sim\`) for models that are
ill-posed or suspicious before any training: it parses and checks each file (syntax and checker
errors are reported too), then runs every rule below in one pass over the file's syntax tree and
its checked models.

\`\`\`sh
simc lint specs stdlib          # ESLint's "stylish" report, grouped by file
simc lint model.sim --json      # a versioned JSON document on stdout
simc lint model.sim --fix       # apply safe fixes (written atomically), then report what is left
\`\`\`

Exit codes follow ESLint: 0 when there are no errors (warnings allowed), 1 when there is at least
one error (a lint rule set to \`error\`, a syntax or checker error, or a configuration problem),
2 for usage or internal failures.

## Diagnostics

A finding is a diagnostic like the checker's, with code \`lint/<rule-id>\` (for example
\`lint/unused-import\`) and the rule id in the report's last column. Problems with the linter's
own configuration use \`lint/unknown-rule\` (a rule id that does not exist, in \`simc.json\` or in
a suppression comment), \`lint/invalid-config\` (a malformed \`simc.json\`),
\`lint/invalid-directive\` (a \`simc-lint-…\` comment that is not a known directive) and
\`lint/unreadable-file\` (a path that cannot be read); they are errors.

The \`--json\` document is \`{ "version": 1, "errorCount", "warningCount", "fixableErrorCount",
"fixableWarningCount", "files": [{ "file", "errorCount", "warningCount", "fixed", "diagnostics":
[{ "code", "rule"?, "severity", "message", "hint"?, "line", "column", "endLine", "endColumn",
"fix"? }] }] }\`.

## Configuration

Rules run at their default severity unless the project's \`simc.json\` says otherwise. The file is
found by walking up from each linted file to the project root (the first directory holding
\`simc.json\` or \`package.json\`):

\`\`\`json
{ "lint": { "rules": { "deq-no-well-posedness": "error", "unused-block": "off" } } }
\`\`\`

Each value is \`"off"\`, \`"warn"\` or \`"error"\`.

## Suppression comments

\`\`\`sim
// simc-lint-disable-next-line unused-parameter, shadowed-name -- kept for API compatibility
block wide(units: int, relu: int = 0) { dense(units: 8) }

block other(units: int) { dense(units: 8) }  // simc-lint-disable-line unused-parameter
\`\`\`

A directive silences the listed rules (all rules when it lists none) on its line or the next one.
Text after \` -- \` is a free comment. Syntax and checker errors cannot be silenced.

## Rules
`;

export function renderLintDocs(rules: readonly LintRule[], examples: (ruleId: string) => RuleExamples): string {
  const out: string[] = [HEADER];
  out.push("| rule | default | fixable |", "| --- | --- | --- |");
  for (const rule of rules) {
    out.push(`| [\`${rule.id}\`](#${rule.id}) | ${severityWord(rule.defaultSeverity)} | ${rule.fixable ? "yes" : ""} |`);
  }
  for (const rule of rules) {
    const { fail, pass } = examples(rule.id);
    out.push(
      "",
      `### ${rule.id}`,
      "",
      `Default severity: **${severityWord(rule.defaultSeverity)}**. Code: \`${lintCode(rule.id)}\`.${rule.fixable ? " Fixable with `--fix`." : ""}`,
      "",
      rule.docs.description,
      "",
      "Reported:",
      "",
      "```sim",
      fail.trimEnd(),
      "```",
      "",
      "Not reported:",
      "",
      "```sim",
      pass.trimEnd(),
      "```",
    );
  }
  out.push("");
  return out.join("\n");
}
