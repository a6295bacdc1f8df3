/**
 * CST → AST. One function per grammar rule, typed by the generated `cst-types.ts`.
 *
 * Error recovery can leave any child missing and can insert virtual tokens (no position), so
 * every access goes through `first()`/`real()` and every node gets a location from the tokens
 * that are really there: a missing name becomes `""` with an empty location where it belonged,
 * a missing expression `undefined`. Chevrotain's end offsets are inclusive; AST ends are not.
 */
import type { CstNode, IToken } from "chevrotain";
import type * as A from "./ast.js";
import type * as C from "./cst-types.js";
import type { LineIndex } from "../core/location.js";
import { binaryPrecedence, isBinaryOperator, isRightAssociative } from "./operators.js";
import * as T from "./tokens.js";


function first<X>(items: X[] | undefined): X | undefined {
  return items?.[0];
}

/** The token unless it was invented by error recovery (virtual tokens have no position). */
function real(token: IToken | undefined): IToken | undefined {
  return token && !token.isInsertedInRecovery && Number.isFinite(token.startOffset) ? token : undefined;
}

function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

/** `[start, end)` of the real tokens under a CST node, or undefined when it has none. */
function cstSpan(node: CstNode | undefined): [number, number] | undefined {
  if (!node) return undefined;
  const l = node.location;
  if (l && Number.isFinite(l.startOffset) && Number.isFinite(l.endOffset) && (l.endOffset as number) >= l.startOffset) {
    return [l.startOffset, (l.endOffset as number) + 1];
  }
  let start = Infinity;
  let end = -Infinity;
  for (const children of Object.values(node.children)) {
    for (const child of children) {
      const span = "children" in child ? cstSpan(child) : real(child) ? [child.startOffset, tokenEnd(child)] : undefined;
      if (span) {
        start = Math.min(start, span[0]);
        end = Math.max(end, span[1]);
      }
    }
  }
  return start <= end ? [start, end] : undefined;
}

/** The operands and binary operators of one flat `expression` node, and the next operator to fold. */
interface OperatorChain {
  operands: C.UnaryExpressionCstNode[];
  operators: IToken[];
  next: number;
}

function precedenceOf(operator: IToken): number {
  return binaryPrecedence[operator.image as A.BinaryOperator];
}

/** Text of `///` doc lines: markers and one following space stripped. */
function docLine(image: string): string {
  const body = image.slice(3);
  return (body.startsWith(" ") ? body.slice(1) : body).trimEnd();
}

export class AstBuilder {
  constructor(
    private readonly lines: LineIndex,
    private readonly comments: readonly IToken[],
  ) {}

  private loc(start: number, end: number): A.SourceLocation {
    return this.lines.location(start, end);
  }

  private tokenLoc(token: IToken): A.SourceLocation {
    return this.loc(token.startOffset, tokenEnd(token));
  }

  /** Location of a CST node, or an empty location at `fallback` when it holds no real token. */
  private nodeLoc(node: CstNode | undefined, fallback: number): A.SourceLocation {
    const span = cstSpan(node);
    return span ? this.loc(span[0], span[1]) : this.loc(fallback, fallback);
  }

  private spanLoc(from: A.SourceLocation | undefined, to: A.SourceLocation | undefined, fallback: number): A.SourceLocation {
    const start = from?.start ?? to?.start ?? fallback;
    const end = Math.max(start, to?.end ?? from?.end ?? start);
    return this.loc(start, end);
  }

  private identifier(token: IToken | undefined, fallback: number): A.Identifier {
    const t = real(token);
    return t
      ? { kind: "Identifier", name: t.image, loc: this.tokenLoc(t) }
      : { kind: "Identifier", name: "", loc: this.loc(fallback, fallback) };
  }

  // -------------------------------------------------------------------------------------------
  // Top level

  document(node: C.DocumentCstNode): A.Document {
    const c = node.children;
    const declarations: A.Declaration[] = [
      ...(c.blockDecl ?? []).map((d) => this.blockDecl(d)),
      ...(c.modelDecl ?? []).map((d) => this.modelDecl(d)),
    ].sort((a, b) => a.loc.start - b.loc.start);
    return {
      kind: "Document",
      imports: (c.importDecl ?? []).map((d) => this.importDecl(d)),
      declarations,
      comments: this.comments.map((t) => this.comment(t)),
      loc: this.loc(0, this.lines.text.length),
    };
  }

  /** An expression parsed on its own (`parseExpressionText`). */
  standaloneExpression(node: C.ExpressionCstNode): A.Expr | undefined {
    return this.expression(node);
  }

