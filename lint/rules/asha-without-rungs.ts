import { modelSection, sectionProperty } from "../ast-query.js";
import type { CheckedModel } from "../../compiler/checked-model.js";
import type { LintRule } from "../types.js";

/** The most epochs any trial of the model's search can have. */
function largestEpochs(model: CheckedModel): number {
  const dimension = model.search?.dimensions.find((d) => d.name === "epochs");
  if (!dimension) return model.train.epochs;
  const d = dimension.distribution;
  if (d.kind === "choice") return Math.max(...d.values.map((v) => Number(v.value)));
  return d.kind === "randint" ? d.high - 1 : d.high;
}

export const ashaWithoutRungs: LintRule = {
  id: "asha-without-rungs",
  defaultSeverity: "warn",
  docs: {
    description:
      "Reports a search whose ASHA scheduler has no rung before the trials' last epoch: with grace ≥ epochs, every trial " +
      "runs to its end and ASHA is plain FIFO at the cost of its bookkeeping. ASHA's first rung is at `grace` epochs and a " +
      "trial stops at its own epochs, so grace must be smaller than the epochs the trials train.",
  },
  create(context) {
    return {
      model(model, decl) {
        const scheduler = model.search?.scheduler;
        if (scheduler?.kind !== "asha") return;
        const epochs = largestEpochs(model);
        if (scheduler.grace < epochs) return;
        const at = sectionProperty(modelSection(decl, "search"), "scheduler");
        context.report({
          node: at?.value ?? at ?? decl.name,
          message: `ASHA's first rung is at epoch ${scheduler.grace}, but no trial trains more than ${epochs} epoch${epochs === 1 ? "" : "s"}: it will never stop a trial`,
          hint: `use grace < ${epochs} (e.g. asha(grace: 1)), or scheduler: fifo`,
        });
      },
    };
  },
};
