/**
 * One traversal engine for every AST consumer (checker, linter, formatter), in the style of
 * graphql-js: `childKeys` lists, per node kind, the fields holding child nodes in source order,
 * and `visit` walks them calling `enter`/`leave` (generic or per kind).
 *
 * `enter` may return `false` to skip the node's children (its `leave` is then not called) or
 * `BREAK` to stop the whole traversal. Comments are not children: they live in
 * `Document.comments`.
 */
import type { Node, NodeKind } from "./ast.js";

/** The node type of a kind: `NodeOfKind<"CallExpr">` is `CallExpr`. */
export type NodeOfKind<K extends NodeKind> = Extract<Node, { kind: K }>;

/** Fields of a node that can hold child nodes (a node, a list of nodes, or nothing). */
type ChildKey<N> = {
  [F in keyof N]-?: NonNullable<N[F]> extends Node | readonly Node[] ? (F extends "loc" ? never : F) : never;
}[keyof N];

export const childKeys: { readonly [K in NodeKind]: readonly ChildKey<NodeOfKind<K>>[] } = {
  Document: ["imports", "declarations"],
  ImportDecl: ["specifiers", "source"],
  ImportSpecifier: ["imported", "local"],
  BlockDecl: ["name", "params", "body"],
  ParamDecl: ["name", "type", "default"],
  NamedType: [],
  EnumType: ["members"],
  ModelDecl: ["name", "params", "items"],
  Property: ["key", "value"],
  Section: ["key", "body"],
  CallStatement: ["call"],
  ResidualStatement: ["body", "shortcut"],
  RepeatStatement: ["variable", "count", "from", "to", "body"],
  IfStatement: ["condition", "then", "else"],
  Argument: ["name", "value"],
  NumberLiteral: [],
  StringLiteral: [],
  BooleanLiteral: [],
  Identifier: [],
  ListExpr: ["elements"],
  CallExpr: ["callee", "args"],
  BinaryExpr: ["left", "right"],
  UnaryExpr: ["operand"],
};

/** The child nodes of a node, in source order. */
export function childrenOf(node: Node): Node[] {
  const children: Node[] = [];
  const record = node as unknown as Record<string, Node | readonly Node[] | undefined>;
  for (const key of childKeys[node.kind] as readonly string[]) {
    const value = record[key];
    if (Array.isArray(value)) children.push(...(value as readonly Node[]));
    else if (value) children.push(value as Node);
  }
  return children;
}

/** Returned by `enter` to stop the traversal. */
export const BREAK: unique symbol = Symbol("BREAK");

/** What a handler may return: nothing, `false` (skip children) or `BREAK`. */
export type VisitResult = void | false | typeof BREAK;

export type EnterLeave<N extends Node> = (node: N, parent: Node | undefined, ancestors: readonly Node[]) => VisitResult;

export type KindVisitor = {
  [K in NodeKind]?: EnterLeave<NodeOfKind<K>> | { enter?: EnterLeave<NodeOfKind<K>>; leave?: EnterLeave<NodeOfKind<K>> };
};

export interface Visitor extends KindVisitor {
  /** Called for every node before its children. */
  enter?: EnterLeave<Node>;
  /** Called for every node after its children. */
  leave?: EnterLeave<Node>;
}

function handlers(visitor: Visitor, kind: NodeKind): { enter?: EnterLeave<Node>; leave?: EnterLeave<Node> } {
  const specific = (visitor as Record<string, unknown>)[kind] as
    | EnterLeave<Node>
    | { enter?: EnterLeave<Node>; leave?: EnterLeave<Node> }
    | undefined;
  if (typeof specific === "function") return { enter: specific };
  return { enter: specific?.enter, leave: specific?.leave };
}

/**
 * Walks `root` depth-first in source order. For each node: the generic `enter`, then the
 * kind's `enter`; the children; then the kind's `leave`, then the generic `leave`.
 */
export function visit(root: Node, visitor: Visitor): void {
  const ancestors: Node[] = [];

  const walk = (node: Node): boolean => {
    const parent = ancestors[ancestors.length - 1];
    const own = handlers(visitor, node.kind);
    for (const enter of [visitor.enter, own.enter]) {
      const result = enter?.(node, parent, ancestors);
      if (result === BREAK) return false;
      if (result === false) return true;
    }
    ancestors.push(node);
    for (const child of childrenOf(node)) {
      if (!walk(child)) return false;
    }
    ancestors.pop();
    for (const leave of [own.leave, visitor.leave]) {
      if (leave?.(node, parent, ancestors) === BREAK) return false;
    }
    return true;
  };

  walk(root);
}
