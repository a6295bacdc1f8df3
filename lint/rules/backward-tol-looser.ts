import { callArgument, callValue, modelSection, sectionProperty } from "../ast-query.js";
import { deqAnchor, deqInPlay, numberSetting } from "../model-query.js";
import type { LintRule } from "../types.js";

export const backwardTolLooser: LintRule = {
  id: "backward-tol-looser",
  defaultSeverity: "warn",
  docs: {
    description:
      "Reports an implicit backward pass whose tolerance is looser than the forward solver's. The implicit gradient " +
      "solves `u = (∂f/∂z)ᵀ u + ∂L/∂z*` at the forward fixed point; solving it less accurately than the point itself " +
      "throws away the forward solver's precision and biases every gradient step. DEQ practice (torchdeq) pairs a " +
      "forward tolerance of 1e-3 with a backward one of 1e-6.",
  },
  create(context) {
    return {
      model(model, decl) {
        const deq = model.deq;
        if (!deq || !deqInPlay(model, decl) || deq.backward.mode !== "implicit") return;
        const forward = numberSetting(deq.solver.settings, "tol");
        const backward = numberSetting(deq.backward.settings, "tol");
        if (forward === undefined || backward === undefined || backward <= forward) return;
        const section = modelSection(decl, "deq");
        const call = callValue(sectionProperty(section, "backward"));
        const arg = callArgument(call, "tol");
        context.report({
          node: arg?.value ?? arg ?? call ?? deqAnchor(decl),
          message: `the backward tolerance ${backward} is looser than the forward tolerance ${forward}: the implicit gradient is solved less accurately than the fixed point it differentiates`,
          hint: `use a backward tol ≤ ${forward} (torchdeq's defaults: forward 1e-3, backward 1e-6)`,
        });
      },
    };
  },
};
