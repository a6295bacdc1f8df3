import { callArgument, callValue, modelSection, sectionProperty } from "../ast-query.js";
import { deqAnchor, deqInPlay, numberSetting, stringSetting } from "../model-query.js";
import type { LintRule } from "../types.js";

/** torchdeq's rule of thumb: a relative residual under 0.05 is "good convergence". */
export const LOOSEST_RELATIVE_TOL = 0.05;

export const solverTolTooLoose: LintRule = {
  id: "solver-tol-too-loose",
  defaultSeverity: "warn",
  docs: {
    description:
      "Reports a forward solver whose relative tolerance is above 0.05, the residual below which DEQ practice " +
      "(torchdeq) calls a solve converged. Stopping earlier returns a state that is not close to a fixed point: the " +
      "implicit gradient, which is exact only at z*, then points in a wrong direction, and evaluation with a tighter " +
      "cap gives different predictions than training. Absolute tolerances depend on the state's scale and are not " +
      "checked.",
  },
  create(context) {
    return {
      model(model, decl) {
        const solver = model.deq?.solver;
        if (!solver || !deqInPlay(model, decl)) return;
        const tol = numberSetting(solver.settings, "tol");
        if (tol === undefined || tol <= LOOSEST_RELATIVE_TOL) return;
        if ((stringSetting(solver.settings, "stop") ?? "rel") !== "rel") return;
        const call = callValue(sectionProperty(modelSection(decl, "deq"), "solver"));
        const arg = callArgument(call, "tol");
        context.report({
          node: arg?.value ?? call ?? deqAnchor(decl),
          message: `the ${solver.name} solver stops at a relative residual of ${tol}, above ${LOOSEST_RELATIVE_TOL}: the state it returns is not close to a fixed point, and the implicit gradient assumes one`,
          hint: `use tol ≤ ${LOOSEST_RELATIVE_TOL} (1e-3 for anderson/broyden/picard, 1e-2 for the averaged and splitting solvers)`,
        });
      },
    };
  },
};
