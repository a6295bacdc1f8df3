import { describe, expect, it } from "vitest";
import { cellLayout } from "../../vocabulary/cells.js";
import { initialValues } from "../../ir/initialize.js";
import type { IRModule, IRParam } from "../../ir/types.js";
import { verifyIR } from "../../ir/verify.js";
import { lowerModel } from "../../compiler/lower/index.js";
import { cellModel, deqSpec, simModel } from "./fixtures.js";
import { evalModule, matVec, moduleParams, type Vec } from "./reference-evaluator.js";
import { symmetricEigenvalues } from "../deq/reference.js";

function lowered(model: Parameters<typeof lowerModel>[0], seed = 3): IRModule {
  const result = lowerModel(model, "deq", { seed });
  expect(result.diagnostics).toEqual([]);
  return result.module!;
}

const implicitOf = (m: IRModule) => m.graph.nodes.find((n) => n.op === "implicit")!;
const param = (m: IRModule, name: string): IRParam => m.params.find((p) => p.name === name)!;


const matrix = (values: Float32Array, n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => values[i * n + j]));

describe("derived DEQ cell", () => {
  it("computes ψ(x) once before the implicit node and solves z = ϕ(K·(ψ(x) + A z)) in its body", () => {
    const m = lowered(simModel());
    const node = implicitOf(m);
    expect(node.attrs.cell).toBe("derived");
    expect(node.inputs).toEqual(["basis.0.dense"]);
    expect(node.body!.inputs).toEqual(["z", "u"]);
    expect(node.body!.nodes.map((n) => `${n.id}:${n.op}`)).toEqual([
      "z:input",
      "u:input",
      "deq.A:dense",
      "deq.inject:add",
      "deq.K:dense",
      "surrogate.0.dense:dense",
      "surrogate.1.relu:activation",
      "surrogate.2.dense:dense",
    ]);
    expect(node.params.slice(0, 2)).toEqual(["deq.K", "deq.A"]);
    expect(param(m, "deq.K").shape).toEqual([6, 6]);
    expect(param(m, "deq.A").shape).toEqual([5, 6]);
    expect(node.attrs.stateShape).toEqual([5]);
    expect(m.params.map((p) => p.name)).not.toContain("lift.B");

    // The IR's fixed point satisfies the closed-form equation.
    const p = moduleParams(m);
    const x: Vec = [0.4, -0.9, 1.5, 0.2];
    const psi = matVec(x, p.get("basis.0.dense.weight")!, 6, p.get("basis.0.dense.bias")!);
    const f = (z: Vec) => {
      const inner = matVec(z, p.get("deq.A")!, 6).map((v, i) => v + psi[i]);
      const k = matVec(inner, p.get("deq.K")!, 6);
      const s0 = matVec(k, p.get("surrogate.0.dense.weight")!, 5, p.get("surrogate.0.dense.bias")!).map((v) => Math.max(v, 0));
      return matVec(s0, p.get("surrogate.2.dense.weight")!, 5, p.get("surrogate.2.dense.bias")!);
    };
    let z: Vec = [0, 0, 0, 0, 0];
    for (let i = 0; i < 300; i++) z = f(z);
    const fz = f(z);
    fz.forEach((v, i) => expect(v).toBeCloseTo(z[i], 9));
    const y = matVec(z, p.get("head.0.dense.weight")!, 3, p.get("head.0.dense.bias")!);
    evalModule(m, x, p).forEach((v, i) => expect(v).toBeCloseTo(y[i], 8));
  });

  it("carries the checker's solver and backward settings and states no guarantee", () => {
    const m = lowered(simModel({ deq: deqSpec(undefined, {}, [6], "picard") }));
    const node = implicitOf(m);
    expect(node.attrs.solver).toEqual({ name: "picard", settings: { damping: 1, tol: 1e-3, max_iter: 40, eval_max_iter: 40, stop: "rel", patience: 5 } });
    expect(node.attrs.backward).toEqual({ mode: "implicit", settings: { solver: "anderson", tol: 1e-6, max_iter: 40 } });
    expect(m.certificate).toMatchObject({ guaranteed: false });
    expect(m.certificate!.statement).toContain("no well-posedness guarantee is known for this cell");
  });

  it("derives the cell on the second tier of a two-tier SIM (u = φ(ψ(x)))", () => {
    const embed = { kind: "rff" as const, n: 8, r: 4, sigma: 1, kernel: "gauss" as const, features: "cossin" as const, origin: { file: "f", line: 16, column: 3 } };
    const m = lowered(simModel({ embed }));
    expect(implicitOf(m).inputs).toEqual(["embed"]);
    expect(param(m, "deq.K").shape).toEqual([8, 8]);
    expect(param(m, "embed.omega").kind).toBe("frozen");
  });
});

