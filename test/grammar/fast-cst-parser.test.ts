import type { CstNode, IToken } from "chevrotain";
import { describe, expect, it } from "vitest";
import { cstChildrenPrototype } from "../../grammar/fast-cst-parser.js";
import { parseTokens } from "../../grammar/parser.js";
import { tokenize } from "../../grammar/tokens.js";

function nodes(node: CstNode): CstNode[] {
  const found = [node];
  for (const children of Object.values(node.children) as (CstNode | IToken)[][]) {
    for (const child of children) if ("children" in child) found.push(...nodes(child));
  }
  return found;
}

describe("FastCstParser", () => {
  it("builds every CST node's children on the empty prototype (Chevrotain still calls the override)", () => {
    const { cst, errors } = parseTokens(tokenize("block b(n: int = 2) { dense(n) }\nmodel m { input: [4] basis { b(n: 3) } }").tokens);
    expect(errors).toEqual([]);
    const all = nodes(cst);
    expect(all.length).toBeGreaterThan(20);
    for (const node of all) expect(Object.getPrototypeOf(node.children)).toBe(cstChildrenPrototype);
  });

  it("keeps children free of inherited names", () => {
    const { cst } = parseTokens(tokenize("model m { x: 1 }").tokens);
    expect("constructor" in cst.children).toBe(false);
    expect("toString" in cst.children).toBe(false);
    expect(Object.keys(cst.children)).toEqual(["modelDecl"]);
  });
});
