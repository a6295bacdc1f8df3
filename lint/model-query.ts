/**
 * Reading checked models for rules: typed access to evaluated settings, the layers of a part,
 * and where in this file's AST a model fact was written (checked models carry only origins).
 */
import { resolve } from "node:path";
import type { CallStatement, Document, ModelDecl, Node, Section, SourceLocation } from "../grammar/ast.js";
import type { CheckedModel, LayerInstance, Value } from "../compiler/checked-model.js";
import { allStatements, modelProperty, modelSection } from "./ast-query.js";

export function numberSetting(settings: Record<string, Value> | undefined, key: string): number | undefined {
  const v = settings?.[key];
  return typeof v === "number" ? v : undefined;
}

export function stringSetting(settings: Record<string, Value> | undefined, key: string): string | undefined {
  const v = settings?.[key];
  return typeof v === "string" ? v : undefined;
}

/**
 * Whether the DEQ form of a model is in play: the model has a `deq` section or targets the
 * DEQ by default. A SIM-only spec can still be compiled to a DEQ, but DEQ findings there
 * would be noise on every SIM.
 */
export function deqInPlay(model: CheckedModel, decl: ModelDecl): boolean {
  return model.deq !== undefined && (modelSection(decl, "deq") !== undefined || model.defaultTarget === "deq");
}

/**
 * The surrogate ϕ's layers of `op` when ϕ sits inside a derived DEQ cell that is in play
 * (none otherwise), with the `surrogate` section that locates them.
 */
export function derivedCellLayers(
  model: CheckedModel,
  decl: ModelDecl,
  op: string,
): { layers: LayerInstance[]; section: Section | undefined } {
  if (!model.deq || model.deq.cell || !deqInPlay(model, decl)) return { layers: [], section: undefined };
  const layers = [...allLayers(model.surrogate)].filter((layer) => layer.op === op);
  return { layers, section: modelSection(decl, "surrogate") };
}

/** Every layer of a part, residual branches included, in order. */
export function* allLayers(layers: readonly LayerInstance[]): Generator<LayerInstance> {
  for (const layer of layers) {
    yield layer;
    if (layer.body) yield* allLayers(layer.body);
    if (layer.shortcut) yield* allLayers(layer.shortcut);
  }
}

/** The layer or block call statement written at line:column, in a model section or a block body. */
function callStatementAt(document: Document, line: number, column: number): CallStatement | undefined {
  const bodies = document.declarations.flatMap((d) =>
    d.kind === "BlockDecl" ? [d.body] : d.items.flatMap((item) => (item.kind === "Section" ? [item.body] : [])),
  );
  for (const body of bodies) {
    for (const s of allStatements(body)) {
      if (s.kind === "CallStatement" && s.loc.line === line && s.loc.column === column) return s;
    }
  }
  return undefined;
}

/**
 * Where to point for a layer of a model part: the block application in the part's section
 * when the layer came from a block (the place the model chose it, with its arguments), else
 * the layer's own call when it was written in this file, else the section.
 */
export function layerLocation(layer: LayerInstance, file: string, document: Document, section: Section | undefined, fallback: Node): SourceLocation {
  const outer = layer.via[0];
  if (outer && section) {
    const uses = [...allStatements(section.body)].filter(
      (s): s is CallStatement => s.kind === "CallStatement" && s.call.callee.name === outer,
    );
    if (uses.length === 1) return uses[0].loc;
  }
  if (resolve(layer.origin.file) === resolve(file)) {
    const statement = callStatementAt(document, layer.origin.line, layer.origin.column);
    if (statement) return statement.loc;
  }
  return (section?.key ?? fallback).loc;
}

/** `(from block 'a' → 'b')` for layers expanded from blocks, else empty. */
export function viaText(layer: LayerInstance): string {
  return layer.via.length > 0 ? ` (from block ${layer.via.map((b) => `'${b}'`).join(" → ")})` : "";
}

/** The node that declares the model's DEQ form: the `deq` section, else `target: deq`, else the name. */
export function deqAnchor(decl: ModelDecl): Node {
  return modelSection(decl, "deq")?.key ?? modelProperty(decl, "target") ?? decl.name;
}
