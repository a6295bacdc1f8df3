/**
 * The parameters of each part of a model, and the totals per target:
 *   sim: ψ, the lift C·B (single, RFF-only), φ (frozen) and E·D (two-tier), ϕ, g
 *   deq: ψ, then the explicit cell, or φ (frozen, when the SIM has one) with the derived K and A
 *        and ϕ; then g
 * The projection and embedding shapes here are what lowering declares; their initialisers are
 * lowering's choice, so these specs serve counting and display.
 */
import { countParams, derivedCellParams } from "../vocabulary/cells.js";
import type { CellSpec, EmbedSpec, LayerInstance, LiftProjection, LiftSpec, ParamSpec, ParamTotals, Shape, SimVariant } from "./checked-model.js";
import { rffParams } from "./layers/rff.js";

export interface ModelParts {
  variant: SimVariant;
  input: Shape;
  basis: readonly LayerInstance[];
  lift?: LiftSpec;
  embed?: EmbedSpec;
  surrogate: readonly LayerInstance[];
  head: readonly LayerInstance[];
  deq?: { cell?: CellSpec };
}

const last = (shape: readonly number[]) => shape[shape.length - 1];

/** The parameters of every layer, residual branches included, depth first (as `allLayers` visits them). */
export function layerParams(layers: readonly LayerInstance[]): ParamSpec[] {
  const params: ParamSpec[] = [];
  collectLayerParams(layers, params);
  return params;
}

function collectLayerParams(layers: readonly LayerInstance[], into: ParamSpec[]): void {
  for (const layer of layers) {
    for (const param of layer.params) into.push(param);
    if (layer.body) collectLayerParams(layer.body, into);
    if (layer.shortcut) collectLayerParams(layer.shortcut, into);
  }
}

/** Width of what the embedding φ reads: ψ's output (two-tier) or the raw input (RFF-only). */
function embeddingInputWidth(m: ModelParts): number {
  return m.variant === "two" && m.basis.length > 0 ? last(m.basis[m.basis.length - 1].outputShape) : last(m.input);
}

function projection(down: string, up: string, width: number, rank: number, kind: LiftProjection = "free"): ParamSpec[] {
  // An orthogonal projection QQᵀ is parameterised by one [m, r] matrix V (Q from V's reflections).
  if (kind === "orthogonal") return [{ name: "V", shape: [width, rank], kind: "trainable", init: { kind: "normal", mean: 0, std: 1 } }];
  return [
    { name: down, shape: [width, rank], kind: "trainable", init: { kind: "torch_default", fanIn: width } },
    { name: up, shape: [rank, width], kind: "trainable", init: { kind: "torch_default", fanIn: rank } },
  ];
}

/** The frozen features φ (two-tier, RFF-only). */
export function embeddingParams(m: ModelParts): ParamSpec[] {
  const e = m.embed;
  if (!e || (m.variant !== "two" && m.variant !== "rff-only")) return [];
  return rffParams(embeddingInputWidth(m), e.n, e.sigma, e.kernel, e.features);
}

/** The SIM target's projection: C·B on ψ(x) or φ(x), or E·D on φ(ψ(x)). */
export function projectionParams(m: ModelParts): ParamSpec[] {
  if (m.variant === "two" && m.embed) return projection("D", "E", m.embed.n, m.embed.r, m.embed.projection);
  if ((m.variant === "single" || m.variant === "rff-only") && m.lift) return projection("B", "C", m.lift.m, m.lift.r, m.lift.projection ?? m.embed?.projection);
  return [];
}

/** Width of the lifted features u the projection (or the derived cell) acts on. */
export function liftedWidth(m: ModelParts): number | undefined {
  if (m.variant === "single") return m.lift?.m;
  if (m.variant === "two" || m.variant === "rff-only") return m.embed?.n;
  return undefined;
}

/** K and A of the derived cell ϕ(K·(u + A z)). */
export function derivedParams(m: ModelParts): ParamSpec[] {
  const u = liftedWidth(m);
  if (u === undefined || m.surrogate.length === 0) return [];
  return derivedCellParams(u, last(m.surrogate[m.surrogate.length - 1].outputShape));
}

function totals(params: readonly ParamSpec[]): ParamTotals {
  return { trainable: countParams(params, "trainable"), frozen: countParams(params, "frozen") };
}

export function simTotals(m: ModelParts): ParamTotals {
  return totals([
    ...layerParams(m.basis),
    ...embeddingParams(m),
    ...projectionParams(m),
    ...layerParams(m.surrogate),
    ...layerParams(m.head),
  ]);
}

export function deqTotals(m: ModelParts): ParamTotals {
  const cell = m.deq?.cell;
  const middle = cell ? cell.params : [...embeddingParams(m), ...derivedParams(m), ...layerParams(m.surrogate)];
  return totals([...layerParams(m.basis), ...middle, ...layerParams(m.head)]);
}
