/**
 * A trial's spec: the original text with the sampled values written in place — a model
 * parameter's default, a train setting's value (added to `train { … }` when the spec leaves it
 * to its default), the optimizer's `lr` — so the trial trains exactly what a person would get by
 * editing the spec, and the best trial's spec is a file anyone can check, train and diff.
 * Edits apply one at a time, each on a fresh parse of the previous result.
 */
import type { Argument, Expr, ModelDecl, Property, Section } from "../grammar/ast.js";
import { parseDocument } from "../grammar/parse.js";
import type { SearchDimension } from "../compiler/search-spec.js";
import { RUNTIME_CODES } from "../core/codes/runtime.js";
import { CodedFailure } from "../core/failure.js";
import type { Assignment } from "./space.js";

export class SubstitutionError extends CodedFailure {
  constructor(message: string) {
    super(RUNTIME_CODES.searchSpec, message);
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function apply(text: string, edit: Edit): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

function findModel(text: string, file: string, model: string): ModelDecl {
  const { document } = parseDocument(text, file);
  const decl = document.declarations.find((d): d is ModelDecl => d.kind === "ModelDecl" && d.name.name === model);
  if (!decl) throw new SubstitutionError(`${file}: no model named '${model}'`);
  return decl;
}

function trainSection(decl: ModelDecl, file: string): Section {
  const section = decl.items.find((item): item is Section => item.kind === "Section" && item.key.name === "train");
  if (!section) throw new SubstitutionError(`${file}: model '${decl.name.name}' has no train section to write the sampled values into`);
  return section;
}

function setting(section: Section, key: string): Property | undefined {
  return section.body.find((s): s is Property => s.kind === "Property" && s.key.name === key);
}

/** Adds `key: value` as the section's last line. */
function insertSetting(section: Section, key: string, value: string): Edit {
  const close = section.loc.end - 1;
  return { start: close, end: close, text: `  ${key}: ${value}\n  ` };
}

function replaceExpr(expr: Expr, text: string): Edit {
  return { start: expr.loc.start, end: expr.loc.end, text };
}

/** `adam(lr: 3e-3)` → `adam(lr: X)`; `adam` → `adam(lr: X)`; a positional first argument is lr. */
function lrEdit(section: Section, value: string, source: string): Edit {
  const optimizer = setting(section, "optimizer");
  if (!optimizer?.value) return insertSetting(section, "optimizer", `adam(lr: ${value})`);
  const expr = optimizer.value;
  if (expr.kind === "Identifier") return replaceExpr(expr, `${expr.name}(lr: ${value})`);
  if (expr.kind !== "CallExpr") throw new SubstitutionError(`cannot set lr in optimizer '${source.slice(expr.loc.start, expr.loc.end)}'`);
  const named = expr.args.find((a) => a.name?.name === "lr");
  const positional = expr.args[0] && !expr.args[0].name ? expr.args[0] : undefined;
  const target: Argument | undefined = named ?? positional;
  if (target?.value) return replaceExpr(target.value, value);
  const others = expr.args.map((a) => source.slice(a.loc.start, a.loc.end));
  return { start: expr.loc.start, end: expr.loc.end, text: `${expr.callee.name}(${[`lr: ${value}`, ...others].join(", ")})` };
}

function editFor(text: string, file: string, model: string, dimension: SearchDimension, value: string): Edit {
  const decl = findModel(text, file, model);
  if (dimension.target === "parameter") {
    const param = decl.params.find((p) => p.name.name === dimension.name);
    if (!param?.default) throw new SubstitutionError(`${file}: model '${model}' has no parameter '${dimension.name}' with a default`);
    return replaceExpr(param.default, value);
  }
  const section = trainSection(decl, file);
  if (dimension.name === "lr") return lrEdit(section, value, text);
  const existing = setting(section, dimension.name);
  return existing?.value ? replaceExpr(existing.value, value) : insertSetting(section, dimension.name, value);
}

/** The spec text with every sampled value written in (unformatted). */
export function substitute(text: string, file: string, model: string, dimensions: readonly SearchDimension[], assignment: Assignment): string {
  let result = text;
  for (const dimension of dimensions) {
    const candidate = assignment[dimension.name];
    if (candidate) result = apply(result, editFor(result, file, model, dimension, candidate.text));
  }
  return result;
}
