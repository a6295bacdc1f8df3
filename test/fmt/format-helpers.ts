import * as prettier from "prettier";
import plugin from "../../grammar/prettier-plugin.js";
import { parseDocument } from "../../grammar/parse.js";

/** Formats `.sim` text with the plugin (Prettier's defaults unless overridden). */
export function format(text: string, options: prettier.Options = {}): Promise<string> {
  return prettier.format(text, { filepath: "test.sim", ...options, parser: "sim", plugins: [plugin] });
}

/** A value with every `loc` removed. */
export function stripLocations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripLocations);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "loc")
        .map(([key, v]) => [key, stripLocations(v)]),
    );
  }
  return value;
}

/** A comment's text up to what the formatter may change: line indentation and trailing blanks. */
export function commentText(comment: { text: string }): string {
  return comment.text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .join("\n");
}

/** What formatting must not change: the AST without locations, and the comments' text in order. */
export function meaning(text: string): { ast: unknown; comments: string[] } {
  const { document, diagnostics } = parseDocument(text, "test.sim");
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => `${d.loc.line}:${d.loc.column} ${d.message}`).join("\n"));
  return {
    ast: stripLocations({ imports: document.imports, declarations: document.declarations }),
    comments: document.comments.map(commentText),
  };
}
