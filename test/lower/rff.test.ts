import { describe, expect, it } from "vitest";
import type { EmbedSpec } from "../../compiler/checked-model.js";
import type { IRModule } from "../../ir/types.js";
import { lowerModel } from "../../compiler/lower/index.js";
import { simModel } from "./fixtures.js";
import { evalGraph, moduleParams, type Vec } from "./reference-evaluator.js";

const origin = { file: "f", line: 16, column: 3 };

function rffOnly(embed: Omit<EmbedSpec, "kind" | "origin" | "r">, seed = 5): { m: IRModule; phi: (u: Vec) => Vec } {
  const model = simModel({ input: [3], embed: { kind: "rff", r: 4, origin, ...embed }, variant: "rff-only" });
  const m = lowerModel(model, "sim", { seed }).module!;
  const params = moduleParams(m);
  const graph = { inputs: ["input"], nodes: m.graph.nodes.filter((n) => n.id === "input" || n.id === "embed"), outputs: ["embed"] };
  return { m, phi: (u: Vec) => evalGraph(graph, [u], params) };
}

/**
 * Monte Carlo tolerance: each kernel estimate averages n/2 independent terms of variance ≤ ½
 * (cossin) or n terms of variance ≤ 1 (cosbias), so its standard error is ≤ sqrt(1/n); allow 5.
 */
const N = 8192;
const TOLERANCE = 5 * Math.sqrt(1 / N);

const dot = (a: Vec, b: Vec) => a.reduce((s, v, i) => s + v * b[i], 0);
const shifted = (u: Vec, delta: Vec) => u.map((v, i) => v + delta[i]);
const pairs: { u: Vec; delta: Vec }[] = [
  { u: [0.3, -0.2, 1.0], delta: [0.5, 0, 0] },
  { u: [-1.0, 0.4, 0.0], delta: [0.6, -0.8, 0] },
  { u: [0.0, 0.0, 0.0], delta: [1.2, 1.2, -0.4] },
  { u: [2.0, 1.0, -1.0], delta: [0.1, 0.2, 0.2] },
];

describe("random Fourier features in the IR", () => {
  it("cossin features have unit norm: ‖φ(u)‖² = 1", () => {
    const { phi } = rffOnly({ n: 64, sigma: 0.7, kernel: "gauss", features: "cossin" });
    for (const { u } of pairs) expect(dot(phi(u), phi(u))).toBeCloseTo(1, 12);
  });

  it("cosbias features have E‖φ(u)‖² ≈ 1", () => {
    const { phi } = rffOnly({ n: N, sigma: 1, kernel: "gauss", features: "cosbias" });
    // ‖φ‖² averages n terms 2cos²(·) of variance ½: standard error sqrt(1/(2n)); allow 5.
    for (const { u } of pairs) expect(Math.abs(dot(phi(u), phi(u)) - 1)).toBeLessThan(5 * Math.sqrt(1 / (2 * N)));
  });

  it("gauss features estimate exp(−‖u−v‖²/(2σ²)) (cossin and cosbias)", () => {
    for (const features of ["cossin", "cosbias"] as const) {
      for (const sigma of [1, 2]) {
        const { phi } = rffOnly({ n: N, sigma, kernel: "gauss", features });
        for (const { u, delta } of pairs) {
          const exact = Math.exp(-dot(delta, delta) / (2 * sigma * sigma));
          expect(Math.abs(dot(phi(u), phi(shifted(u, delta))) - exact)).toBeLessThan(TOLERANCE);
        }
      }
    }
  });

  it("laplace features estimate exp(−‖u−v‖₁/σ)", () => {
    const sigma = 1.5;
    const { phi } = rffOnly({ n: N, sigma, kernel: "laplace", features: "cossin" });
    for (const { u, delta } of pairs) {
      const exact = Math.exp(-delta.reduce((s, d) => s + Math.abs(d), 0) / sigma);
      expect(Math.abs(dot(phi(u), phi(shifted(u, delta))) - exact)).toBeLessThan(TOLERANCE);
    }
  });

  it("Ω and b are frozen and counted as frozen, not trainable", () => {
    const { m } = rffOnly({ n: 16, sigma: 1, kernel: "gauss", features: "cosbias" });
    expect(m.params.filter((p) => p.kind === "frozen").map((p) => p.name)).toEqual(["embed.omega", "embed.phase"]);
    expect(m.frozenParams).toBe(3 * 16 + 16);
  });
});
