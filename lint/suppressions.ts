/**
 * Per-line suppression comments:
 *
 *     // simc-lint-disable-next-line unused-block, shadowed-name -- reason
 *     dense(units: 3)  // simc-lint-disable-line unused-parameter
 *
 * A directive without ids silences every lint rule on that line. Only lint findings can be
 * silenced, never syntax or checker errors. Unknown ids and malformed directives are reported.
 */
import type { Comment, Document } from "../grammar/ast.js";
import { locationOf } from "./source-position.js";
import { closest } from "../core/suggest.js";
import type { LintDiagnostic } from "./types.js";

const DIRECTIVE = /^simc-lint-([a-z-]*)/;

export interface Suppression {
  /** The line it silences. */
  line: number;
  /** The rule ids it silences; `all` when the directive names none. */
  rules: readonly string[] | "all";
}

export interface Suppressions {
  list: Suppression[];
  /** Unknown rule ids and malformed directives. */
  diagnostics: LintDiagnostic[];
}

function commentBody(comment: Comment): { body: string; offset: number } {
  const text = comment.text;
  if (comment.style === "block") {
    const inner = text.replace(/^\/\*/, "").replace(/\*\/$/, "");
    return { body: inner, offset: 2 };
  }
  const marker = /^\/\/\/?/.exec(text)?.[0] ?? "";
  return { body: text.slice(marker.length), offset: marker.length };
}

export function collectSuppressions(document: Document, text: string, file: string, knownRuleIds: readonly string[]): Suppressions {
  const result: Suppressions = { list: [], diagnostics: [] };
  for (const comment of document.comments) {
    const { body, offset } = commentBody(comment);
    const lead = body.length - body.trimStart().length;
    const directive = DIRECTIVE.exec(body.trimStart());
    if (!directive) continue;
    const directiveStart = comment.loc.start + offset + lead;
    const kind = directive[1];
    if (kind !== "disable-line" && kind !== "disable-next-line") {
      result.diagnostics.push({
        code: "lint/invalid-directive",
        severity: "error",
        file,
        loc: locationOf(text, directiveStart, directiveStart + directive[0].length),
        message: `unknown directive '${directive[0]}'`,
        hint: "use 'simc-lint-disable-line <rule-id>' or 'simc-lint-disable-next-line <rule-id>'",
      });
      continue;
    }
    // Ids follow the directive, up to an optional `-- reason`.
    const afterDirective = directiveStart + directive[0].length;
    const rest = text.slice(afterDirective, comment.loc.end - (comment.style === "block" ? 2 : 0));
    const listText = rest.split(/\s--\s|\s--$/)[0];
    const ids: string[] = [];
    const idPattern = /[^\s,]+/g;
    for (let m = idPattern.exec(listText); m; m = idPattern.exec(listText)) {
      const id = m[0];
      if (!knownRuleIds.includes(id)) {
        const start = afterDirective + m.index;
        const suggestion = closest(id, knownRuleIds);
        result.diagnostics.push({
          code: "lint/unknown-rule",
          severity: "error",
          file,
          loc: locationOf(text, start, start + id.length),
          message: `unknown lint rule '${id}' in a suppression comment`,
          hint: suggestion ? `did you mean '${suggestion}'?` : "see docs/lint.md for the rule ids",
        });
        continue;
      }
      ids.push(id);
    }
    const line = kind === "disable-line" ? comment.loc.line : comment.loc.endLine + 1;
    const namedNone = listText.trim() === "";
    if (namedNone) result.list.push({ line, rules: "all" });
    else if (ids.length > 0) result.list.push({ line, rules: ids });
  }
  return result;
}

/** Whether a lint finding of `rule` starting on `line` is silenced. */
export function isSuppressed(suppressions: readonly Suppression[], rule: string, line: number): boolean {
  return suppressions.some((s) => s.line === line && (s.rules === "all" || s.rules.includes(rule)));
}
