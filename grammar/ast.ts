/**
 * The typed AST of a `.sim` document.
 *
 * Every node has a `kind` discriminant and a `loc` (1-based line/column, 0-based offsets,
 * `end` exclusive). The CST→AST builder (`build-ast.ts`) produces it; everything after the
 * parser (binder, checker, lowering, formatter, linter) reads only this.
 *
 * Recovered parses may yield partial nodes: optional fields are `undefined` and identifiers
 * may carry the empty name `""`. Consumers must tolerate both.
 */

import type { SourceLocation } from "../core/location.js";

export type { SourceLocation };

interface NodeBase {
  loc: SourceLocation;
}

export interface Comment extends NodeBase {
  kind: "Comment";
  /** `line` for `// …` (and doc comments `/// …`), `block` for `/* … *\/`. */
  style: "line" | "block";
  /** The full text including the comment markers. */
  text: string;
}

export interface Document extends NodeBase {
  kind: "Document";
  imports: ImportDecl[];
  declarations: Declaration[];
  /** Every comment in the file, in source order (doc comments included). */
  comments: Comment[];
}

export type Declaration = BlockDecl | ModelDecl;

/** `import { a, b as c } from "std/vgg";` */
export interface ImportDecl extends NodeBase {
  kind: "ImportDecl";
  specifiers: ImportSpecifier[];
  source: StringLiteral;
}

export interface ImportSpecifier extends NodeBase {
  kind: "ImportSpecifier";
  imported: Identifier;
  /** Local alias (`as c`); absent when the imported name is used as is. */
  local?: Identifier;
}

/** `/// doc\nblock name(p: int = 3, …) { statements }` */
export interface BlockDecl extends NodeBase {
  kind: "BlockDecl";
  name: Identifier;
  params: ParamDecl[];
  body: Statement[];
  /** Text of the `///` doc comment lines directly above, markers stripped, joined by "\n". */
  doc?: string;
}

/** `name: type = default` */
export interface ParamDecl extends NodeBase {
  kind: "ParamDecl";
  name: Identifier;
  type?: TypeRef;
  default?: Expr;
}

export type TypeRef = NamedType | EnumType;

/** `int`, `float`, `bool`, `string`, `shape` */
export interface NamedType extends NodeBase {
  kind: "NamedType";
  name: string;
}

/** `gauss | laplace`: one of the listed identifiers. */
export interface EnumType extends NodeBase {
  kind: "EnumType";
  members: Identifier[];
}

/** `/// doc\nmodel name { items }` */
export interface ModelDecl extends NodeBase {
  kind: "ModelDecl";
  name: Identifier;
  items: ModelItem[];
  doc?: string;
}

/** A model's body holds properties (`input: [28, 28, 1]`) and sections (`basis { … }`). */
export type ModelItem = Property | Section;

/** `key: value` */
export interface Property extends NodeBase {
  kind: "Property";
  key: Identifier;
  value?: Expr;
}

/** `key { statements }` — layer sequences (basis, surrogate, head) or settings (deq, train). */
export interface Section extends NodeBase {
  kind: "Section";
  key: Identifier;
  body: Statement[];
}

export type Statement = CallStatement | Property | ResidualStatement | RepeatStatement | IfStatement;

/** A layer or block application used as a statement: `dense(units: 32)`. */
export interface CallStatement extends NodeBase {
  kind: "CallStatement";
  call: CallExpr;
}

/**
 * `residual { body } shortcut { branch }` — output is body(x) + branch(x);
 * a missing or empty shortcut is the identity (the TCN temporal block).
 */
export interface ResidualStatement extends NodeBase {
  kind: "ResidualStatement";
  body: Statement[];
  shortcut?: Statement[];
}

/**
 * `repeat 2 { … }` or `repeat i in 0..8 { … }` (half-open range, `i` bound in the body).
 */
export interface RepeatStatement extends NodeBase {
  kind: "RepeatStatement";
  variable?: Identifier;
  /** Count form: `repeat N`. */
  count?: Expr;
  /** Range form: `repeat i in from..to`. */
  from?: Expr;
  to?: Expr;
  body: Statement[];
}

/** `if cond { … } else { … }` — evaluated at check time on block arguments. */
export interface IfStatement extends NodeBase {
  kind: "IfStatement";
  condition?: Expr;
  then: Statement[];
  else?: Statement[];
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | BooleanLiteral
  | Identifier
  | ListExpr
  | CallExpr
  | BinaryExpr
  | UnaryExpr;

export interface NumberLiteral extends NodeBase {
  kind: "NumberLiteral";
  value: number;
  /** The source spelling (`1e-3`, `0.5`, `24`), kept for the formatter. */
  raw: string;
  /** True when spelled without `.` or exponent. */
  isInteger: boolean;
}

export interface StringLiteral extends NodeBase {
  kind: "StringLiteral";
  /** Unescaped value. */
  value: string;
  raw: string;
}

export interface BooleanLiteral extends NodeBase {
  kind: "BooleanLiteral";
  value: boolean;
}

/** A name: a reference to a parameter or loop variable, an enum value, or a declared name. */
export interface Identifier extends NodeBase {
  kind: "Identifier";
  name: string;
}

/** `[28, 28, 1]` — shapes and lists. */
export interface ListExpr extends NodeBase {
  kind: "ListExpr";
  elements: Expr[];
}

/** `name(arg, key: value, …)` — layers, blocks, and configured values like `adam(lr: 1e-3)`. */
export interface CallExpr extends NodeBase {
  kind: "CallExpr";
  callee: Identifier;
  args: Argument[];
}

/** A positional (`24`) or named (`channels: 24`) argument. */
export interface Argument extends NodeBase {
  kind: "Argument";
  name?: Identifier;
  value?: Expr;
}

export type BinaryOperator = "+" | "-" | "*" | "/" | "%" | "**" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "&&" | "||";

export interface BinaryExpr extends NodeBase {
  kind: "BinaryExpr";
  operator: BinaryOperator;
  left?: Expr;
  right?: Expr;
}

export type UnaryOperator = "-" | "!";

export interface UnaryExpr extends NodeBase {
  kind: "UnaryExpr";
  operator: UnaryOperator;
  operand?: Expr;
}

export type Node =
  | Document
  | ImportDecl
  | ImportSpecifier
  | BlockDecl
  | ParamDecl
  | NamedType
  | EnumType
  | ModelDecl
  | Property
  | Section
  | CallStatement
  | ResidualStatement
  | RepeatStatement
  | IfStatement
  | Argument
  | Expr;

export type NodeKind = Node["kind"];
