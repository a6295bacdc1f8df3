import type { CallExpr } from "../../grammar/ast.js";
import { callArgument, staticValue } from "../ast-query.js";
import type { LintRule } from "../types.js";

/** Positional order of `rff(n, sigma, kernel, features, …)`, the layer and the embedding alike. */
const N_POSITION = 0;
const FEATURES_POSITION = 3;

export const rffOddCossin: LintRule = {
  id: "rff-odd-cossin",
  defaultSeverity: "error",
  docs: {
    description:
      "Reports random Fourier features with `features: cossin` (the default) and an odd feature count n, in an " +
      "`embed: rff(…)` or an `rff(…)` layer — including one inside a block whose parameter default makes n odd, which " +
      "the checker only notices once a model uses that default. The cossin map `φ(u) = [cos(Ωu), sin(Ωu)] / sqrt(n/2)` " +
      "draws n/2 frequencies and returns a cosine and a sine for each, so n must be even; `features: cosbias` allows " +
      "any n.",
  },
  create(context) {
    return {
      visitor: {
        CallExpr(call: CallExpr) {
          if (call.callee.name !== "rff") return;
          const ancestors = context.ancestors();
          const nArg = callArgument(call, "n", N_POSITION);
          const n = staticValue(nArg?.value, ancestors);
          if (typeof n?.value !== "number" || !Number.isInteger(n.value) || n.value % 2 === 0) return;
          const featuresArg = callArgument(call, "features", FEATURES_POSITION);
          const features = featuresArg ? staticValue(featuresArg.value, ancestors)?.value : "cossin";
          if (features !== "cossin") return;
          const source = n.viaParameter ? ` (the default of parameter '${n.viaParameter}')` : "";
          context.report({
            node: nArg?.value ?? call,
            message: `rff uses cossin features with odd n = ${n.value}${source}: cossin returns a cosine and a sine per frequency, so n must be even`,
            hint: `use n = ${n.value + 1} (or ${n.value - 1}), or features: cosbias, which allows any n`,
          });
        },
      },
    };
  },
};
