/**
 * Binary operator precedence and associativity, from docs/language.md: the AST builder uses it
 * to group a flat `a + b * c` and the printer to decide which parentheses an AST needs.
 */
import type { BinaryOperator } from "./ast.js";

/** Higher binds tighter. Unary `-` and `!` bind tighter than all of these. */
export const binaryPrecedence: Readonly<Record<BinaryOperator, number>> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
  "**": 7,
};

/** `2 ** 3 ** 2` is `2 ** (3 ** 2)`; every other operator groups to the left. */
export function isRightAssociative(operator: BinaryOperator): boolean {
  return operator === "**";
}

export function isBinaryOperator(text: string): text is BinaryOperator {
  return Object.hasOwn(binaryPrecedence, text);
}