describe("explicit DEQ cells", () => {
  it("carry the cells.ts layout under deq.<local>, no body, and flatten image injections for dense kinds", () => {
    const m = lowered(cellModel("dense", { units: 7, activation: "relu", norm: "none" }, [2, 3, 1]));
    const node = implicitOf(m);
    expect(node.body).toBeUndefined();
    expect(node.inputs).toEqual(["deq.flatten"]);
    expect(m.graph.nodes.find((n) => n.id === "deq.flatten")!.shape).toEqual([6]);
    const layout = cellLayout("dense", { kind: "dense", units: 7, norm: "none" }, [2, 3, 1]);
    expect(node.params).toEqual(layout.params.map((p) => `deq.${p.name}`));
    expect(node.attrs.cellArgs).toEqual({ units: 7, activation: "relu", norm: "none" });
    expect(verifyIR(m)).toEqual([]);
  });

  it("conv cells read the image injection directly", () => {
    const m = lowered(cellModel("conv", { channels: 4, kernel: 3, activation: "relu", norm: "none" }, [5, 5, 2]));
    const node = implicitOf(m);
    expect(node.inputs).toEqual(["input"]);
    expect(node.shape).toEqual([5, 5, 4]);
    expect(param(m, "deq.W").shape).toEqual([3, 3, 4, 4]);
  });

  it("spectral-norm cells mention the norm in their (non-)certificate", () => {
    const m = lowered(cellModel("dense", { units: 5, activation: "relu", norm: "spectral" }));
    expect(m.certificate!.guaranteed).toBe(false);
    expect(m.certificate!.statement).toMatch(/spectral normalisation/);
    expect(param(m, "deq.W.u").kind).toBe("buffer");
  });

  it("monotone: I − W has a symmetric part ⪰ m·I at initialisation", () => {
    const mMargin = 0.5;
    const model = cellModel("monotone", { kind: "dense", units: 6, m: mMargin }, [4], "peaceman_rachford");
    const m = lowered(model);
    expect(m.certificate).toMatchObject({ guaranteed: true, quantity: { m: mMargin } });
    expect(m.certificate!.statement).toContain("I − W ⪰ m·I");
    expect(implicitOf(m).attrs.backward).toMatchObject({ settings: { solver: "peaceman_rachford" } });
    const n = 6;
    const A = matrix(initialValues(param(m, "deq.A")), n);
    const B = matrix(initialValues(param(m, "deq.B")), n);
    // W = (1−m)I − AᵀA + B − Bᵀ, so I − W = mI + AᵀA − B + Bᵀ
    const iMinusW = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => {
        let ata = 0;
        for (let k = 0; k < n; k++) ata += A[k][i] * A[k][j];
        return (i === j ? mMargin : 0) + ata - B[i][j] + B[j][i];
      }),
    );
    const symmetric = iMinusW.map((row, i) => row.map((v, j) => (v + iMinusW[j][i]) / 2));
    const eigenvalues = symmetricEigenvalues(symmetric);
    expect(Math.min(...eigenvalues)).toBeGreaterThanOrEqual(mMargin - 1e-9);
    // and the margin is not trivially met: AᵀA contributes
    expect(Math.max(...eigenvalues)).toBeGreaterThan(mMargin + 0.1);
  });

  it("pcdeq: W is constrained nonnegative, starts nonnegative, and the certificate holds", () => {
    const m = lowered(cellModel("pcdeq", { kind: "dense", units: 5, activation: "tanh", injection: "softplus", beta: 5 }));
    const W = param(m, "deq.W");
    expect(W.constraint).toBe("nonnegative");
    expect(Math.min(...initialValues(W))).toBeGreaterThanOrEqual(0);
    expect(m.params.filter((p) => p.constraint).map((p) => p.name)).toEqual(["deq.W"]);
    expect(m.certificate).toMatchObject({ guaranteed: true });
    expect(m.certificate!.statement).toMatch(/tanh is concave and positive/);
  });

  it("linf: μ∞(A) < 1 at initialisation, computed from the initial T and d", () => {
    const m = lowered(cellModel("linf", { units: 8, m: 0.95, activation: "relu" }, [4], "averaged"));
    const n = 8;
    const T = matrix(initialValues(param(m, "deq.T")), n);
    const d = Array.from(initialValues(param(m, "deq.d")));
    // A = mI + D⁻¹TD − diag(|T|·1), D = diag(exp(d)), built as a full matrix
    const A = T.map((row, i) => row.map((t, j) => (i === j ? 0.95 : 0) + t * Math.exp(d[j] - d[i]) - (i === j ? row.reduce((s, v) => s + Math.abs(v), 0) : 0)));
    const mu = Math.max(...A.map((row, i) => row.reduce((s, v, j) => s + (i === j ? v : Math.abs(v)), 0)));
    expect(mu).toBeLessThan(1);
    expect(m.certificate).toMatchObject({ guaranteed: true });
    expect(m.certificate!.quantity!.mu_inf).toBeCloseTo(mu, 12);
    expect(m.certificate!.statement).toContain(`μ∞(A) = ${mu.toFixed(4)} < 1`);
  });
});
