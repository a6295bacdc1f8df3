/**
 * EmbedRule: `embed: rff(n, sigma = 1, kernel = gauss, features = cossin, r = n/2)`, the frozen
 * random Fourier features φ of two-tier and RFF-only SIMs.
 */
import { bindArguments, D, T } from "../arguments.js";
import { rffWidthProblem } from "../layers/rff.js";
import { configured, type ModelContext } from "./context.js";

export function EmbedRule(ctx: ModelContext): void {
  const property = ctx.property("embed");
  if (!property) return;
  const value = configured(ctx.evaluate(property.value), "embed", "rff(n: 104, sigma: 1.0)", ctx);
  if (!value) return void (ctx.draft.broken = true);
  if (value.name !== "rff") {
    ctx.report("SIM4024", value.callee, `unknown embedding '${value.name}'; simc embeds with random Fourier features`, {
      hint: "write embed: rff(n: …, sigma: …)",
    });
    ctx.draft.broken = true;
    return;
  }
  const bound = bindArguments(
    { label: "rff", at: value.callee },
    [
      { name: "n", type: T.int(2) },
      { name: "sigma", type: T.positive(), default: D.float(1) },
      { name: "kernel", type: T.oneOf("gauss", "laplace"), default: D.symbol("gauss") },
      { name: "features", type: T.oneOf("cossin", "cosbias"), default: D.symbol("cossin") },
      { name: "r", type: T.int(), optional: true },
    ],
    value.args,
    ctx.bindContext(),
  );
  if (!bound) return void (ctx.draft.broken = true);
  const n = bound.n.kind === "int" ? bound.n.value : 0;
  const features = bound.features.kind === "symbol" ? (bound.features.name as "cossin" | "cosbias") : "cossin";
  const widthProblem = rffWidthProblem(n, features);
  if (widthProblem) {
    ctx.report("SIM4024", bound.n.at, widthProblem, { hint: "use an even n, or features: cosbias" });
    ctx.draft.broken = true;
    return;
  }
  ctx.draft.embedArgs = {
    n,
    ...(bound.r?.kind === "int" ? { r: bound.r.value } : {}),
    sigma: bound.sigma.kind === "float" ? bound.sigma.value : 1,
    kernel: bound.kernel.kind === "symbol" ? (bound.kernel.name as "gauss" | "laplace") : "gauss",
    features,
    at: value.at,
  };
}
