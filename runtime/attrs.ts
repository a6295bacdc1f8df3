/**
 * Typed reads of IR attribute values. The IR is checked when it is parsed, so a missing or
 * ill-typed attribute here is an internal inconsistency: the error names the node and attribute.
 */
import type { AttrValue, IRNode } from "../ir/types.js";

export class IRAttributeError extends Error {}

function fail(node: IRNode, key: string, expected: string): never {
  throw new IRAttributeError(`IR node '${node.id}' (${node.op}): attribute '${key}' should be ${expected}`);
}

export function numberAttr(node: IRNode, key: string, fallback?: number): number {
  const value = node.attrs[key];
  if (typeof value === "number") return value;
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  return fail(node, key, "a number");
}

export function stringAttr(node: IRNode, key: string, fallback?: string): string {
  const value = node.attrs[key];
  if (typeof value === "string") return value;
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  return fail(node, key, "a string");
}

export function booleanAttr(node: IRNode, key: string, fallback: boolean): boolean {
  const value = node.attrs[key];
  if (typeof value === "boolean") return value;
  if (value === undefined || value === null) return fallback;
  return fail(node, key, "true or false");
}

/** A number list; a bare number `n` reads as `[n, …]` of the requested length. */
export function numberListAttr(node: IRNode, key: string, length: number, fallback?: number[]): number[] {
  const value: AttrValue | undefined = node.attrs[key];
  if (typeof value === "number") return Array.from({ length }, () => value);
  if (Array.isArray(value) && value.every((v) => typeof v === "number")) {
    const list = value as number[];
    if (list.length === length) return list;
    if (list.length === 1) return Array.from({ length }, () => list[0]);
  }
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  return fail(node, key, `a list of ${length} numbers`);
}
