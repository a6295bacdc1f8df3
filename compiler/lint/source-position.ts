/** Offsets ↔ line/column for texts the AST does not cover (simc.json, parts of comments). */
import type { SourceLocation } from "../../grammar/ast.js";

/** The location of `text.slice(start, end)`, 1-based lines and columns, `endColumn` exclusive. */
export function locationOf(text: string, start: number, end: number = start): SourceLocation {
  const at = (offset: number) => {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < text.length; i++) {
      if (text[i] === "\n") {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: offset - lineStart + 1 };
  };
  const s = at(start);
  const e = at(end);
  return { start, end, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
}
