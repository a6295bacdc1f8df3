import { describe, expect, it } from "vitest";
import type { Node, NodeKind } from "../../grammar/ast.js";
import { parseDocument } from "../../grammar/parse.js";
import { BREAK, childKeys, childrenOf, visit } from "../../grammar/visitor.js";

const everyKind = `
import { a as b } from "std/x";
block blk(p: int = 1, e: x | y) {
  residual { dense(units: p * 2) } shortcut { relu() }
  repeat 2 { relu() }
  repeat i in 0..p { relu() }
  if !true { k: "s" } else { k: [1] }
}
model m { input: [2]; head { dense(units: -1) } }
`;

function parse(text: string): Node {
  const { document, diagnostics } = parseDocument(text, "v.sim");
  expect(diagnostics).toEqual([]);
  return document;
}

/** Whether a value is an AST node or a list of them. */
function holdsNodes(value: unknown): boolean {
  const isNode = (v: unknown) => typeof v === "object" && v !== null && "kind" in v && "loc" in v;
  return isNode(value) || (Array.isArray(value) && value.length > 0 && value.every(isNode));
}

describe("childKeys", () => {
  it("lists, for every node kind met in a document, every field holding nodes (except comments)", () => {
    const document = parse(everyKind);
    const seen = new Set<NodeKind>();
    const missing: string[] = [];
    const walk = (node: Node) => {
      seen.add(node.kind);
      const listed = new Set<string>(childKeys[node.kind] as readonly string[]);
      for (const [key, value] of Object.entries(node)) {
        if (key !== "comments" && holdsNodes(value) && !listed.has(key)) missing.push(`${node.kind}.${key}`);
      }
      childrenOf(node).forEach(walk);
    };
    walk(document);
    expect(missing).toEqual([]);
    // The sample exercises every kind, so the check above covered the whole table.
    expect([...seen].sort()).toEqual(Object.keys(childKeys).sort());
  });
});

describe("visit", () => {
  it("enters and leaves in source order, generic and per-kind handlers alike", () => {
    const document = parse(`model m { x: f(1 + 2) }`);
    const events: string[] = [];
    visit(document, {
      enter: (node) => void events.push(`enter ${node.kind}`),
      leave: (node) => void events.push(`leave ${node.kind}`),
      NumberLiteral: (node) => void events.push(`number ${node.raw}`),
      CallExpr: { leave: (node) => void events.push(`left call ${node.callee.name}`) },
    });
    expect(events).toEqual([
      "enter Document",
      "enter ModelDecl",
      "enter Identifier",
      "leave Identifier",
      "enter Property",
      "enter Identifier",
      "leave Identifier",
      "enter CallExpr",
      "enter Identifier",
      "leave Identifier",
      "enter Argument",
      "enter BinaryExpr",
      "enter NumberLiteral",
      "number 1",
      "leave NumberLiteral",
      "enter NumberLiteral",
      "number 2",
      "leave NumberLiteral",
      "leave BinaryExpr",
      "leave Argument",
      "left call f",
      "leave CallExpr",
      "leave Property",
      "leave ModelDecl",
      "leave Document",
    ]);
  });

  it("passes the parent and ancestors", () => {
    const document = parse(`block b { dense(units: 3) }`);
    const chains: string[] = [];
    visit(document, {
      NumberLiteral(node, parent, ancestors) {
        chains.push(`${ancestors.map((a) => a.kind).join(">")} | parent ${parent?.kind} | ${node.raw}`);
      },
    });
    expect(chains).toEqual(["Document>BlockDecl>CallStatement>CallExpr>Argument | parent Argument | 3"]);
  });

  it("skips a subtree when enter returns false and stops on BREAK", () => {
    const document = parse(`block a { relu() } block b { tanh() } block c { sigmoid() }`);
    const callees: string[] = [];
    visit(document, {
      BlockDecl: (node) => (node.name.name === "a" ? false : undefined),
      CallExpr(node) {
        callees.push(node.callee.name);
        if (node.callee.name === "tanh") return BREAK;
      },
    });
    expect(callees).toEqual(["tanh"]);
  });
});
