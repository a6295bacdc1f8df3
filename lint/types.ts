/**
 * The linter's contract: what a rule is, what it sees, and what it reports.
 *
 * A rule is one file under `rules/`: an id, a default severity, one paragraph of docs and a
 * `create(context)` that returns listeners. Listeners are an AST visitor (handlers by node
 * kind, called during the file's single traversal) and/or a check over each `CheckedModel`
 * the checker produced for the file (called when the traversal enters that model's
 * declaration). Rules never print: they call `context.report`, and the engine turns reports
 * into located diagnostics with code `lint/<id>`.
 */
import type { Document, ModelDecl, Node, NodeKind, SourceLocation } from "../grammar/ast.js";
import type { CheckedModel } from "../compiler/checked-model.js";
import type { Diagnostic } from "../core/diagnostic.js";

/** How a rule's findings are reported; `off` disables it. Configured per project in `simc.json`. */
export type RuleSeverity = "warn" | "error";
export type RuleSetting = RuleSeverity | "off";

/** Replace `text.slice(start, end)` (0-based offsets, `end` exclusive) by `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** A safe, self-contained change: all of its edits are applied together or not at all. */
export interface Fix {
  description: string;
  edits: TextEdit[];
}

/** A diagnostic from the linter: lint findings carry their rule id (and a fix when one is safe). */
export interface LintDiagnostic extends Diagnostic {
  /** The rule id for lint findings; absent for syntax/checker diagnostics. */
  rule?: string;
  fix?: Fix;
}

export type NodeOfKind<K extends NodeKind> = Extract<Node, { kind: K }>;
export type NodeHandler<K extends NodeKind> = (node: NodeOfKind<K>) => void;

/** Handlers by node kind: a function (called on enter) or `{ enter, leave }` (graphql-js style). */
export type RuleVisitor = {
  [K in NodeKind]?: NodeHandler<K> | { enter?: NodeHandler<K>; leave?: NodeHandler<K> };
};

export interface RuleListeners {
  visitor?: RuleVisitor;
  /** Called for each checked model of the file, with its declaration (for locations). */
  model?: (model: CheckedModel, decl: ModelDecl) => void;
}

export interface LintReport {
  /** Where: a node's location, or an explicit location. */
  node?: Node;
  loc?: SourceLocation;
  /** What is wrong, in one sentence. */
  message: string;
  /** What would fix it. */
  hint?: string;
  fix?: Fix;
}

export interface RuleContext {
  /** The file as the user named it. */
  readonly file: string;
  readonly text: string;
  readonly document: Document;
  /** Ancestors of the node being visited, outermost first (the Document first). */
  ancestors(): readonly Node[];
  report(report: LintReport): void;
}

export interface RuleDocs {
  /** One paragraph: what the rule reports and why it matters. */
  description: string;
}

export interface LintRule {
  /** kebab-case, stable: the name used in `simc.json`, suppression comments and the diagnostic code. */
  id: string;
  defaultSeverity: RuleSeverity;
  docs: RuleDocs;
  /** True when the rule offers fixes that `simc lint --fix` applies. */
  fixable?: boolean;
  create(context: RuleContext): RuleListeners;
}

/** The diagnostic code of a rule's findings. */
export function lintCode(ruleId: string): string {
  return `lint/${ruleId}`;
}
