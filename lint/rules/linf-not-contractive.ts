import { callArgument, callValue, modelSection, sectionProperty, staticValue } from "../ast-query.js";
import type { LintRule } from "../types.js";

/** Positional order of `linf(units, m, …)`. */
const M_POSITION = 1;

export const linfNotContractive: LintRule = {
  id: "linf-not-contractive",
  defaultSeverity: "error",
  docs: {
    description:
      "Reports an ℓ∞ cell whose matrix measure μ∞(A) is not below 1 at initialisation. The cell builds " +
      "`A = m I + D⁻¹ T D − diag(|T|·1)` with `D = diag(exp(d))`; row i of the weighted measure is " +
      "`a_ii + Σ_{j≠i} |a_ij| d_i/d_j = m + T_ii − |T_ii|`, so `μ∞(A) = m + max_i (T_ii − |T_ii|) ≤ m`, with equality as " +
      "soon as one diagonal entry of T is nonnegative — almost surely at initialisation (T ~ N(0, 0.01²), d = 0). " +
      "So μ∞(A) < 1 exactly when m < 1: with m ≥ 1 the well-posedness condition fails from the first step and the " +
      "averaged iteration's contraction factor 1 − α(1 − μ∞(A)) is not below 1. The checker also rejects m ≥ 1; " +
      "this rule says why.",
  },
  create(context) {
    return {
      visitor: {
        ModelDecl(decl) {
          const call = callValue(sectionProperty(modelSection(decl, "deq"), "cell"));
          if (call?.callee.name !== "linf") return;
          const arg = callArgument(call, "m", M_POSITION);
          const m = staticValue(arg?.value, []);
          if (typeof m?.value !== "number" || m.value < 1) return;
          context.report({
            node: arg?.value ?? call,
            message: `the linf cell has m = ${m.value}, so μ∞(A) = m + max_i(T_ii − |T_ii|) = ${m.value} ≥ 1 at initialisation (any T_ii ≥ 0 gives equality): the cell is not contractive and its fixed point is not guaranteed`,
            hint: "choose m < 1 (the default is 0.95; the averaged iteration then contracts by 1 − α(1 − m) per step)",
          });
        },
      },
    };
  },
};
