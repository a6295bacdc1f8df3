import { describe, expect, it } from "vitest";
import { verifyIR } from "../../ir/verify.js";
import { lowerModel } from "../../compiler/lower/index.js";
import type { IRModule } from "../../ir/types.js";
import { simModel } from "./fixtures.js";
import { evalModule, matVec, moduleParams, type Params, type Vec } from "./reference-evaluator.js";

function lowered(model = simModel(), target: "sim" | "deq" = "sim", seed = 7): IRModule {
  const result = lowerModel(model, target, { seed });
  expect(result.diagnostics).toEqual([]);
  return result.module!;
}

const relu = (v: Vec) => v.map((x) => Math.max(x, 0));
const get = (p: Params, name: string) => {
  const value = p.get(name);
  if (!value) throw new Error(`no parameter ${name}`);
  return value;
};

/** ϕ then g of the fixture, by name: dense → relu → dense → head dense. */
function surrogateAndHead(p: Params, v: Vec, h: number, classes: number): Vec {
  const s0 = relu(matVec(v, get(p, "surrogate.0.dense.weight"), h, get(p, "surrogate.0.dense.bias")));
  const s2 = matVec(s0, get(p, "surrogate.2.dense.weight"), h, get(p, "surrogate.2.dense.bias"));
  return matVec(s2, get(p, "head.0.dense.weight"), classes, get(p, "head.0.dense.bias"));
}

const inputs: Vec[] = [
  [0.3, -1.2, 0.8, 2.0],
  [-0.5, 0.1, 0.0, -1.7],
];

describe("SIM lowering", () => {
  it("single-tier graph equals g(ϕ(C·B·ψ(x))) with the declared parameters", () => {
    const m = lowered();
    expect(m.variant).toBe("single");
    const p = moduleParams(m);
    for (const x of inputs) {
      const psi = matVec(x, get(p, "basis.0.dense.weight"), 6, get(p, "basis.0.dense.bias"));
      const projected = matVec(matVec(psi, get(p, "lift.B"), 3), get(p, "lift.C"), 6);
      const expected = surrogateAndHead(p, projected, 5, 3);
      const actual = evalModule(m, x, p);
      actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
    }
  });

  it("B and C are bias-free, shaped m→r and r→m, and named after the lift", () => {
    const m = lowered();
    const B = m.graph.nodes.find((n) => n.id === "lift.B")!;
    const C = m.graph.nodes.find((n) => n.id === "lift.C")!;
    expect(B.params).toEqual(["lift.B"]);
    expect(C.params).toEqual(["lift.C"]);
    expect(m.params.find((q) => q.name === "lift.B")!.shape).toEqual([6, 3]);
    expect(m.params.find((q) => q.name === "lift.C")!.shape).toEqual([3, 6]);
    expect(C.inputs).toEqual(["lift.B"]);
  });

  it("two-tier graph equals g(ϕ(E·D·φ(ψ(x)))) with frozen cossin features", () => {
    const embed = { kind: "rff" as const, n: 8, r: 4, sigma: 2, kernel: "gauss" as const, features: "cossin" as const, origin: { file: "f", line: 16, column: 3 } };
    const model = simModel({ embed });
    const m = lowered(model);
    expect(m.variant).toBe("two");
    expect(m.params.map((q) => q.name)).not.toContain("lift.B");
    const p = moduleParams(m);
    const omega = get(p, "embed.omega");
    for (const x of inputs) {
      const psi = matVec(x, get(p, "basis.0.dense.weight"), 6, get(p, "basis.0.dense.bias"));
      const proj = matVec(psi, omega, 4);
      const phi = [...proj.map(Math.cos), ...proj.map(Math.sin)].map((v) => v / Math.sqrt(4));
      const projected = matVec(matVec(phi, get(p, "embed.D"), 4), get(p, "embed.E"), 8);
      const expected = surrogateAndHead(p, projected, 5, 3);
      evalModule(m, x, p).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
    }
    expect(m.frozenParams).toBe(6 * 4);
    expect(m.params.find((q) => q.name === "embed.omega")).toMatchObject({ kind: "frozen", shape: [6, 4], init: { kind: "normal", std: 0.5 } });
  });

  it("RFF-only graph equals g(ϕ(C·B·φ(x))) with cosbias features", () => {
    const embed = { kind: "rff" as const, n: 10, r: 5, sigma: 0.5, kernel: "laplace" as const, features: "cosbias" as const, origin: { file: "f", line: 16, column: 3 } };
    const model = simModel({ embed, variant: "rff-only" });
    const m = lowered(model);
    expect(m.variant).toBe("rff-only");
    const p = moduleParams(m);
    for (const x of inputs) {
      const phi = matVec(x, get(p, "embed.omega"), 10, get(p, "embed.phase")).map((v) => Math.cos(v) / Math.sqrt(5));
      const projected = matVec(matVec(phi, get(p, "lift.B"), 3), get(p, "lift.C"), 10);
      const expected = surrogateAndHead(p, projected, 5, 3);
      evalModule(m, x, p).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
    }
    expect(m.params.find((q) => q.name === "embed.omega")!.init).toEqual({ kind: "cauchy", scale: 2 });
    expect(m.params.find((q) => q.name === "embed.phase")!.init).toEqual({ kind: "uniform", low: 0, high: 2 * Math.PI });
  });

  it("totals equal the checker's per-target totals", () => {
    const embed = { kind: "rff" as const, n: 8, r: 4, sigma: 2, kernel: "gauss" as const, features: "cosbias" as const, origin: { file: "f", line: 16, column: 3 } };
    for (const model of [simModel(), simModel({ embed }), simModel({ embed, variant: "rff-only" })]) {
      const sim = lowered(model, "sim");
      expect({ trainable: sim.trainableParams, frozen: sim.frozenParams }).toEqual(model.targets.sim);
      const deq = lowered(model, "deq");
      expect({ trainable: deq.trainableParams, frozen: deq.frozenParams }).toEqual(model.targets.deq);
    }
  });

  it("projection matrices start at PyTorch's Linear default for vector models and N(0, 0.01²) for sequence models", () => {
    const vector = lowered();
    expect(vector.params.find((q) => q.name === "lift.B")!.init).toEqual({ kind: "torch_default", fanIn: 6 });
    expect(vector.params.find((q) => q.name === "lift.C")!.init).toEqual({ kind: "torch_default", fanIn: 3 });
    const sequence = lowered(simModel({ input: [7, 4] }));
    expect(sequence.params.find((q) => q.name === "lift.B")!.init).toEqual({ kind: "normal", mean: 0, std: 0.01 });
    // per-position: a [7, 4] sequence keeps its length through every dense node
    expect(sequence.graph.nodes.find((n) => n.id === "lift.C")!.shape).toEqual([7, 6]);
    expect(verifyIR(sequence)).toEqual([]);
  });

  it("parameter seeds depend on the model seed and the name only", () => {
    const a = lowered(simModel(), "sim", 1);
    const b = lowered(simModel(), "sim", 2);
    const seedOf = (m: IRModule, name: string) => m.params.find((q) => q.name === name)!.seed;
    expect(seedOf(a, "lift.B")).not.toBe(seedOf(b, "lift.B"));
    expect(seedOf(a, "lift.B")).not.toBe(seedOf(a, "lift.C"));
    // the same parameter in the deq target (where lift.B does not exist) keeps its seed
    const deq = lowered(simModel(), "deq", 1);
    expect(seedOf(deq, "head.0.dense.weight")).toBe(seedOf(a, "head.0.dense.weight"));
  });
});
