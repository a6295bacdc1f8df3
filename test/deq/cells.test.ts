import * as tf from "../../runtime/tf.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { CellFamily } from "../../compiler/checked-model.js";
import type { CellLayoutArgs } from "../../vocabulary/cells.js";
import { buildCell, projectParams } from "../../runtime/deq/cells/index.js";
import { linfLipschitzBound, linfMatrix, muInf, weightedMuInf } from "../../runtime/deq/cells/linf.js";
import { runImplicit } from "../../runtime/deq/implicit.js";
import { cellVariables, disposeAll, implicitAttrs, normal, relError, useCpu } from "./helpers.js";
import { jacobians, operatorMatrix, symmetricEigenvalues } from "./reference.js";

beforeAll(useCpu);

type Params = Record<string, tf.Variable>;

interface Case {
  name: string;
  family: CellFamily;
  layout: CellLayoutArgs;
  args: Record<string, string | number>;
  injection: number[];
  scales?: Record<string, number>;
}

const CASES: Case[] = [
  { name: "dense (tanh)", family: "dense", layout: { kind: "dense", units: 5 }, args: { units: 5, activation: "tanh" }, injection: [3] },
  { name: "dense (softsign, spectral norm)", family: "dense", layout: { kind: "dense", units: 5, norm: "spectral" }, args: { units: 5, activation: "softsign", norm: "spectral" }, injection: [3] },
  { name: "conv (elu, weight norm)", family: "conv", layout: { kind: "conv", channels: 2, kernel: 3, norm: "weight" }, args: { channels: 2, kernel: 3, activation: "elu", norm: "weight" }, injection: [4, 3, 1] },
  { name: "monotone dense", family: "monotone", layout: { kind: "dense", units: 5 }, args: { kind: "dense", units: 5, m: 0.3 }, injection: [3], scales: { A: 0.8, B: 0.8 } },
  { name: "monotone conv", family: "monotone", layout: { kind: "conv", channels: 2, kernel: 3 }, args: { kind: "conv", channels: 2, kernel: 3, m: 0.3 }, injection: [4, 3, 1] },
  { name: "pcdeq conv (relu6)", family: "pcdeq", layout: { kind: "conv", channels: 2, kernel: 3 }, args: { kind: "conv", channels: 2, kernel: 3, activation: "relu6", injection: "softplus", beta: 5 }, injection: [4, 3, 1], scales: { W: 0.3 } },
  { name: "linf (tanh)", family: "linf", layout: { kind: "dense", units: 5 }, args: { units: 5, m: 0.9, activation: "tanh" }, injection: [3], scales: { T: 0.5, d: 0.4 } },
];

function bind(k: Case, params: Params, x: tf.Tensor) {
  const { cell, stateShape } = buildCell(k.name, { cell: k.family, cellArgs: k.args, stateShape: cellVariablesShape(k) }, params, k.injection);
  return { bound: cell.bind([x]), stateShape };
}

function cellVariablesShape(k: Case): number[] {
  return k.layout.kind === "conv" ? [...k.injection.slice(0, -1), k.layout.channels!] : [k.layout.units!];
}

const dot = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.mul(b).sum().dataSync()[0]);

describe("cell operators: adjoints and Jacobian products", () => {
  for (const k of CASES) {
    it(`${k.name}: ⟨L z, y⟩ = ⟨z, Lᵀ y⟩ and the analytic (∂f/∂z)ᵀu equals autodiff`, () => {
      const { params } = cellVariables(k.family, k.layout, k.injection, 50, k.scales);
      const x = normal([2, ...k.injection], 51);
      const { bound, stateShape } = bind(k, params, x);
      const z = normal([2, ...stateShape], 52);
      const y = normal([2, ...stateShape], 53);
      const { linear } = bound.structure!;
      const lhs = dot(linear.apply(z), y);
      const rhs = dot(z, linear.applyT(y));
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * Math.max(1, Math.abs(lhs)));
      const analytic = bound.vjpAt(z)(y);
      const auto = tf.grad((zz: tf.Tensor) => bound.f(zz).mul(y).sum())(z);
      expect(relError(analytic, auto)).toBeLessThan(1e-5);
      disposeAll(params);
    });
  }
});

/** A few Adam steps on a regression toy loss through the DEQ (implicit gradients). */
function train(attrs: ReturnType<typeof implicitAttrs>, params: Params, x: tf.Tensor, target: tf.Tensor, steps: number, after?: () => void, readout?: tf.Tensor) {
  const optimizer = tf.train.adam(0.05);
  const vars = Object.values(params).filter((v) => v.trainable);
  for (let s = 0; s < steps; s++) {
    optimizer.minimize(() => {
      const r = runImplicit({ label: "train", attrs, inputs: [x], params, training: true, readout });
      const loss = r.output.sub(target).square().mean();
      return (r.regularizer ? loss.add(r.regularizer) : loss) as tf.Scalar;
    }, false, vars);
    after?.();
  }
  optimizer.dispose();
}

function snapshot(params: Params): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.dataSync().slice() as Float32Array]));
}

