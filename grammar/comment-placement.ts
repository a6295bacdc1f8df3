/**
 * Where comments go when Prettier attaches them to the AST.
 *
 * Prettier's default attaches a comment to the nearest preceding or following node. In `.sim`
 * that default misplaces a few kinds of comment, and these rules take over for them:
 *
 * - Statement lists are arrays, not nodes: a comment in an empty body would become a trailing
 *   comment of the section's name and leave the braces; one after a residual body's last
 *   statement would slide into the shortcut. The rules find the brace-delimited region (body,
 *   shortcut, else branch, …) holding the comment and attach it inside that region, to a
 *   statement or as a dangling comment of the owner marked with the region's key, which the
 *   printer uses to put it back between the right braces.
 * - A line comment inside a one-line construct (`fcn // c` `as g`, `units: // c` `3`) would
 *   have code printed after it; it moves above the construct.
 * - A comment right after `(` (`dense( // c`) leads the first argument, inside the group.
 * - Comments around commas and in an import stay with the element they follow, in order.
 */
import { util } from "prettier";
import type { Comment, Node } from "./ast.js";
import { childrenOf } from "./visitor.js";

/** A comment as Prettier decorates it while attaching. */
export interface AttachedComment extends Comment {
  leading?: boolean;
  trailing?: boolean;
  printed?: boolean;
  /** For dangling comments: the body key they belong to (`body`, `shortcut`, `else`, `args`, …). */
  marker?: string;
  enclosingNode?: Node;
  precedingNode?: Node;
  followingNode?: Node;
}

/** A body of statements or items between braces, and the offsets of those braces. */
interface Region {
  key: string;
  nodes: readonly Node[];
  open: number;
  close: number;
}

/**
 * Offset of the first `char` at or after `from` that is not inside a comment, or -1. Only used
 * on stretches of text that hold no strings (between a header and its brace).
 */
function findOutsideComments(text: string, from: number, char: string): number {
  let i = from;
  while (i < text.length) {
    if (text.startsWith("//", i)) {
      const end = text.slice(i).search(/[\r\n]/);
      if (end < 0) return -1;
      i += end;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) return -1;
      i = end + 2;
    } else if (text[i] === char) {
      return i;
    } else {
      i++;
    }
  }
  return -1;
}

/** The region delimited by the first `{` after `from` and its `}`. */
function region(text: string, key: string, nodes: readonly Node[] | undefined, from: number): Region | undefined {
  const open = findOutsideComments(text, from, "{");
  if (open < 0) return undefined;
  const list = nodes ?? [];
  const last = list[list.length - 1];
  const close = findOutsideComments(text, last ? last.loc.end : open + 1, "}");
  return close < 0 ? undefined : { key, nodes: list, open, close };
}

/** The brace-delimited regions of a node, in source order. */
function regionsOf(node: Node, text: string): Region[] {
  const found: (Region | undefined)[] = [];
  switch (node.kind) {
    case "BlockDecl": {
      const header = node.params[node.params.length - 1] ?? node.name;
      found.push(region(text, "body", node.body, header.loc.end));
      break;
    }
    case "ModelDecl": {
      const header = node.params[node.params.length - 1] ?? node.name;
      found.push(region(text, "items", node.items, header.loc.end));
      break;
    }
    case "Section":
      found.push(region(text, "body", node.body, node.key.loc.end));
      break;
    case "ResidualStatement": {
      const body = region(text, "body", node.body, node.loc.start);
      found.push(body);
      if (node.shortcut && body) found.push(region(text, "shortcut", node.shortcut, body.close + 1));
      break;
    }
    case "RepeatStatement": {
      const header = node.to ?? node.count ?? node.from ?? node.variable;
      found.push(region(text, "body", node.body, header ? header.loc.end : node.loc.start));
      break;
    }
    case "IfStatement": {
      const then = region(text, "then", node.then, node.condition ? node.condition.loc.end : node.loc.start);
      found.push(then);
      if (node.else && then) found.push(region(text, "else", node.else, then.close + 1));
      break;
    }
    default:
      break;
  }
  return found.filter((r): r is Region => r !== undefined);
}

/**
 * A comment on the line of the node before it, between two siblings. Returns false (Prettier's
 * default) unless one of two cases applies.
 */
