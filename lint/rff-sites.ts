/** Every random-Fourier-feature map of a checked model: the embedding φ and any `rff(…)` layer. */
import type { Document, ModelDecl, SourceLocation } from "../grammar/ast.js";
import type { CheckedModel } from "../compiler/checked-model.js";
import { callArgument, callValue, modelProperty, modelSection } from "./ast-query.js";
import { allLayers, layerLocation, numberSetting, viaText } from "./model-query.js";

export interface RffSite {
  /** `the embedding`, `the rff layer in the basis (from block 'fourier')` */
  what: string;
  n: number;
  sigma: number;
  /** Where to point for a setting (the argument when written here, else the call or part). */
  locate(setting: "n" | "sigma"): SourceLocation;
}

/** Positional order of `rff(n, sigma, kernel, features, r)`. */
const POSITIONS = { n: 0, sigma: 1 } as const;

export function rffSites(model: CheckedModel, decl: ModelDecl, file: string, document: Document): RffSite[] {
  const sites: RffSite[] = [];
  if (model.embed) {
    const property = modelProperty(decl, "embed");
    const call = callValue(property);
    sites.push({
      what: "the embedding",
      n: model.embed.n,
      sigma: model.embed.sigma,
      locate: (setting) => {
        const arg = callArgument(call, setting, POSITIONS[setting]);
        return (arg?.value ?? arg ?? call ?? property ?? decl.name).loc;
      },
    });
  }
  for (const part of ["basis", "surrogate", "head"] as const) {
    for (const layer of allLayers(model[part])) {
      if (layer.op !== "rff") continue;
      const n = numberSetting(layer.args, "n");
      const sigma = numberSetting(layer.args, "sigma");
      if (n === undefined || sigma === undefined) continue;
      const loc = layerLocation(layer, file, document, modelSection(decl, part), decl.name);
      sites.push({ what: `the rff layer in the ${part}${viaText(layer)}`, n, sigma, locate: () => loc });
    }
  }
  return sites;
}
