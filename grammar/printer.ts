/**
 * The `.sim` printer for Prettier: AST → Doc.
 *
 * House style: imports first, one blank line between declarations, one statement per line with
 * the user's blank lines kept (at most one), `key: value` and `name(arg: value)` spacing,
 * argument/parameter/list groups on one line when they fit and one element per line with a
 * trailing comma when not, spaces around binary operators, numbers and strings as written.
 * Parentheses are not in the AST; the printer adds exactly those that precedence requires.
 */
import type { AstPath, Doc, ParserOptions } from "prettier";
import { builders } from "prettier/doc";
import { util } from "prettier";
import type * as A from "./ast.js";
import type { AttachedComment } from "./comment-placement.js";
import { binaryPrecedence, isRightAssociative } from "./operators.js";

const { group, indent, softline, line, hardline, literalline, join, ifBreak, lineSuffix } = builders;

/** AST nodes as the printer sees them: Prettier adds the attached comments. */
export type PrintedNode = A.Node & { comments?: AttachedComment[] };
type Print = (selector?: string | number | (string | number)[]) => Doc;
type Path<N extends A.Node = A.Node> = AstPath<N & { comments?: AttachedComment[] }>;

export function printSim(path: AstPath<PrintedNode>, options: ParserOptions<PrintedNode>, print: Print): Doc {
  const node = path.node;
  switch (node.kind) {
    case "Document":
      return printDocument(path as Path<A.Document>, options, print);
    case "ImportDecl":
      // The source stays outside the group: a comment after it must not break the braces.
      return [
        group(["import {", indent([line, join([",", line], printAll(path, print, "specifiers"))]), ifBreak(","), line, "}"]),
        " from ",
        print("source"),
        ";",
      ];
    case "ImportSpecifier":
      return node.local ? [print("imported"), " as ", print("local")] : print("imported");
    case "BlockDecl":
    case "ModelDecl":
      // `block name(params) { … }` and `model name(params) { … }`: the same header.
      return [
        node.kind === "BlockDecl" ? "block " : "model ",
        print("name"),
        node.params.length > 0 ? delimitedList("(", printAll(path, print, "params"), ")") : "",
        " ",
        printBody(path, options, print, node.kind === "BlockDecl" ? "body" : "items"),
      ];
    case "ParamDecl":
      return [
        print("name"),
        node.type ? [": ", print("type")] : "",
        node.default ? [" = ", print("default")] : "",
      ];
    case "NamedType":
      return node.name;
    case "EnumType":
      return join(" | ", printAll(path, print, "members"));
    case "Property":
      return node.value ? [print("key"), ": ", print("value")] : [print("key"), ":"];
    case "Section":
      return [print("key"), " ", printBody(path, options, print, "body")];
    case "CallStatement":
      return print("call");
    case "ResidualStatement":
      return [
        "residual ",
        printBody(path, options, print, "body"),
        node.shortcut ? [" shortcut ", printBody(path, options, print, "shortcut")] : "",
      ];
    case "RepeatStatement":
      return [
        "repeat ",
        node.variable ? [print("variable"), " in ", print("from"), "..", print("to")] : print("count"),
        " ",
        printBody(path, options, print, "body"),
      ];
    case "IfStatement":
      return [
        "if ",
        print("condition"),
        " ",
        printBody(path, options, print, "then"),
        node.else ? [" else ", printBody(path, options, print, "else")] : "",
      ];
    case "Argument":
      return node.name ? [print("name"), ": ", print("value")] : print("value");
    case "CallExpr":
      return [
        print("callee"),
        node.args.length > 0
          ? delimitedList("(", printAll(path, print, "args"), ")")
          : ["(", printDangling(path, options, "args"), ")"],
      ];
    case "ListExpr":
      return node.elements.length > 0
        ? delimitedList("[", printAll(path, print, "elements"), "]")
        : ["[", printDangling(path, options, "elements"), "]"];
    case "BinaryExpr":
      return [
        parenthesize(path as Path<A.BinaryExpr>, print, "left"),
        " ",
        node.operator,
        " ",
        parenthesize(path as Path<A.BinaryExpr>, print, "right"),
      ];
    case "UnaryExpr":
      return [node.operator, parenthesize(path as Path<A.UnaryExpr>, print, "operand")];
    case "NumberLiteral":
      return node.raw;
    case "StringLiteral":
      return node.raw;
    case "BooleanLiteral":
      return node.value ? "true" : "false";
    case "Identifier":
      return node.name;
  }
}