function placeBetweenSiblings(comment: AttachedComment, text: string): boolean {
  const { precedingNode, followingNode } = comment;
  if (!precedingNode || !followingNode || util.hasNewline(text, comment.loc.start, { backwards: true })) return false;
  // An earlier comment between the two went to `followingNode`; this one must follow it there,
  // or the two would swap.
  const attached = (followingNode as { comments?: AttachedComment[] }).comments ?? [];
  if (attached.some((c) => c.leading && c.loc.start < comment.loc.start)) {
    util.addLeadingComment(followingNode, comment);
    return true;
  }
  // `a /* c */, b` or `a // c` + `, b`: the comment is still with `a`.
  const comma = findOutsideComments(text, comment.loc.end, ",");
  if (comma >= 0 && comma < followingNode.loc.start) {
    util.addTrailingComment(precedingNode, comment);
    return true;
  }
  return false;
}

/** Whether a comment sits between a block's `(` and `)`. */
function insideParameterList(owner: Node, comment: AttachedComment, text: string): boolean {
  if ((owner.kind !== "BlockDecl" && owner.kind !== "ModelDecl") || owner.params.length === 0) return false;
  const open = findOutsideComments(text, owner.name.loc.end, "(");
  const close = findOutsideComments(text, owner.params[owner.params.length - 1].loc.end, ")");
  return open >= 0 && close >= 0 && open < comment.loc.start && comment.loc.start < close;
}

/**
 * Comments in an import: after the last name (before `}` or `from`) they stay in the list;
 * between the path and `;` they go where they would be without the `;` (after the import, or
 * above what follows it).
 */
function placeInImport(comment: AttachedComment, node: Node & { kind: "ImportDecl" }, text: string, root: Node): boolean {
  const last = node.specifiers[node.specifiers.length - 1];
  if (comment.loc.end <= node.source.loc.start) {
    if (comment.followingNode?.kind === "ImportSpecifier") return placeBetweenSiblings(comment, text);
    if (!last || comment.loc.start < last.loc.end) return false;
    util.addTrailingComment(last, comment);
    return true;
  }
  if (util.hasNewline(text, comment.loc.start, { backwards: true })) {
    const siblings = childrenOf(root);
    const next = siblings[siblings.indexOf(node) + 1];
    if (next) {
      util.addLeadingComment(next, comment);
      return true;
    }
  }
  util.addTrailingComment(node, comment);
  return true;
}

/**
 * `dense( // c` + `units: 3)`: the default would attach the comment to `dense`, outside the
 * argument group, and print it after `)`. It leads the first argument (or parameter) instead.
 */
function afterOpeningParenthesis(comment: AttachedComment, text: string): boolean {
  const node = comment.enclosingNode;
  const first = node?.kind === "CallExpr" ? node.args[0] : node?.kind === "BlockDecl" || node?.kind === "ModelDecl" ? node.params[0] : undefined;
  if (!node || !first || comment.followingNode !== first || !comment.precedingNode) return false;
  const open = findOutsideComments(text, comment.precedingNode.loc.end, "(");
  if (open < 0 || open > comment.loc.start) return false;
  util.addLeadingComment(first, comment);
  return true;
}

/** A comment inside the parentheses or brackets of a call or list with no arguments. */
function emptyDelimited(comment: AttachedComment): boolean {
  const node = comment.enclosingNode;
  if (node?.kind === "CallExpr" && node.args.length === 0 && comment.loc.start > node.callee.loc.end) {
    util.addDanglingComment(node, comment, "args");
    return true;
  }
  if (node?.kind === "ListExpr" && node.elements.length === 0) {
    util.addDanglingComment(node, comment, "elements");
    return true;
  }
  return false;
}

/** Nodes printed on one line whose parts a line comment must not split (`fcn // c` `as g`). */
const inlineKinds = new Set<Node["kind"]>([
  "ImportSpecifier",
  "ParamDecl",
  "Argument",
  "Property",
  "BinaryExpr",
  "UnaryExpr",
  "EnumType",
]);

