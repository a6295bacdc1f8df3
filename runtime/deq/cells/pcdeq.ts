/**
 * Positive concave cells (pcDEQ): f(z, x) = σ(W z + inj(U x + b)) with W ≥ 0, inj ≥ 0 and σ
 * concave and positive on the positive orthant, so plain iteration from 0 converges
 * geometrically to the unique fixed point. Pairings: softplus(β) injection with tanh, softsign
 * or relu6 (pcDEQ-1); relu injection with sigmoid (pcDEQ-2). W ≥ 0 is kept by `projectParams`
 * after every optimiser step, and checked before every forward solve.
 */
import * as tf from "../../tf.js";
import { activationByName, softplusActivation } from "../activations.js";
import { DeqConfigError } from "../errors.js";
import type { StructuredMap } from "../types.js";
import { affineInjection } from "./injection.js";
import { convOperator, denseOperator } from "./generic.js";
import { numberArg, stringArg, type CellArgs, type CellParams } from "./params.js";
import { boundFromStructure } from "./structured.js";
import type { CellDefinition } from "./types.js";

export const PCDEQ_PAIRINGS: Record<string, string[]> = {
  softplus: ["tanh", "softsign", "relu6"],
  relu: ["sigmoid"],
};

export function pcdeqCell(label: string, args: CellArgs, p: CellParams, kind: "dense" | "conv"): CellDefinition {
  const injectionName = stringArg(label, "pcdeq", args, "injection", Object.keys(PCDEQ_PAIRINGS), "softplus");
  const allowed = PCDEQ_PAIRINGS[injectionName];
  const activationName = stringArg(label, "pcdeq", args, "activation", ["tanh", "softsign", "relu6", "sigmoid"], allowed[0]);
  if (!allowed.includes(activationName)) {
    throw new DeqConfigError(
      label,
      `cell pcdeq pairs injection softplus with tanh, softsign or relu6 (pcDEQ-1) and relu with sigmoid (pcDEQ-2); ` +
        `got injection ${injectionName} with activation ${activationName}`,
    );
  }
  const beta = numberArg(label, "pcdeq", args, "beta", 5);
  if (!(beta > 0)) throw new DeqConfigError(label, `cell pcdeq setting "beta" must be > 0, got ${beta}`);
  const injectionActivation = injectionName === "softplus" ? softplusActivation(beta) : activationByName("relu")!;
  const activation = activationByName(activationName)!;

  const structureFor = (inputs: tf.Tensor[]): StructuredMap => {
    const w = p.get("W");
    return {
      linear: kind === "dense" ? denseOperator(w) : convOperator(w),
      injection: tf.tidy(() => injectionActivation.apply(affineInjection(kind, inputs[0], p))),
      activation,
    };
  };

  return {
    family: "pcdeq",
    prepare() {
      const min = tf.tidy(() => p.get("W").min());
      const value = min.dataSync()[0];
      min.dispose();
      if (!(value >= 0)) {
        throw new DeqConfigError(
          label,
          `cell pcdeq needs W ≥ 0 for its convergence guarantee, but min(W) = ${value}; ` +
            `call projectParams("pcdeq", params) after every optimiser step`,
        );
      }
    },
    bind: (inputs) => boundFromStructure(structureFor(inputs)),
  };
}