function changed(before: Record<string, Float32Array>, params: Params, name: string): number {
  const now = params[name].dataSync();
  return Math.max(...Array.from(now).map((v, i) => Math.abs(v - before[name][i])));
}

describe("monotone parameterisation: sym(I − W) ⪰ mI", () => {
  it("dense: holds for large random A, B and still after training", () => {
    const m = 0.4;
    const args = { kind: "dense", units: 6, m };
    const { params, stateShape } = cellVariables("monotone", { kind: "dense", units: 6 }, [3], 60, { A: 1.5, B: 1.5 });
    const margin = () => {
      const { cell } = buildCell("mono", { cell: "monotone", cellArgs: args, stateShape }, params, [3]);
      const w = operatorMatrix((z) => cell.bind([tf.zeros([1, 3])]).structure!.linear.apply(z), [6]);
      const sym = w.map((row, i) => row.map((_, j) => (i === j ? 1 : 0) - (w[i][j] + w[j][i]) / 2));
      return symmetricEigenvalues(sym)[0];
    };
    expect(margin()).toBeGreaterThanOrEqual(m - 1e-4);
    const before = snapshot(params);
    const x = normal([8, 3], 61);
    const target = normal([8, 6], 62).relu();
    const attrs = implicitAttrs("monotone", args, stateShape, "peaceman_rachford", { tol: 1e-4 });
    train(attrs, params, x, target, 15);
    expect(changed(before, params, "A")).toBeGreaterThan(1e-3);
    expect(changed(before, params, "B")).toBeGreaterThan(1e-3);
    expect(margin()).toBeGreaterThanOrEqual(m - 1e-4);
    disposeAll(params);
  });

  it("conv: the operator on a 4×4×2 state, built column by column, has the margin", () => {
    const m = 0.5;
    const args = { kind: "conv", channels: 2, kernel: 3, m };
    const { params, stateShape } = cellVariables("monotone", { kind: "conv", channels: 2, kernel: 3 }, [4, 4, 1], 63, { A: 1, B: 1 });
    params["A.scale"].assign(tf.tensor1d([3]));
    params["B.scale"].assign(tf.tensor1d([2]));
    const { cell } = buildCell("mono-conv", { cell: "monotone", cellArgs: args, stateShape }, params, [4, 4, 1]);
    const w = operatorMatrix((z) => cell.bind([tf.zeros([1, 4, 4, 1])]).structure!.linear.apply(z), [4, 4, 2]);
    const sym = w.map((row, i) => row.map((_, j) => (i === j ? 1 : 0) - (w[i][j] + w[j][i]) / 2));
    const eig = symmetricEigenvalues(sym);
    expect(eig[0]).toBeGreaterThanOrEqual(m - 1e-4);
    // The A part is not trivially small: the spread of eigenvalues is well above the margin.
    expect(eig[eig.length - 1]).toBeGreaterThan(m + 1);
    disposeAll(params);
  });
});

describe("pcDEQ: W ≥ 0 kept by projection", () => {
  it("training moves W below zero; projectParams restores W ≥ 0; a forward without it is refused", () => {
    const args = { kind: "dense", units: 5, activation: "tanh", injection: "softplus", beta: 5 };
    const { params, stateShape } = cellVariables("pcdeq", { kind: "dense", units: 5 }, [3], 70, { W: 0.02 });
    const attrs = implicitAttrs("pcdeq", args, stateShape, "picard", { tol: 1e-5, max_iter: 200 });
    const x = normal([8, 3], 71);
    // A target near zero pushes W down.
    const target = tf.zeros([8, 5]);
    let sawNegative = false;
    train(attrs, params, x, target, 10, () => {
      sawNegative ||= params.W.min().dataSync()[0] < 0;
      expect(projectParams("pcdeq", params)).toEqual(["W"]);
      expect(params.W.min().dataSync()[0]).toBeGreaterThanOrEqual(0);
    });
    expect(sawNegative).toBe(true);
    params.W.assign(params.W.sub(0.01));
    expect(() => runImplicit({ label: "pc", attrs, inputs: [x], params, training: true })).toThrow(
      /cell pcdeq needs W ≥ 0 .* call projectParams\("pcdeq", params\) after every optimiser step/,
    );
    expect(projectParams("monotone", params)).toEqual([]);
    disposeAll(params);
  });
});

