import { callValue, modelProperty, settingNode } from "../ast-query.js";
import type { LintRule } from "../types.js";

export const liftRankTooLarge: LintRule = {
  id: "lift-rank-too-large",
  defaultSeverity: "warn",
  docs: {
    description:
      "Reports a Koopman lift `koopman(m, r)` whose rank r is not smaller than the lift dimension m, and the same for the " +
      "Perron–Frobenius embedding's rank r against its feature count n. The SIM's projection C·B (or E·D) stands for the " +
      "limit of the lifted linear dynamics, a projection onto the eigenvalue-1 eigenspace; with r ≥ m it can be the " +
      "identity, so the model loses the low-rank structure that makes it a SIM, and r > m only adds parameters.",
  },
  create(context) {
    return {
      model(model, decl) {
        if (model.lift && model.lift.r >= model.lift.m) {
          const call = callValue(modelProperty(decl, "lift"));
          context.report({
            node: settingNode(call, "r", modelProperty(decl, "lift") ?? decl.name, 1),
            message: `the lift's rank r = ${model.lift.r} is not smaller than its dimension m = ${model.lift.m}: C·B can then be the identity and the Koopman projection constrains nothing`,
            hint: `use r < m (the default, as in the paper's code, is r = m/2 = ${Math.floor(model.lift.m / 2)})`,
          });
        }
        if (model.embed && model.embed.r >= model.embed.n) {
          const call = callValue(modelProperty(decl, "embed"));
          context.report({
            node: settingNode(call, "r", modelProperty(decl, "embed") ?? decl.name, 4),
            message: `the embedding's rank r = ${model.embed.r} is not smaller than its feature count n = ${model.embed.n}: E·D can then be the identity and the second-tier projection constrains nothing`,
            hint: `use r < n (the default is r = n/2 = ${Math.floor(model.embed.n / 2)})`,
          });
        }
      },
    };
  },
};
