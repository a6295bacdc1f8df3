import { callArgument, callValue, modelSection, sectionProperty } from "../ast-query.js";
import { deqAnchor, deqInPlay, stringSetting } from "../model-query.js";
import type { LintRule } from "../types.js";

const GUARANTEED = "use a cell with a guarantee (monotone, pcdeq or linf), or a dense/conv cell with norm: spectral or weight";

export const deqNoWellPosedness: LintRule = {
  id: "deq-no-well-posedness",
  defaultSeverity: "warn",
  docs: {
    description:
      "Reports a DEQ whose cell has no well-posedness guarantee: a `dense` or `conv` cell with `norm: none`, or the cell " +
      "derived from the SIM parts, `f(z, x) = ϕ(K·(ψ(x) + A z))`, in which nothing bounds K, A or ϕ. Such a cell may have " +
      "no fixed point, or several, and the solver can stall or diverge as training moves the weights. The monotone, " +
      "pcDEQ and ℓ∞ cells are well-posed by construction; weight and spectral norms bound the state operator.",
  },
  create(context) {
    return {
      model(model, decl) {
        if (!deqInPlay(model, decl) || !model.deq) return;
        const cell = model.deq.cell;
        if (!cell) {
          context.report({
            node: deqAnchor(decl),
            message: `the DEQ cell derived from the SIM parts, f(z, x) = ϕ(K·(ψ(x) + A z)), has no well-posedness guarantee: nothing keeps it contractive, so a fixed point may not exist or be unique`,
            hint: `declare a cell in the deq section: ${GUARANTEED}`,
          });
          return;
        }
        if (cell.family !== "dense" && cell.family !== "conv") return;
        const norm = stringSetting(cell.args, "norm") ?? "none";
        if (norm !== "none") return;
        const cellCall = callValue(sectionProperty(modelSection(decl, "deq"), "cell"));
        const node = callArgument(cellCall, "norm") ?? cellCall ?? deqAnchor(decl);
        context.report({
          node,
          message: `the ${cell.family} cell with norm: none has no well-posedness guarantee: its state operator W is unconstrained, so σ(W z + U x + b) may have no fixed point or several`,
          hint: GUARANTEED,
        });
      },
    };
  },
};
