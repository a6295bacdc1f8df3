/**
 * Applying fixes: each fix is all-or-nothing; a fix that overlaps one already taken waits for
 * the next pass (the engine re-lints the fixed text, as ESLint does). Writing the result is
 * atomic: a temporary file in the same directory, then a rename.
 */
import type { Fix, LintDiagnostic, TextEdit } from "./types.js";

const overlaps = (a: TextEdit, b: TextEdit) => a.start < b.end && b.start < a.end;
// Two insertions at the same point are ambiguous in order: treat them as overlapping too.
const conflicts = (a: TextEdit, b: TextEdit) => overlaps(a, b) || (a.start === b.start && a.end === a.start && b.end === b.start);

export interface FixOutcome {
  text: string;
  /** The fixes applied in this pass. */
  applied: Fix[];
}

export function applyFixes(text: string, diagnostics: readonly LintDiagnostic[]): FixOutcome {
  const fixes = diagnostics
    .map((d) => d.fix)
    .filter((f): f is Fix => f !== undefined && f.edits.length > 0)
    .sort((a, b) => Math.min(...a.edits.map((e) => e.start)) - Math.min(...b.edits.map((e) => e.start)));
  const taken: TextEdit[] = [];
  const applied: Fix[] = [];
  for (const fix of fixes) {
    const valid = fix.edits.every((e) => 0 <= e.start && e.start <= e.end && e.end <= text.length);
    const selfOverlap = fix.edits.some((e, i) => fix.edits.some((o, j) => i < j && conflicts(e, o)));
    if (!valid || selfOverlap || fix.edits.some((e) => taken.some((t) => conflicts(e, t)))) continue;
    taken.push(...fix.edits);
    applied.push(fix);
  }
  let out = text;
  for (const edit of [...taken].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return { text: out, applied };
}

