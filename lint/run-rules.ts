/**
 * Runs a set of rules over one parsed file in a single traversal: every rule's visitor is
 * merged into one dispatch table, and model checks run when the traversal enters the model's
 * declaration. Pure: text, AST and checked models in, diagnostics out.
 */
import type { Document, ModelDecl, Node, NodeKind } from "../grammar/ast.js";
import { visit } from "../grammar/visitor.js";
import type { CheckedModel } from "../compiler/checked-model.js";
import type { LintDiagnostic, LintReport, LintRule, RuleContext, RuleSeverity } from "./types.js";
import { lintCode } from "./types.js";

export interface EnabledRule {
  rule: LintRule;
  severity: RuleSeverity;
}

export interface RuleInput {
  file: string;
  text: string;
  document: Document;
  /** The checker's models for this file (empty when it rejected them). */
  models: readonly CheckedModel[];
  rules: readonly EnabledRule[];
}

type AnyHandler = (node: Node) => void;

export function runRules(input: RuleInput): LintDiagnostic[] {
  const diagnostics: LintDiagnostic[] = [];
  const ancestors: Node[] = [];
  const enter = new Map<NodeKind, AnyHandler[]>();
  const leave = new Map<NodeKind, AnyHandler[]>();
  const modelChecks: ((model: CheckedModel, decl: ModelDecl) => void)[] = [];

  const add = (table: Map<NodeKind, AnyHandler[]>, kind: NodeKind, handler: AnyHandler) => {
    const list = table.get(kind) ?? [];
    list.push(handler);
    table.set(kind, list);
  };

  for (const { rule, severity } of input.rules) {
    const context: RuleContext = {
      file: input.file,
      text: input.text,
      document: input.document,
      ancestors: () => ancestors.slice(0, -1),
      report(report: LintReport) {
        const loc = report.loc ?? report.node?.loc ?? input.document.loc;
        diagnostics.push({
          code: lintCode(rule.id),
          rule: rule.id,
          severity: severity === "error" ? "error" : "warning",
          file: input.file,
          loc,
          message: report.message,
          ...(report.hint ? { hint: report.hint } : {}),
          ...(report.fix ? { fix: report.fix } : {}),
        });
      },
    };
    const listeners = rule.create(context);
    for (const [kind, handler] of Object.entries(listeners.visitor ?? {})) {
      if (typeof handler === "function") add(enter, kind as NodeKind, handler as AnyHandler);
      else if (handler) {
        if (handler.enter) add(enter, kind as NodeKind, handler.enter as AnyHandler);
        if (handler.leave) add(leave, kind as NodeKind, handler.leave as AnyHandler);
      }
    }
    if (listeners.model) modelChecks.push(listeners.model);
  }

  const modelsByName = new Map(input.models.map((m) => [m.name, m]));
  visit(input.document, {
    enter(node: Node) {
      ancestors.push(node);
      for (const handler of enter.get(node.kind) ?? []) handler(node);
      if (node.kind === "ModelDecl") {
        const model = modelsByName.get(node.name.name);
        if (model) for (const check of modelChecks) check(model, node);
      }
    },
    leave(node: Node) {
      for (const handler of leave.get(node.kind) ?? []) handler(node);
      ancestors.pop();
    },
  });
  return diagnostics;
}
