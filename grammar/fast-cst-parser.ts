/**
 * Chevrotain's `CstParser` with cheaper CST nodes. Chevrotain makes every node's `children`
 * with `Object.create(null)`, which V8 keeps in dictionary mode: a hash table per node, slow to
 * fill and about a third of the CST's memory. Here `children` inherits from one frozen empty
 * object instead: still no inherited names (a child key can never hit `constructor` or
 * `toString`), but V8 gives it ordinary fast properties. Nodes are otherwise built as Chevrotain
 * builds them (same fields, same location tracking).
 *
 * `cstInvocationStateUpdate` is Chevrotain's internal hook that opens a node when a rule starts
 * (chevrotain/lib/src/parse/parser/traits/tree_builder.js); `test/grammar/fast-cst-parser.test.ts` checks
 * that the override is still the one in use.
 */
import { CstParser, type CstNode } from "chevrotain";

/** The prototype of every CST node's `children`: no properties, none inherited. */
export const cstChildrenPrototype: object = Object.freeze(Object.create(null));

/** The tree builder's state that the override reads (not part of Chevrotain's declared API). */
interface TreeBuilderState {
  CST_STACK: CstNode[];
  setInitialNodeLocation(node: CstNode): void;
}

export abstract class FastCstParser extends CstParser {
  /** Opens the CST node of a rule invocation (replaces Chevrotain's, see the file comment). */
  protected cstInvocationStateUpdate(fullRuleName: string): void {
    const builder = this as unknown as TreeBuilderState;
    const node: CstNode = { name: fullRuleName, children: Object.create(cstChildrenPrototype) };
    builder.setInitialNodeLocation(node);
    builder.CST_STACK.push(node);
  }
}
