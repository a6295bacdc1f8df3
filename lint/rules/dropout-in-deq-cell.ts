import { derivedCellLayers, layerLocation, numberSetting, viaText } from "../model-query.js";
import type { LintRule } from "../types.js";

export const dropoutInDeqCell: LintRule = {
  id: "dropout-in-deq-cell",
  defaultSeverity: "warn",
  docs: {
    description:
      "Reports `dropout` with a positive rate inside the surrogate ϕ of a model whose DEQ cell is derived from its SIM " +
      "parts, `f(z, x) = ϕ(K·(ψ(x) + A z))`. In training, dropout draws a new mask at every solver iteration, so f " +
      "changes from step to step: the iteration chases a moving target, the residual cannot fall below the noise, and " +
      "z* is not the fixed point of any one map, which the implicit gradient assumes. Dropout in ψ (outside the cell) " +
      "or in the head is fine.",
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
            message: `dropout(rate: ${rate}) in the surrogate${via} sits inside the derived DEQ cell: a new mask at every solver step changes f, so the iteration has no fixed point to converge to`,
            hint: "move the dropout to the head or the basis, or set its rate to 0",
          });
        }
      },
    };
  },
};