  /** A document with no declarations (for input the parser refused), comments kept. */
  emptyDocument(): A.Document {
    return {
      kind: "Document",
      imports: [],
      declarations: [],
      comments: this.comments.map((t) => this.comment(t)),
      loc: this.loc(0, this.lines.text.length),
    };
  }

  private comment(token: IToken): A.Comment {
    return {
      kind: "Comment",
      style: token.tokenType === T.BlockComment ? "block" : "line",
      text: token.image,
      loc: this.tokenLoc(token),
    };
  }

  private importDecl(node: C.ImportDeclCstNode): A.ImportDecl {
    const c = node.children;
    const loc = this.nodeLoc(node, 0);
    const source = real(first(c.StringToken));
    return {
      kind: "ImportDecl",
      specifiers: (c.importSpecifier ?? []).map((s) => this.importSpecifier(s, loc.end)),
      source: source ? this.stringLiteral(source) : { kind: "StringLiteral", value: "", raw: "", loc: this.loc(loc.end, loc.end) },
      loc,
    };
  }

  private importSpecifier(node: C.ImportSpecifierCstNode, fallback: number): A.ImportSpecifier {
    const c = node.children;
    const loc = this.nodeLoc(node, fallback);
    const specifier: A.ImportSpecifier = {
      kind: "ImportSpecifier",
      imported: this.identifier(first(c.imported), loc.start),
      loc,
    };
    if (c.As) specifier.local = this.identifier(first(c.local), loc.end);
    return specifier;
  }

  private blockDecl(node: C.BlockDeclCstNode): A.BlockDecl {
    const c = node.children;
    const loc = this.nodeLoc(node, 0);
    const keyword = real(first(c.Block));
    const block: A.BlockDecl = {
      kind: "BlockDecl",
      name: this.identifier(first(c.Identifier), keyword ? tokenEnd(keyword) : loc.start),
      params: (first(c.paramList)?.children.param ?? []).map((p) => this.param(p, loc.end)),
      body: this.statementBody(first(c.statementBody)),
      loc,
    };
    const doc = this.docFor(loc.start);
    if (doc !== undefined) block.doc = doc;
    return block;
  }

  private param(node: C.ParamCstNode, fallback: number): A.ParamDecl {
    const c = node.children;
    const loc = this.nodeLoc(node, fallback);
    const param: A.ParamDecl = { kind: "ParamDecl", name: this.identifier(first(c.Identifier), loc.start), loc };
    const type = first(c.typeRef);
    if (type) param.type = this.typeRef(type, loc.end);
    if (c.Equals) param.default = this.expression(first(c.expression));
    return param;
  }

  private typeRef(node: C.TypeRefCstNode, fallback: number): A.TypeRef {
    const c = node.children;
    const loc = this.nodeLoc(node, fallback);
    const names = (c.Identifier ?? []).filter((t) => real(t));
    if (names.length === 1 && !c.Pipe) return { kind: "NamedType", name: names[0].image, loc };
    if (names.length === 0) return { kind: "NamedType", name: "", loc };
    return { kind: "EnumType", members: names.map((t) => this.identifier(t, loc.end)), loc };
  }

  private modelDecl(node: C.ModelDeclCstNode): A.ModelDecl {
    const c = node.children;
    const loc = this.nodeLoc(node, 0);
    const keyword = real(first(c.Model));
    const body = first(c.modelBody);
    const model: A.ModelDecl = {
      kind: "ModelDecl",
      name: this.identifier(first(c.Identifier), keyword ? tokenEnd(keyword) : loc.start),
      params: (first(c.paramList)?.children.param ?? []).map((p) => this.param(p, loc.end)),
      items: (body?.children.modelItem ?? []).map((item) => this.modelItem(item, loc.end)),
      loc,
    };
    const doc = this.docFor(loc.start);
    if (doc !== undefined) model.doc = doc;
    return model;
  }

  private modelItem(node: C.ModelItemCstNode, fallback: number): A.ModelItem {
    const c = node.children;
    const loc = this.nodeLoc(node, fallback);
    const key = this.identifier(first(c.Identifier), loc.start);
    const body = first(c.statementBody);
    if (body) return { kind: "Section", key, body: this.statementBody(body), loc };
    const property: A.Property = { kind: "Property", key, loc };
    const value = this.expression(first(c.expression));
    if (value) property.value = value;
    return property;
  }