describe("ℓ∞ cells: μ∞ and the Lipschitz bound", () => {
  it("muInf matches the definition on a small matrix", () => {
    const a = tf.tensor2d([
      [-2, 1, -0.5],
      [0.3, 0.1, 0.2],
      [1, -1, -3],
    ]);
    // rows: −2 + 1.5 = −0.5; 0.1 + 0.5 = 0.6; −3 + 2 = −1
    expect(muInf(a).dataSync()[0]).toBeCloseTo(0.6, 6);
    a.dispose();
  });

  it("the D-weighted measure stays ≤ m through training with the Lipschitz penalty", () => {
    const m = 0.8;
    const args = { units: 5, m, activation: "relu", lipschitz_reg: 0.01 };
    const { params, stateShape } = cellVariables("linf", { kind: "dense", units: 5 }, [3], 80, { T: 1.0, d: 0.5 });
    const mu = () => tf.tidy(() => weightedMuInf(linfMatrix(params.T, params.d, m), params.d).dataSync()[0]);
    expect(mu()).toBeLessThanOrEqual(m + 1e-6);
    const before = snapshot(params);
    const x = normal([8, 3], 81);
    const target = normal([8, 5], 82).relu();
    const readout = normal([5, 2], 83);
    const attrs = implicitAttrs("linf", args, stateShape, "averaged", { tol: 1e-4 });
    const r = runImplicit({ label: "lf", attrs, inputs: [x], params, training: true, readout });
    expect(r.regularizer).toBeDefined();
    const bound = linfLipschitzBound(linfMatrix(params.T, params.d, m), params.d, params["U.weight"], readout);
    expect(r.regularizer!.dataSync()[0]).toBeCloseTo(0.01 * bound.dataSync()[0], 5);
    train(attrs, params, x, target, 15, undefined, readout);
    expect(changed(before, params, "T")).toBeGreaterThan(1e-3);
    expect(changed(before, params, "d")).toBeGreaterThan(1e-3);
    expect(mu()).toBeLessThanOrEqual(m + 1e-6);
    disposeAll(params);
  });

  it("the bound holds for the trained map: ‖C z*(x₁) − C z*(x₂)‖∞ ≤ L ‖x₁ − x₂‖∞", () => {
    const m = 0.7;
    const args = { units: 6, m, activation: "relu" };
    const { params, stateShape } = cellVariables("linf", { kind: "dense", units: 6 }, [4], 90, { T: 0.8, d: 0.7, "U.weight": 1 });
    const readout = normal([6, 3], 91);
    const attrs = implicitAttrs("linf", args, stateShape, "averaged", { tol: 1e-6, max_iter: 2000 });
    const bound = linfLipschitzBound(linfMatrix(params.T, params.d, m), params.d, params["U.weight"], readout).dataSync()[0];
    const x1 = normal([50, 4], 92);
    const x2 = tf.tidy(() => x1.add(normal([50, 4], 93, 0.3)));
    const z1 = runImplicit({ label: "lf", attrs, inputs: [x1], params, training: false }).output;
    const z2 = runImplicit({ label: "lf", attrs, inputs: [x2], params, training: false }).output;
    const ratios = tf.tidy(() => {
      const out = z1.sub(z2).matMul(readout).abs().max(1);
      const inp = x1.sub(x2).abs().max(1);
      return Array.from(out.div(inp).dataSync());
    });
    const worst = Math.max(...ratios);
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(bound * (1 + 1e-4));
    disposeAll(params);
  });
});

describe("generic cell norms and the Jacobian penalty", () => {
  it("spectral norm: the power-iteration buffer converges and the effective W has norm 1", () => {
    const args = { units: 6, activation: "tanh", norm: "spectral" };
    const { params, stateShape } = cellVariables("dense", { kind: "dense", units: 6, norm: "spectral" }, [3], 100, { W: 1.0 });
    const attrs = implicitAttrs("dense", args, stateShape, "anderson");
    const x = normal([2, 3], 101);
    for (let k = 0; k < 40; k++) runImplicit({ label: "sn", attrs, inputs: [x], params, training: true }).output.dispose();
    const { cell } = buildCell("sn", { cell: "dense", cellArgs: args, stateShape }, params, [3]);
    const w = operatorMatrix((z) => cell.bind([tf.zeros([1, 3])]).structure!.linear.apply(z), [6]);
    // Largest singular value of the effective operator: sqrt of the top eigenvalue of WᵀW.
    const wtw = w.map((_, i) => w.map((__, j) => w.reduce((s, row) => s + row[i] * row[j], 0)));
    const top = Math.sqrt(symmetricEigenvalues(wtw)[5]);
    expect(top).toBeCloseTo(1, 3);
    disposeAll(params);
  });

  it("jac_reg: the Hutchinson penalty averages to jac_reg · ‖J‖²_F / d and has a gradient", () => {
    const jacReg = 0.5;
    const args = { units: 5, activation: "tanh", jac_reg: jacReg };
    const { params, stateShape } = cellVariables("dense", { kind: "dense", units: 5 }, [3], 110, { W: 0.4 });
    const x = normal([2, 3], 111);
    const { cell } = buildCell("jr", { cell: "dense", cellArgs: args, stateShape }, params, [3]);
    const z = normal([2, 5], 112, 0.5);
    const js = jacobians(cell.bind([x]).f, z);
    const exact = (jacReg * js.reduce((s, j) => s + j.flat().reduce((a, v) => a + v * v, 0), 0)) / (2 * 5);
    let sum = 0;
    const probes = 400;
    for (let k = 0; k < probes; k++) {
      const r = cell.regularizer!([x], z);
      sum += r!.dataSync()[0];
      r!.dispose();
    }
    expect(Math.abs(sum / probes - exact) / exact).toBeLessThan(0.15);
    const { grads } = tf.variableGrads(() => cell.regularizer!([x], z)!, [params.W]);
    expect(tf.tidy(() => grads[params.W.name].abs().max().dataSync()[0])).toBeGreaterThan(0);
    disposeAll(params);
  });
});
