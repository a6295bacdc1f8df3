/**
 * The Prettier plugin for `.sim` files (also what `simc fmt` runs):
 *
 *   npx prettier --plugin=simc/prettier --write "**\/*.sim"
 *
 * The parser is the front end's own (`parseDocument`); a file with syntax errors is refused
 * with the first error, located, as Prettier expects. Comments travel on the root (`comments`)
 * and Prettier attaches them; `comment-placement.ts` corrects the places where its default
 * would move a comment out of its braces or in front of code on its line.
 */
import type { AstPath, Parser, ParserOptions, Plugin, Printer, SupportLanguage } from "prettier";
import type * as A from "./ast.js";
import { placeComment, type AttachedComment } from "./comment-placement.js";
import { parseDocument } from "./parse.js";
import { printComment, printSim, type PrintedNode } from "./printer.js";
import { childKeys } from "./visitor.js";

/** A syntax error in Prettier's shape: message plus `loc.start`/`loc.end` (1-based). */
export class SimSyntaxError extends SyntaxError {
  readonly loc: { start: { line: number; column: number }; end: { line: number; column: number } };
  readonly code: string;

  constructor(message: string, code: string, loc: A.SourceLocation) {
    super(`${message} (${loc.line}:${loc.column})`);
    this.name = "SyntaxError";
    this.code = code;
    this.loc = { start: { line: loc.line, column: loc.column }, end: { line: loc.endLine, column: loc.endColumn } };
  }
}

export const languages: SupportLanguage[] = [
  {
    name: "sim",
    extensions: [".sim"],
    parsers: ["sim"],
    vscodeLanguageIds: ["sim"],
  },
];

const simParser: Parser<PrintedNode> = {
  astFormat: "sim-ast",
  parse(text: string, options: ParserOptions<PrintedNode>): PrintedNode {
    const { document, diagnostics } = parseDocument(text, options.filepath ?? "<input>");
    const error = diagnostics.find((d) => d.severity === "error");
    if (error) throw new SimSyntaxError(error.message, error.code, error.loc);
    return document;
  },
  locStart: (node: PrintedNode | A.Comment) => node.loc.start,
  locEnd: (node: PrintedNode | A.Comment) => node.loc.end,
};

export const parsers: Record<string, Parser<PrintedNode>> = { sim: simParser };

const attach = (comment: AttachedComment, text: string, _options: unknown, ast: PrintedNode): boolean =>
  placeComment(comment, text, ast);

const simPrinter: Printer<PrintedNode> = {
  print: printSim,
  printComment: (path) => printComment(path as unknown as AstPath<A.Comment>),
  canAttachComment: (node) => typeof node.kind === "string" && (node.kind as string) !== "Comment",
  isBlockComment: (node) => (node as unknown as A.Comment).style === "block",
  getVisitorKeys: (node) => [...((childKeys as Record<string, readonly string[]>)[node.kind] ?? [])],
  handleComments: { ownLine: attach, endOfLine: attach, remaining: attach },
  // For `--debug-check`: what must survive formatting. Locations change by design; comments
  // (not visitor keys, so Prettier does not recurse into them) are compared by their text, up
  // to the line indentation and trailing blanks the printer may change.
  massageAstNode(_original: unknown, cloned: Record<string, unknown>) {
    delete cloned.loc;
    if (cloned.kind === "Document" && Array.isArray(cloned.comments)) {
      cloned.comments = (cloned.comments as A.Comment[]).map((comment) => ({
        style: comment.style,
        text: comment.text
          .split(/\r\n|\r|\n/)
          .map((line) => line.trim())
          .join("\n"),
      }));
    }
  },
};
(simPrinter.massageAstNode as { ignoredProperties?: Set<string> }).ignoredProperties = new Set(["loc"]);

export const printers: Record<string, Printer<PrintedNode>> = { "sim-ast": simPrinter };

export const options: Plugin["options"] = {};

export const defaultOptions: Plugin["defaultOptions"] = { tabWidth: 2, useTabs: false };

const plugin: Plugin<PrintedNode> = { languages, parsers, printers, options, defaultOptions };
export default plugin;
