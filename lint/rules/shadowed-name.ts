import type { Identifier } from "../../grammar/ast.js";
import { isLayerName } from "../known-names.js";
import type { LintRule } from "../types.js";

/** What an outer name is, for the message. */
type Outer = "block" | "import" | "layer";

export const shadowedName: LintRule = {
  id: "shadowed-name",
  defaultSeverity: "warn",
  docs: {
    description:
      "Reports a block parameter or `repeat` loop variable whose name is already taken by a block of the file, an " +
      "imported name or a built-in layer. Inside its scope the name then means two things: a reader, or a later edit that " +
      "passes it on or turns it into a call, gets the wrong one. (A loop variable that hides a parameter or another loop " +
      "variable is a checker error, SIM2022.)",
  },
  create(context) {
    const topLevel = new Map<string, Outer>();
    for (const decl of context.document.imports) {
      for (const s of decl.specifiers) topLevel.set((s.local ?? s.imported).name, "import");
    }
    for (const decl of context.document.declarations) {
      if (decl.kind === "BlockDecl") topLevel.set(decl.name.name, "block");
    }

    const check = (name: Identifier, what: "parameter" | "loop variable") => {
      if (name.name === "") return;
      const outer = topLevel.get(name.name) ?? (isLayerName(name.name) ? "layer" : undefined);
      if (!outer) return;
      context.report({
        node: name,
        message: `${what} '${name.name}' shadows the ${outer} '${name.name}'`,
        hint: `rename the ${what}`,
      });
    };

    return {
      visitor: {
        ParamDecl(node) {
          check(node.name, "parameter");
        },
        RepeatStatement(node) {
          if (node.variable) check(node.variable, "loop variable");
        },
      },
    };
  },
};
