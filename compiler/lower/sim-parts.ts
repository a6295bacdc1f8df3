/**
 * The SIM parts both targets share: the lifted features (ψ(x), φ(ψ(x)) or φ(x)), the frozen
 * random Fourier features φ, and the bias-free rank-r projection (C·B or E·D).
 */
import type { CheckedModel, EmbedSpec, Initializer, Origin } from "../checked-model.js";
import { IR_CODES } from "../../core/codes/ir.js";
import { rffParams } from "../layers/rff.js";
import type { GraphBuilder, ParamTable } from "./builder.js";
import { lowerLayers } from "./layers.js";
import { LoweringError } from "./lowering-error.js";

const lastAxis = (shape: number[]) => shape[shape.length - 1];

/**
 * The frozen RFF embedding φ on the last axis of `input`, as one `rff` node `embed`:
 * cossin: Ω [in, n/2], φ(u) = [cos(uΩ), sin(uΩ)] / sqrt(n/2);
 * cosbias: Ω [in, n], b [n] ~ U[0, 2π), φ(u) = cos(uΩ + b) / sqrt(n/2).
 * Gauss kernel: Ω ~ N(0, 1/σ²); Laplace kernel: Ω ~ Cauchy(0, 1/σ).
 */
export function lowerEmbedding(g: GraphBuilder, table: ParamTable, embed: EmbedSpec, input: string): string {
  const inShape = g.shapeOf(input);
  const params = rffParams(lastAxis(inShape), embed.n, embed.sigma, embed.kernel, embed.features).map((p) =>
    table.declare(`embed.${p.name}`, p),
  );
  return g.add({
    id: "embed",
    op: "rff",
    inputs: [input],
    params,
    attrs: { features: embed.features, n: embed.n, scale: 1 / Math.sqrt(embed.n / 2), kernel: embed.kernel, sigma: embed.sigma },
    shape: [...inShape.slice(0, -1), embed.n],
    origin: embed.origin,
  });
}

/**
 * Initialiser of the projection matrices B, C, D, E. The public SIM code draws them from
 * N(0, 0.01²) in its sequence (temporal-convolution) models and keeps PyTorch's Linear default
 * U(±1/sqrt(fan_in)) in its image and coordinate models; simc follows it by input rank.
 */
export function projectionInit(model: CheckedModel, fanIn: number): Initializer {
  return model.input.length === 2 ? { kind: "normal", mean: 0, std: 0.01 } : { kind: "torch_default", fanIn };
}

export interface ProjectionNames {
  /** Prefix of node ids and parameter names: `lift` or `embed`. */
  prefix: string;
  /** The m → r map and the r → m map: `B`, `C` or `D`, `E`. */
  down: string;
  up: string;
}

/** `up · down · input` with two bias-free dense nodes `<prefix>.<down>` and `<prefix>.<up>`. */
export function lowerProjection(
  g: GraphBuilder,
  table: ParamTable,
  model: CheckedModel,
  names: ProjectionNames,
  rank: number,
  origin: Origin,
  input: string,
): string {
  const shape = g.shapeOf(input);
  const m = lastAxis(shape);
  const lead = shape.slice(0, -1);
  const downId = `${names.prefix}.${names.down}`;
  const upId = `${names.prefix}.${names.up}`;
  const down = table.declare(downId, { shape: [m, rank], kind: "trainable", init: projectionInit(model, m) });
  const reduced = g.add({ id: downId, op: "dense", inputs: [input], params: [down], shape: [...lead, rank], origin });
  const up = table.declare(upId, { shape: [rank, m], kind: "trainable", init: projectionInit(model, rank) });
  return g.add({ id: upId, op: "dense", inputs: [reduced], params: [up], shape: [...lead, m], origin });
}

/** The features the projection acts on, for each SIM form. */
export function lowerLiftedFeatures(g: GraphBuilder, table: ParamTable, model: CheckedModel, input: string): string {
  switch (model.variant) {
    case "single":
      return lowerLayers(g, table, model.basis, input);
    case "two": {
      const psi = lowerLayers(g, table, model.basis, input);
      if (!model.embed) {
        throw new LoweringError(
          IR_CODES.missingEmbedding,
          model.lift?.origin ?? model.origin,
          `model '${model.name}' is a two-tier SIM but declares no embedding φ to lift ψ(x) into the second tier`,
          "add `embed: rff(n: …, sigma: …)`, or drop it to make a single-tier SIM",
        );
      }
      return lowerEmbedding(g, table, model.embed, psi);
    }
    case "rff-only": {
      if (!model.embed) {
        throw new LoweringError(
          IR_CODES.missingEmbedding,
          model.origin,
          `model '${model.name}' is an RFF-only SIM but declares no embedding φ`,
          "add `embed: rff(n: …, sigma: …)`",
        );
      }
      return lowerEmbedding(g, table, model.embed, input);
    }
    case "none":
      throw new LoweringError(
        IR_CODES.noSimParts,
        model.deq?.cell?.origin ?? model.origin,
        `model '${model.name}' has no SIM parts to lower: it declares only a DEQ cell`,
        "compile it with --target deq, or add a basis (or an embedding), a lift and a surrogate",
      );
  }
}

/** Checks that the lift's m is the width of the features it projects. */
export function checkLiftWidth(g: GraphBuilder, model: CheckedModel, features: string): void {
  const width = lastAxis(g.shapeOf(features));
  if (model.lift && model.variant !== "two" && model.lift.m !== width) {
    throw new LoweringError(
      IR_CODES.liftWidthMismatch,
      model.lift.origin,
      `koopman(m: ${model.lift.m}) does not match the ${width} features it projects`,
      `write koopman(m: ${width}, …) or change the layer before it`,
    );
  }
}
