/**
 * The SIM target: the feedforward closed form of the model (DESIGN §2).
 *   single-tier  ŷ = g(ϕ(C·B·ψ(x)))
 *   two-tier     ŷ = g(ϕ(E·D·φ(ψ(x))))   (φ frozen random Fourier features)
 *   RFF-only     ŷ = g(ϕ(C·B·φ(x)))
 */
import type { CheckedModel } from "../checked-model.js";
import { IR_CODES } from "../../core/codes/ir.js";
import type { IRGraph } from "../../ir/types.js";
import { GraphBuilder, type ParamTable } from "./builder.js";
import { lowerLayers } from "./layers.js";
import { LoweringError } from "./lowering-error.js";
import { checkLiftWidth, lowerLiftedFeatures, lowerProjection } from "./sim-parts.js";

export function lowerSim(model: CheckedModel, table: ParamTable): IRGraph {
  const g = new GraphBuilder();
  const x = g.input("input", model.input);
  const features = lowerLiftedFeatures(g, table, model, x);
  checkLiftWidth(g, model, features);

  let projected: string;
  if (model.variant === "two") {
    const embed = model.embed!; // lowerLiftedFeatures has checked it
    projected = lowerProjection(g, table, model, { prefix: "embed", down: "D", up: "E" }, embed.r, embed.origin, features);
  } else {
    // Single-tier projects ψ(x) with the lift; RFF-only projects φ(x) with the lift, or with
    // the embedding's own rank when no lift is written.
    const rank = model.lift?.r ?? (model.variant === "rff-only" ? model.embed?.r : undefined);
    if (rank === undefined) {
      throw new LoweringError(
        IR_CODES.noSimParts,
        model.origin,
        `model '${model.name}' has a basis but no Koopman lift to project it`,
        "add `lift: koopman(m: …, r: …)`",
      );
    }
    projected = lowerProjection(g, table, model, { prefix: "lift", down: "B", up: "C" }, rank, model.lift?.origin ?? model.embed!.origin, features);
  }

  if (model.surrogate.length === 0) {
    throw new LoweringError(IR_CODES.noSimParts, model.origin, `model '${model.name}' has no surrogate ϕ to map the lifted state back`, "add `surrogate { … }`");
  }
  const phi = lowerLayers(g, table, model.surrogate, projected);
  return g.finish(lowerLayers(g, table, model.head, phi));
}