  /**
   * The text of the `///` lines directly above the declaration at `start`: each alone on its
   * line, each followed by exactly one line break and then the next doc line or the declaration.
   */
  private docFor(start: number): string | undefined {
    const text = this.lines.text;
    let next = start;
    const doc: string[] = [];
    for (let index = this.lastCommentBefore(start); index >= 0; index--) {
      const token = this.comments[index];
      if (token.tokenType !== T.DocComment) break;
      if (!/^[ \t]*(?:\r\n|\r|\n)[ \t]*$/.test(text.slice(tokenEnd(token), next))) break;
      const line = this.lines.position(token.startOffset).line;
      if (text.slice(this.lines.lineStart(line), token.startOffset).trim() !== "") break;
      doc.unshift(docLine(token.image));
      next = token.startOffset;
    }
    return doc.length > 0 ? doc.join("\n") : undefined;
  }

  private lastCommentBefore(offset: number): number {
    let lo = 0;
    let hi = this.comments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.comments[mid].startOffset < offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  private statementBody(node: C.StatementBodyCstNode | undefined): A.Statement[] {
    if (!node) return [];
    const fallback = this.nodeLoc(node, 0).start;
    const statements: A.Statement[] = [];
    for (const statement of node.children.statement ?? []) {
      const built = this.statement(statement, fallback);
      if (built) statements.push(built);
    }
    return statements;
  }

  private statement(node: C.StatementCstNode, fallback: number): A.Statement | undefined {
    const c = node.children;
    const named = first(c.namedStatement);
    if (named) return this.namedStatement(named, fallback);
    const residual = first(c.residualStatement);
    if (residual) return this.residualStatement(residual, fallback);
    const repeat = first(c.repeatStatement);
    if (repeat) return this.repeatStatement(repeat, fallback);
    const conditional = first(c.ifStatement);
    if (conditional) return this.ifStatement(conditional, fallback);
    return undefined;
  }

  private namedStatement(node: C.NamedStatementCstNode, fallback: number): A.Statement {
    const c = node.children;
    const loc = this.nodeLoc(node, fallback);
    const name = this.identifier(first(c.Identifier), loc.start);
    const args = first(c.argumentList);
    if (args) {
      return { kind: "CallStatement", call: { kind: "CallExpr", callee: name, args: this.argumentList(args, loc.end), loc }, loc };
    }
    const property: A.Property = { kind: "Property", key: name, loc };
    const value = this.expression(first(c.expression));
    if (value) property.value = value;
    return property;
  }

  private residualStatement(node: C.ResidualStatementCstNode, fallback: number): A.ResidualStatement {
    const c = node.children;
    const statement: A.ResidualStatement = {
      kind: "ResidualStatement",
      body: this.statementBody(first(c.body)),
      loc: this.nodeLoc(node, fallback),
    };
    if (c.Shortcut) statement.shortcut = this.statementBody(first(c.shortcut));
    return statement;
  }

  private repeatStatement(node: C.RepeatStatementCstNode, fallback: number): A.RepeatStatement {
    const c = node.children;
    const loc = this.nodeLoc(node, fallback);
    const statement: A.RepeatStatement = {
      kind: "RepeatStatement",
      body: this.statementBody(first(c.statementBody)),
      loc,
    };
    if (c.In) {
      statement.variable = this.identifier(first(c.Identifier), loc.start);
      const from = this.expression(first(c.from));
      const to = this.expression(first(c.to));
      if (from) statement.from = from;
      if (to) statement.to = to;
    } else {
      const count = this.expression(first(c.count));
      if (count) statement.count = count;
    }
    return statement;
  }

  private ifStatement(node: C.IfStatementCstNode, fallback: number): A.IfStatement {
    const c = node.children;
    const statement: A.IfStatement = {
      kind: "IfStatement",
      then: this.statementBody(first(c.then)),
      loc: this.nodeLoc(node, fallback),
    };
    const condition = this.expression(first(c.expression));
    if (condition) statement.condition = condition;
    if (c.Else) statement.else = this.statementBody(first(c.else));
    return statement;
  }

  private argumentList(node: C.ArgumentListCstNode, fallback: number): A.Argument[] {
    return (node.children.argument ?? []).map((a) => this.argument(a, fallback));
  }

  private argument(node: C.ArgumentCstNode, fallback: number): A.Argument {
    const c = node.children;
    const loc = this.nodeLoc(node, fallback);
    const argument: A.Argument = { kind: "Argument", loc };
    if (c.Colon) argument.name = this.identifier(first(c.Identifier), loc.start);
    const value = this.expression(first(c.expression));
    if (value) argument.value = value;
    return argument;
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  /**
   * A flat `operand (operator operand)*` grouped by precedence climbing (`operators.ts`).
   * After recovery the last operand may be missing; its operator then gets no right side.
   */
  private expression(node: C.ExpressionCstNode | undefined): A.Expr | undefined {
    if (!node) return undefined;
    const operands = node.children.operand ?? [];
    const written = node.children.operator;
    if (!written) return this.unaryExpression(operands[0]); // most expressions are one operand
    const operators = written.filter((t) => real(t) && isBinaryOperator(t.image));
    return this.climb({ operands, operators, next: 0 }, this.unaryExpression(operands[0]), 1);
  }

  /** Folds operators of at least `minimum` precedence, from `chain.next` on, onto `left`. */
  private climb(chain: OperatorChain, left: A.Expr | undefined, minimum: number): A.Expr | undefined {
    const { operands, operators } = chain;
    while (chain.next < operators.length && precedenceOf(operators[chain.next]) >= minimum) {
      const token = operators[chain.next];
      const operator = token.image as A.BinaryOperator;
      const level = precedenceOf(token);
      chain.next++;
      let right = this.unaryExpression(operands[chain.next]);
      while (chain.next < operators.length) {
        const following = precedenceOf(operators[chain.next]);
        if (!(following > level || (following === level && isRightAssociative(operator)))) break;
        right = this.climb(chain, right, following > level ? level + 1 : level);
      }
      const operatorLoc = this.tokenLoc(token);
      const expr: A.BinaryExpr = {
        kind: "BinaryExpr",
        operator,
        loc: this.spanLoc(left?.loc ?? operatorLoc, right?.loc ?? operatorLoc, token.startOffset),
      };
      if (left) expr.left = left;
      if (right) expr.right = right;
      left = expr;
    }
    return left;
  }

  private unaryExpression(node: C.UnaryExpressionCstNode | undefined): A.Expr | undefined {
    if (!node) return undefined;
    const c = node.children;
    const operator = real(first(c.UnaryOperator));
    if (!operator) return this.primary(first(c.primary));
    const operand = this.unaryExpression(first(c.unaryExpression));
    const expr: A.UnaryExpr = {
      kind: "UnaryExpr",
      operator: operator.image === "!" ? "!" : "-",
      loc: this.spanLoc(this.tokenLoc(operator), operand?.loc, operator.startOffset),
    };
    if (operand) expr.operand = operand;
    return expr;
  }

  private primary(node: C.PrimaryCstNode | undefined): A.Expr | undefined {
    if (!node) return undefined;
    const c = node.children;
    const number = real(first(c.NumberToken));
    if (number) {
      return {
        kind: "NumberLiteral",
        // A malformed number (`2x`, already reported) keeps its leading numeric part.
        value: number.tokenType === T.NumberLiteral ? Number(number.image) : parseFloat(number.image),
        raw: number.image,
        isInteger: !/[.eE]/.test(number.image),
        loc: this.tokenLoc(number),
      };
    }
    const string = real(first(c.StringToken));
    if (string) return this.stringLiteral(string);
    const bool = real(first(c.True)) ?? real(first(c.False));
    if (bool) return { kind: "BooleanLiteral", value: bool.image === "true", loc: this.tokenLoc(bool) };
    const name = real(first(c.Identifier));
    if (name) {
      const callee = this.identifier(name, name.startOffset);
      const args = first(c.argumentList);
      if (!args) return callee;
      const loc = this.spanLoc(callee.loc, this.nodeLoc(args, tokenEnd(name)), name.startOffset);
      return { kind: "CallExpr", callee, args: this.argumentList(args, loc.end), loc };
    }
    const list = first(c.list);
    if (list) {
      const loc = this.nodeLoc(list, 0);
      const elements: A.Expr[] = [];
      for (const element of list.children.expression ?? []) {
        const built = this.expression(element);
        if (built) elements.push(built);
      }
      return { kind: "ListExpr", elements, loc };
    }
    const group = first(c.parenthesized);
    if (group) return this.expression(first(group.children.expression));
    return undefined;
  }

  private stringLiteral(token: IToken): A.StringLiteral {
    const raw = token.image;
    const closed = token.tokenType === T.StringLiteral;
    const inner = raw.slice(1, closed ? -1 : undefined);
    return {
      kind: "StringLiteral",
      value: inner.replace(/\\([\s\S])/g, "$1"),
      raw,
      loc: this.tokenLoc(token),
    };
  }
}
