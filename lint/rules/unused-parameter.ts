import type { BlockDecl, Node } from "../../grammar/ast.js";
import { identifierRole } from "../ast-query.js";
import type { LintRule } from "../types.js";

/** The block a reference to `name` at this position resolves to, unless a loop variable binds it first. */
function bindingBlock(ancestors: readonly Node[], name: string): BlockDecl | undefined {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i];
    if (a.kind === "RepeatStatement" && a.variable?.name === name) return undefined;
    if (a.kind === "BlockDecl") return a;
  }
  return undefined;
}

export const unusedParameter: LintRule = {
  id: "unused-parameter",
  defaultSeverity: "warn",
  docs: {
    description:
      "Reports a block parameter that the block's body (and its other parameters' defaults) never reads. Callers can " +
      "still pass it, and nothing happens: a `kernel: 5` that has no effect is a silent mistake in the model.",
  },
  create(context) {
    const reads = new Map<BlockDecl, Set<string>>();
    return {
      visitor: {
        Identifier(node) {
          const ancestors = context.ancestors();
          if (identifierRole(node, ancestors[ancestors.length - 1]) !== "reference") return;
          const block = bindingBlock(ancestors, node.name);
          if (!block) return;
          const set = reads.get(block) ?? new Set<string>();
          set.add(node.name);
          reads.set(block, set);
        },
        BlockDecl: {
          leave(block) {
            const read = reads.get(block) ?? new Set<string>();
            for (const param of block.params) {
              const name = param.name.name;
              if (name === "" || read.has(name)) continue;
              context.report({
                node: param.name,
                message: `parameter '${name}' of block '${block.name.name}' is never used`,
                hint: "use it in the block's body or remove it",
              });
            }
          },
        },
      },
    };
  },
};
