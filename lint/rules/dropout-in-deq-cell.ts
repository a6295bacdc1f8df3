import { derivedCellLayers, layerLocation, numberSetting, viaText } from "../model-query.js";
import type { LintRule } from "../types.js";

export const dropoutInDeqCell: LintRule = {
  id: "dropout-in-deq-cell",
  defaultSeverity: "warn",
  docs: {
    description:
      "Reports `dropout` with a positive rate inside the surrogate ϕ of a model whose DEQ cell is derived from its SIM " +
      "parts, `f(z, x) = ϕ(K·(ψ(x) + A z))`. In training simc draws one dropout mask per optimiser step and keeps it for " +
      "every solver iteration of that step, so each step solves a fixed map; but that map changes from step to step and " +
      "differs from the map evaluated at test time (no mask), and inverted dropout scales the kept units by 1/(1 − rate), " +
      "which enlarges f's Lipschitz constant. A cell that converges in evaluation can fail to converge in training, and " +
      "the z* that training differentiates is not the fixed point of the evaluated model. Dropout in ψ (outside the " +
      "cell) or in the head is fine.",
  },
  create(context) {
    return {
      model(model, decl) {
        const { layers, section: surrogate } = derivedCellLayers(model, decl, "dropout");
        for (const layer of layers) {
          const rate = numberSetting(layer.args, "rate") ?? 0;
          if (rate <= 0) continue;
          const via = viaText(layer);
          context.report({
            loc: layerLocation(layer, context.file, context.document, surrogate, decl.name),
            message: `dropout(rate: ${rate}) in the surrogate${via} sits inside the derived DEQ cell: training solves a masked f (one mask per step, kept units scaled by 1/(1 − rate)), a different map from the one evaluated, whose fixed point and convergence it does not share`,
            hint: "move the dropout to the head or the basis, or set its rate to 0",
          });
        }
      },
    };
  },
};
