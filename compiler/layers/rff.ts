import { D, T } from "../arguments.js";
import type { ParamSpec, Shape } from "../checked-model.js";
import { formatShape, num, problem, type LayerDef } from "./types.js";

export type RffKernel = "gauss" | "laplace";
export type RffFeatures = "cossin" | "cosbias";

/**
 * Frozen random Fourier features on the last axis (DESIGN §2). cossin: Ω [in, n/2] and
 * φ(u) = [cos(uΩ), sin(uΩ)] / sqrt(n/2); cosbias: Ω [in, n], phase b [n] ~ U[0, 2π) and
 * φ(u) = cos(uΩ + b) / sqrt(n/2). Gauss kernel: Ω ~ N(0, 1/σ²); Laplace: Ω ~ Cauchy(0, 1/σ).
 */
export function rffParams(inputWidth: number, n: number, sigma: number, kernel: RffKernel, features: RffFeatures): ParamSpec[] {
  const columns = features === "cossin" ? n / 2 : n;
  const omega: ParamSpec = {
    name: "omega",
    shape: [inputWidth, columns],
    kind: "frozen",
    init: kernel === "gauss" ? { kind: "normal", mean: 0, std: 1 / sigma } : { kind: "cauchy", scale: 1 / sigma },
  };
  if (features === "cossin") return [omega];
  return [omega, { name: "phase", shape: [n], kind: "frozen", init: { kind: "uniform", low: 0, high: 2 * Math.PI } }];
}

/** Why n does not suit the feature kind, if it does not. */
export function rffWidthProblem(n: number, features: string): string | undefined {
  if (features === "cossin" && n % 2 !== 0) return `rff with cossin features needs an even n (cos and sin halves), got ${n}`;
  return undefined;
}

export const rff: LayerDef = {
  name: "rff",
  doc: "Frozen random Fourier features on the last axis: n outputs, bandwidth sigma (not trained, not counted).",
  args: [
    { name: "n", type: T.int(2), doc: "number of features" },
    { name: "sigma", type: T.positive(), default: D.float(1), doc: "kernel bandwidth" },
    { name: "kernel", type: T.oneOf("gauss", "laplace"), default: D.symbol("gauss") },
    { name: "features", type: T.oneOf("cossin", "cosbias"), default: D.symbol("cossin") },
  ],
  infer(args, input: Shape) {
    if (input.length < 1) return problem("SIM3001", `rff expects at least one axis, got ${formatShape(input)}`);
    const widthProblem = rffWidthProblem(num(args, "n"), String(args.features));
    if (widthProblem) return problem("SIM2011", widthProblem, "use an even n, or features: cosbias");
    return { shape: [...input.slice(0, -1), num(args, "n")] };
  },
  params(args, input) {
    return rffParams(
      input[input.length - 1],
      num(args, "n"),
      num(args, "sigma"),
      args.kernel as RffKernel,
      args.features as RffFeatures,
    );
  },
};
