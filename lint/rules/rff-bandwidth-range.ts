import { formatNumber } from "../contraction.js";
import { rffSites } from "../rff-sites.js";
import type { LintRule } from "../types.js";

/** The paper's search range for the RFF bandwidth (Tables 8, 11 and 14: σ ∈ [1e-3, 1e+3)). */
export const SIGMA_MIN = 1e-3;
export const SIGMA_MAX = 1e3;

export const rffBandwidthRange: LintRule = {
  id: "rff-bandwidth-range",
  defaultSeverity: "warn",
  docs: {
    description:
      "Reports a random-Fourier-feature bandwidth σ outside [1e-3, 1e3], the range the SIM paper searches in every " +
      "experiment. Frequencies are drawn with scale 1/σ: a tiny σ makes cos(Ωu) oscillate so fast that nearby inputs get " +
      "unrelated features (the kernel is nearly a delta and the model memorises), a huge σ makes every feature nearly " +
      "constant (the kernel is nearly 1 and the features carry no information). The input's own scale is not known " +
      "before training (φ reads ψ(x), which is learned), so the rule checks only this absolute range.",
  },
  create(context) {
    return {
      model(model, decl) {
        for (const site of rffSites(model, decl, context.file, context.document)) {
          if (site.sigma >= SIGMA_MIN && site.sigma <= SIGMA_MAX) continue;
          const tooSmall = site.sigma < SIGMA_MIN;
          context.report({
            loc: site.locate("sigma"),
            message: tooSmall
              ? `${site.what} has bandwidth σ = ${formatNumber(site.sigma)}, below ${formatNumber(SIGMA_MIN)}: its frequencies (scale 1/σ) are so high that nearby inputs get unrelated features`
              : `${site.what} has bandwidth σ = ${formatNumber(site.sigma)}, above ${formatNumber(SIGMA_MAX)}: its frequencies (scale 1/σ) are so low that every feature is nearly constant`,
            hint: `choose σ in [${formatNumber(SIGMA_MIN)}, ${formatNumber(SIGMA_MAX)}], the range the SIM paper searches, near the typical distance between the features it reads`,
          });
        }
      },
    };
  },
};
