/** Text edits that remove source constructs cleanly (whole lines when nothing else is on them). */
import type { ImportDecl, ImportSpecifier } from "../grammar/ast.js";
import type { TextEdit } from "./types.js";

const isBlank = (c: string | undefined) => c === " " || c === "\t";

/** Remove `text.slice(start, end)`, taking the whole line with it when nothing else is on it. */
export function removeRange(text: string, start: number, end: number): TextEdit {
  let s = start;
  while (s > 0 && isBlank(text[s - 1])) s--;
  let e = end;
  while (e < text.length && isBlank(text[e])) e++;
  const startsLine = s === 0 || text[s - 1] === "\n";
  const endsLine = e === text.length || text[e] === "\n" || (text[e] === "\r" && text[e + 1] === "\n");
  if (startsLine && endsLine) {
    if (text[e] === "\r") e++;
    if (text[e] === "\n") e++;
    return { start: s, end: e, text: "" };
  }
  return { start, end: e, text: "" };
}

const hasComment = (fragment: string) => fragment.includes("//") || fragment.includes("/*");

/** Remove a whole import declaration (and its optional `;`). */
export function removeImport(text: string, decl: ImportDecl): TextEdit {
  let end = decl.loc.end;
  let probe = end;
  while (isBlank(text[probe])) probe++;
  if (text[probe] === ";") end = probe + 1;
  return removeRange(text, decl.loc.start, end);
}

/**
 * Remove one specifier and the comma that separates it from a neighbour. Returns undefined
 * when a comment sits in the way (removing it would lose the user's text).
 */
export function removeSpecifier(text: string, decl: ImportDecl, specifier: ImportSpecifier): TextEdit | undefined {
  const index = decl.specifiers.indexOf(specifier);
  const next = decl.specifiers[index + 1];
  const previous = decl.specifiers[index - 1];
  let start: number;
  let end: number;
  if (next) {
    start = specifier.loc.start;
    end = next.loc.start;
  } else if (previous) {
    start = previous.loc.end;
    end = specifier.loc.end;
  } else {
    return undefined;
  }
  if (hasComment(text.slice(start, end))) return undefined;
  return { start, end, text: "" };
}