/** Prints each element of a list-valued field. */
function printAll(path: AstPath<PrintedNode>, print: Print, key: string): Doc[] {
  return path.map(() => print(), key as never);
}

/** `(a, b)` flat, or one element per line with a trailing comma when it does not fit. */
function delimitedList(open: string, items: Doc[], close: string): Doc {
  return group([open, indent([softline, join([",", line], items)]), ifBreak(","), softline, close]);
}

function printDocument(path: Path<A.Document>, options: ParserOptions<PrintedNode>, print: Print): Doc {
  const parts: Doc[] = [];
  const imports = statementList(path, options, print, "imports");
  if (imports.length > 0) parts.push(imports);
  const declarations: Doc[] = printAll(path, print, "declarations");
  if (declarations.length > 0) parts.push(join([hardline, hardline], declarations));
  const dangling = printOwnLineComments(path, options, (c) => !c.leading && !c.trailing);
  if (dangling.length > 0) parts.push(dangling);
  if (parts.length === 0) return "";
  return [join([hardline, hardline], parts), hardline];
}

/** Statements (or imports, or model items) one per line, keeping one of the user's blank lines. */
function statementList(path: Path, options: ParserOptions<PrintedNode>, print: Print, key: string): Doc[] {
  const parts: Doc[] = [];
  const list = (path.node as unknown as Record<string, A.Node[] | undefined>)[key] ?? [];
  list.forEach((child, index) => {
    parts.push(print([key, index]));
    if (index < list.length - 1) {
      parts.push(hardline);
      if (util.isNextLineEmpty(options.originalText, child.loc.end)) parts.push(hardline);
    }
  });
  return parts;
}

/** `{ … }` around a statement list, with the body's dangling comments put back inside. */
function printBody(path: Path, options: ParserOptions<PrintedNode>, print: Print, key: string): Doc {
  const text = options.originalText;
  const dangling = (path.node.comments ?? [])
    .filter((c) => !c.leading && !c.trailing && c.marker === key)
    .sort((a, b) => a.loc.start - b.loc.start);
  // Comments written on the line of the `{` (or of the header) stay after it, as long as no
  // line comment would end up before another comment; the rest go on their own lines.
  const afterBrace: AttachedComment[] = [];
  for (const comment of dangling) {
    if (afterBrace[afterBrace.length - 1]?.style === "line") break;
    if (util.hasNewline(text, comment.loc.start, { backwards: true })) break;
    afterBrace.push(comment);
  }
  const ownLine = dangling.slice(afterBrace.length);
  const statements = statementList(path, options, print, key);

  const list = (path.node as unknown as Record<string, PrintedNode[] | undefined>)[key] ?? [];
  const declaration = path.node.kind === "BlockDecl" || path.node.kind === "ModelDecl";
  if (!declaration && dangling.length === 0 && keepsOneLine(list, text)) {
    return group(["{", indent([line, statements]), line, "}"]);
  }

  // A line comment goes in a line suffix: like a trailing comment, it does not count towards
  // the width of the line it ends (so the header's layout does not depend on it).
  const head: Doc[] = afterBrace.map((c) =>
    c.style === "line" ? [lineSuffix([" ", printMarkedComment(c)]), builders.breakParent] : [" ", printMarkedComment(c)],
  );
  const body: Doc[] = [];
  ownLine.forEach((comment, index) => {
    body.push(printMarkedComment(comment));
    const last = index === ownLine.length - 1;
    if (!last || statements.length > 0) {
      body.push(hardline);
      if (util.isNextLineEmpty(text, comment.loc.end)) body.push(hardline);
    }
  });
  body.push(...statements);

  if (body.length === 0) {
    if (head.length === 0) return "{}";
    // `{ /* note */ }`, but a line comment must not swallow the `}`.
    return afterBrace.every((c) => c.style === "block") ? ["{", ...head, " }"] : ["{", ...head, hardline, "}"];
  }
  return ["{", ...head, indent([hardline, ...body]), hardline, "}"];
}

