import type { ImportDecl, ImportSpecifier } from "../../grammar/ast.js";
import { identifierRole } from "../ast-query.js";
import { removeImport, removeSpecifier } from "../text-edits.js";
import type { Fix, LintRule } from "../types.js";

export const unusedImport: LintRule = {
  id: "unused-import",
  defaultSeverity: "warn",
  fixable: true,
  docs: {
    description:
      "Reports an imported name that nothing in the file applies or refers to. Unused imports make a spec look as if it " +
      "depended on blocks it does not use and still cost a module resolution on every check. `simc lint --fix` removes " +
      "the name, or the whole import when none of its names is used.",
  },
  create(context) {
    const used = new Set<string>();
    const imports: ImportDecl[] = [];
    return {
      visitor: {
        ImportDecl(node) {
          imports.push(node);
        },
        Identifier(node) {
          const ancestors = context.ancestors();
          if (ancestors.some((a) => a.kind === "ImportDecl")) return;
          const role = identifierRole(node, ancestors[ancestors.length - 1]);
          if (role === "callee" || role === "reference") used.add(node.name);
        },
        Document: {
          leave() {
            for (const decl of imports) {
              const local = (s: ImportSpecifier) => (s.local ?? s.imported).name;
              const unused = decl.specifiers.filter((s) => local(s) !== "" && !used.has(local(s)));
              for (const specifier of unused) {
                let fix: Fix | undefined;
                if (unused.length === decl.specifiers.length) {
                  fix = { description: `remove the import from "${decl.source.value}"`, edits: [removeImport(context.text, decl)] };
                } else {
                  const edit = removeSpecifier(context.text, decl, specifier);
                  if (edit) fix = { description: `remove '${local(specifier)}' from the import`, edits: [edit] };
                }
                context.report({
                  node: specifier,
                  message: `'${local(specifier)}' is imported from "${decl.source.value}" but never used`,
                  hint: "remove it from the import (simc lint --fix does this)",
                  ...(fix ? { fix } : {}),
                });
              }
            }
          },
        },
      },
    };
  },
};
