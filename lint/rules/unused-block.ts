import type { BlockDecl } from "../../grammar/ast.js";
import { identifierRole } from "../ast-query.js";
import type { LintRule } from "../types.js";

export const unusedBlock: LintRule = {
  id: "unused-block",
  defaultSeverity: "warn",
  docs: {
    description:
      "In a file that declares a model, reports a block that no model in the file applies, directly or through other " +
      "blocks. Such a block is dead code: it is never checked against real shapes, so it can silently rot. Files without " +
      "models are libraries (their blocks exist to be imported) and are not checked.",
  },
  create(context) {
    const blocks = new Map<string, BlockDecl>();
    const callsFrom = new Map<string, Set<string>>();
    const roots = new Set<string>();
    let hasModel = false;
    return {
      visitor: {
        BlockDecl(node) {
          if (node.name.name !== "" && !blocks.has(node.name.name)) blocks.set(node.name.name, node);
        },
        ModelDecl() {
          hasModel = true;
        },
        Identifier(node) {
          const ancestors = context.ancestors();
          const role = identifierRole(node, ancestors[ancestors.length - 1]);
          if (role !== "callee" && role !== "reference") return;
          const owner = ancestors.find((a) => a.kind === "BlockDecl" || a.kind === "ModelDecl");
          if (owner?.kind === "BlockDecl") {
            const set = callsFrom.get(owner.name.name) ?? new Set<string>();
            set.add(node.name);
            callsFrom.set(owner.name.name, set);
          } else if (owner?.kind === "ModelDecl") {
            roots.add(node.name);
          }
        },
        Document: {
          leave() {
            if (!hasModel) return;
            const reached = new Set<string>();
            const pending = [...roots];
            while (pending.length > 0) {
              const name = pending.pop() as string;
              if (reached.has(name) || !blocks.has(name)) continue;
              reached.add(name);
              pending.push(...(callsFrom.get(name) ?? []));
            }
            for (const [name, block] of blocks) {
              if (reached.has(name)) continue;
              context.report({
                node: block.name,
                message: `block '${name}' is never used by a model in this file`,
                hint: "apply it in a model, or remove it (move shared blocks to their own module and import them)",
              });
            }
          },
        },
      },
    };
  },
};
