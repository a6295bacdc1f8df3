/** Offsets ↔ line/column for texts the AST does not cover (simc.json, parts of comments). */
import type { SourceLocation } from "../grammar/ast.js";
import { LineIndex } from "../core/location.js";

/** The location of `text.slice(start, end)`, 1-based lines and columns, `endColumn` exclusive. */
export function locationOf(text: string, start: number, end: number = start): SourceLocation {
  return new LineIndex(text).location(start, end);
}