/**
 * A body of one call or setting, written on the `{` line, stays `{ relu() }` when it fits (as
 * Prettier keeps an object literal on one line when its first property is): `repeat 2 { unit() }`
 * reads better than three lines. Declarations, and bodies holding bodies or comments, always
 * break.
 */
function keepsOneLine(list: readonly PrintedNode[], text: string): boolean {
  if (list.length !== 1) return false;
  const [only] = list;
  if (only.kind !== "CallStatement" && only.kind !== "Property") return false;
  if (only.comments?.length) return false;
  return /\{[ \t]*$/.test(text.slice(0, only.loc.start));
}

/** Dangling comments inside `()` or `[]` of an empty call or list. */
function printDangling(path: Path, options: ParserOptions<PrintedNode>, marker: string): Doc {
  const comments = (path.node.comments ?? []).filter((c) => !c.leading && !c.trailing && c.marker === marker);
  if (comments.length === 0) return "";
  const printed = comments.map((c) => printMarkedComment(c));
  if (comments.every((c) => c.style === "block")) return join(" ", printed);
  return [indent([softline, join(hardline, printed)]), softline, builders.breakParent];
}

/** Own-line comments of a node (those the filter selects), each on its own line. */
function printOwnLineComments(
  path: Path,
  options: ParserOptions<PrintedNode>,
  filter: (c: AttachedComment) => boolean,
): Doc[] {
  const comments = (path.node.comments ?? []).filter(filter);
  const parts: Doc[] = [];
  comments.forEach((comment, index) => {
    parts.push(printMarkedComment(comment));
    if (index < comments.length - 1) {
      parts.push(hardline);
      if (util.isNextLineEmpty(options.originalText, comment.loc.end)) parts.push(hardline);
    }
  });
  return parts;
}

/** Prints a comment this printer places itself (Prettier checks that every one was printed). */
function printMarkedComment(comment: AttachedComment): Doc {
  comment.printed = true;
  return printCommentText(comment);
}

/**
 * A comment's text: line comments without trailing blanks; block comments verbatim, except
 * that `*`-prefixed continuation lines are re-aligned under the opening `/*`.
 */
function printCommentText(comment: A.Comment): Doc {
  if (comment.style === "line") return comment.text.trimEnd();
  const lines = comment.text.split(/\r\n|\r|\n/);
  if (lines.length === 1) return comment.text;
  const starred = lines.slice(1).every((l) => l.trimStart().startsWith("*"));
  if (starred) return join(hardline, [lines[0].trimEnd(), ...lines.slice(1).map((l) => ` ${l.trim()}`)]);
  return join(literalline, lines);
}

export function printComment(path: AstPath<A.Comment>): Doc {
  return printCommentText(path.node);
}

// -------------------------------------------------------------------------------------------
// Precedence

/** Whether `child`, printed at `side` of `parent`, needs parentheses to parse back the same. */
function needsParentheses(child: A.Expr, parent: A.BinaryExpr | A.UnaryExpr, side: "left" | "right" | "operand"): boolean {
  if (child.kind === "UnaryExpr") {
    // `-(-x)`: `--x` reads like a decrement.
    return parent.kind === "UnaryExpr" && parent.operator === "-" && child.operator === "-";
  }
  if (child.kind !== "BinaryExpr") return false;
  if (parent.kind === "UnaryExpr") return true;
  const outer = binaryPrecedence[parent.operator];
  const inner = binaryPrecedence[child.operator];
  if (inner !== outer) return inner < outer;
  // Same level: parentheses on the side the operator does not group towards.
  return isRightAssociative(parent.operator) ? side === "left" : side === "right";
}

function parenthesize(path: Path<A.BinaryExpr> | Path<A.UnaryExpr>, print: Print, key: "left" | "right" | "operand"): Doc {
  const parent = path.node;
  const child = (parent as unknown as Record<string, A.Expr | undefined>)[key];
  if (!child) return "";
  const printed = print(key);
  return needsParentheses(child, parent, key) ? ["(", printed, ")"] : printed;
}
