import { derivedCellLayers, layerLocation, viaText } from "../model-query.js";
import type { LintRule } from "../types.js";

export const batchnormInDeqCell: LintRule = {
  id: "batchnorm-in-deq-cell",
  defaultSeverity: "warn",
  docs: {
    description:
      "Reports `batchnorm` inside the surrogate ϕ of a model whose DEQ cell is derived from its SIM parts, " +
      "`f(z, x) = ϕ(K·(ψ(x) + A z))`. In training, batch norm normalises with the statistics of the current batch of " +
      "states, which change at every solver iteration: f then depends on the iterate itself and on the other examples " +
      "in the batch, so the fixed point is not that of the model used at test time (which uses running statistics), and " +
      "the running statistics average over unconverged iterates. Batch norm in ψ (outside the cell) is fine.",
  },
  create(context) {
    return {
      model(model, decl) {
        const { layers, section: surrogate } = derivedCellLayers(model, decl, "batchnorm");
        for (const layer of layers) {
          const via = viaText(layer);
          context.report({
            loc: layerLocation(layer, context.file, context.document, surrogate, decl.name),
            message: `batchnorm in the surrogate${via} sits inside the derived DEQ cell: its batch statistics change at every solver step, so the fixed point depends on the iterates and on the batch`,
            hint: "move the normalisation into the basis ψ, or drop it from the surrogate",
          });
        }
      },
    };
  },
};