/** The nodes whose span contains the comment, outermost first. */
function containing(root: Node, comment: AttachedComment): Node[] {
  const chain: Node[] = [];
  let node: Node | undefined = root;
  while (node) {
    chain.push(node);
    node = childrenOf(node).find((c) => c.loc.start < comment.loc.start && comment.loc.end <= c.loc.end);
  }
  return chain;
}

/**
 * A line comment inside a one-line construct (between `fcn` and `as`, after `x:`, between `a`
 * and `+ b`, between a callee and its `(`) cannot stay there: the printer would put code after
 * it on the same line. It moves above the outermost such construct, or above the `repeat`/`if`
 * whose header holds it.
 */
function inlineOwner(comment: AttachedComment, root: Node, text: string): Node | undefined {
  const chain = containing(root, comment);
  let index = chain.length - 1;
  const deepest = chain[index];
  if ((deepest.kind === "RepeatStatement" || deepest.kind === "IfStatement") && inHeader(deepest, comment, text)) {
    return deepest;
  }
  const beforeArguments =
    deepest.kind === "CallExpr" && findOutsideComments(text, deepest.callee.loc.end, "(") > comment.loc.start;
  if (!inlineKinds.has(deepest.kind) && !beforeArguments) return undefined;
  while (index > 0 && inlineKinds.has(chain[index - 1].kind)) index--;
  const parent = chain[index - 1];
  if (parent && (parent.kind === "RepeatStatement" || parent.kind === "IfStatement") && inHeader(parent, comment, text)) {
    return parent;
  }
  return chain[index];
}

function inHeader(node: Node, comment: AttachedComment, text: string): boolean {
  const first = regionsOf(node, text)[0];
  return first !== undefined && comment.loc.end <= first.open;
}

/**
 * Attaches a comment that Prettier's default would misplace; returns false to leave it to the
 * default (between two statements of the same body, between arguments, …).
 */
export function placeComment(comment: AttachedComment, text: string, root: Node): boolean {
  if (emptyDelimited(comment) || afterOpeningParenthesis(comment, text)) return true;
  const enclosing = comment.enclosingNode;
  if (enclosing?.kind === "ImportDecl") return placeInImport(comment, enclosing, text, root);
  if (placeBetweenSiblings(comment, text)) return true;
  if (comment.style === "line") {
    const owner = inlineOwner(comment, root, text);
    if (owner) {
      util.addLeadingComment(owner, comment);
      return true;
    }
  }
  const owner = comment.enclosingNode;
  if (!owner) return false;
  const regions = regionsOf(owner, text);
  if (regions.length === 0) return false;
  const start = comment.loc.start;
  const inside = regions.find((r) => r.open < start && start < r.close);

  if (!inside) {
    const [first] = regions;
    if (start < first.open && !insideParameterList(owner, comment, text)) {
      // In a header, just before the body (`model m // c` `{`): keep it at the body's top.
      util.addDanglingComment(owner, comment, first.key);
      return true;
    }
    // Inside a parameter list, or between bodies (`} // c` before `else`): never let it slide
    // into the following body.
    const next = comment.followingNode;
    const intoBody = next !== undefined && regions.some((r) => r.nodes.includes(next));
    if (intoBody && comment.precedingNode) {
      util.addTrailingComment(comment.precedingNode, comment);
      return true;
    }
    return false;
  }

  const preceding = [...inside.nodes].reverse().find((n) => n.loc.end <= start);
  const following = inside.nodes.find((n) => n.loc.start >= comment.loc.end);
  if (preceding && following) {
    // Both neighbours are statements of this body: the default chooses between them well, but
    // only if it saw the same neighbours.
    if (comment.precedingNode === preceding && comment.followingNode === following) return false;
    if (util.hasNewline(text, start, { backwards: true })) util.addLeadingComment(following, comment);
    else util.addTrailingComment(preceding, comment);
    return true;
  }
  if (following) {
    // Only comments can precede it in this body: on the same line, it stays after the `{`.
    const sameLineAsBrace = !util.hasNewline(text, start, { backwards: true });
    if (sameLineAsBrace) util.addDanglingComment(owner, comment, inside.key);
    else util.addLeadingComment(following, comment);
    return true;
  }
  if (preceding) {
    util.addTrailingComment(preceding, comment);
    return true;
  }
  util.addDanglingComment(owner, comment, inside.key);
  return true;
}
