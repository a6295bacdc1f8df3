import * as tf from "../../runtime/tf.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { ImplicitAttrs } from "../../ir/types.js";
import { buildCell } from "../../runtime/deq/cells/index.js";
import { runImplicit } from "../../runtime/deq/implicit.js";
import type { SolverStats } from "../../runtime/deq/types.js";
import { cellVariables, disposeAll, implicitAttrs, normal, relError, useCpu } from "./helpers.js";
import { explicitImplicitGrads } from "./reference.js";

beforeAll(useCpu);

type Params = Record<string, tf.Variable>;

/** Gradients of Σ c ⊙ out + ½Σ out² with respect to the input and every variable (sorted by local name). */
function gradsOf(out: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, params: Params, c: tf.Tensor): tf.Tensor[] {
  const names = Object.keys(params).sort();
  return tf.grads((xArg: tf.Tensor) => {
    const o = out(xArg);
    return o.mul(c).sum().add(o.square().sum().mul(0.5));
  })([x, ...names.map((n) => params[n])]);
}

function implicitGrads(attrs: ImplicitAttrs, x: tf.Tensor, params: Params, c: tf.Tensor, body?: (z: tf.Tensor, i: tf.Tensor[]) => tf.Tensor) {
  return gradsOf((xArg) => runImplicit({ label: "grad-test", attrs, inputs: [xArg], params, body, training: true }).output, x, params, c);
}

function expectClose(actual: tf.Tensor[], expected: tf.Tensor[], names: string[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const err = relError(a, expected[i]);
    expect(err, `gradient of ${names[i]}: relative error ${err}`).toBeLessThanOrEqual(tol);
    expect(tf.tidy(() => expected[i].abs().max().dataSync()[0]), `${names[i]} has a nonzero gradient`).toBeGreaterThan(0);
  });
}

const tight = { tol: 1e-6, max_iter: 200 };

describe("implicit gradients equal unrolled ones on contractive cells", () => {
  it("generic dense cell (tanh), every parameter and the input, for each backward solver", () => {
    const { params, stateShape } = cellVariables("dense", { kind: "dense", units: 6 }, [4], 11, { W: 0.1, "U.weight": 0.5, "U.bias": 0.5 });
    const x = normal([3, 4], 5);
    const c = normal([3, 6], 9);
    // Reference: 80 plain iterations from 0, differentiated through every step (contraction ≈ 0.5).
    const reference = gradsOf(
      (xArg) => {
        let z = tf.zeros([3, 6]);
        for (let k = 0; k < 80; k++) z = tf.tanh(z.matMul(params.W).add(xArg.matMul(params["U.weight"])).add(params["U.bias"]));
        return z;
      },
      x,
      params,
      c,
    );
    const names = ["x", ...Object.keys(params).sort()];
    for (const solver of ["picard", "anderson", "broyden"]) {
      const attrs = implicitAttrs("dense", { units: 6, activation: "tanh" }, stateShape, "anderson", tight, "implicit", { solver });
      expectClose(implicitGrads(attrs, x, params, c), reference, names.map((n) => `${n} (${solver})`), 1e-3);
    }
    // The runtime's own unrolled mode is the same reference.
    const unrolledAttrs = implicitAttrs("dense", { units: 6, activation: "tanh" }, stateShape, "anderson", tight, "unrolled", { steps: 80 });
    expectClose(implicitGrads(unrolledAttrs, x, params, c), reference, names, 1e-4);
    disposeAll(params);
  });

  it("generic conv cell under weight norm (analytic conv transposes in the backward pass)", () => {
    const { params, stateShape } = cellVariables("conv", { kind: "conv", channels: 2, kernel: 3, norm: "weight" }, [4, 4, 1], 21, {
      "W.v": 0.3,
    });
    params["W.g"].assign(tf.fill([2], 0.4));
    const x = normal([2, 4, 4, 1], 3);
    const c = normal([2, 4, 4, 2], 4);
    const w = () => {
      const v = params["W.v"];
      return v.mul(params["W.g"]).div(v.square().sum([0, 1, 2], true).sqrt());
    };
    const reference = gradsOf(
      (xArg) => {
        let z = tf.zeros([2, 4, 4, 2]);
        const inj = tf.conv2d(xArg as tf.Tensor4D, params["U.weight"] as tf.Tensor4D, 1, "same").add(params["U.bias"]);
        for (let k = 0; k < 80; k++) z = tf.tanh(tf.conv2d(z as tf.Tensor4D, w() as tf.Tensor4D, 1, "same").add(inj));
        return z;
      },
      x,
      params,
      c,
    );
    const attrs = implicitAttrs("conv", { channels: 2, kernel: 3, activation: "tanh", norm: "weight" }, stateShape, "anderson", tight);
    expectClose(implicitGrads(attrs, x, params, c), reference, ["x", ...Object.keys(params).sort()], 1e-3);
    disposeAll(params);
  });

  it("derived cell f(z, x) = ϕ(K·(x + A z)) evaluated by a body, with autodiff Jacobian products", () => {
    const m = 5;
    const h = 4;
    const mk = (shape: number[], seed: number, std: number, name: string) => tf.variable(normal(shape, seed, std), true, `derived_${name}_${seed}`);
    const params: Params = { K: mk([m, m], 1, 0.3, "K"), A: mk([h, m], 2, 0.3, "A"), P: mk([m, h], 3, 0.4, "P"), p: mk([h], 4, 0.2, "p") };
    const body = (z: tf.Tensor, inputs: tf.Tensor[]) =>
      tf.tanh(inputs[0].add(z.matMul(params.A)).matMul(params.K).matMul(params.P).add(params.p));
    const x = normal([3, m], 6);
    const c = normal([3, h], 7);
    const reference = gradsOf(
      (xArg) => {
        let z = tf.zeros([3, h]);
        for (let k = 0; k < 80; k++) z = body(z, [xArg]);
        return z;
      },
      x,
      params,
      c,
    );
    const attrs = implicitAttrs("derived", {}, [h], "broyden", tight, "implicit", { solver: "anderson" });
    expectClose(implicitGrads(attrs, x, params, c, body), reference, ["x", ...Object.keys(params).sort()], 1e-3);
    disposeAll(params);
  });
});

describe("implicit gradients of structured cells equal explicit linear algebra", () => {
  // (I − Jᵀ)u = g solved exactly in float64 with J from autodiff; these cells need not be contractive.
  const cases: { name: string; family: "monotone" | "linf" | "pcdeq"; args: Record<string, string | number>; solver: string; settings: Record<string, number>; backward: string }[] = [
    { name: "monotone + peaceman_rachford, splitting backward", family: "monotone", args: { kind: "dense", units: 5, m: 0.5 }, solver: "peaceman_rachford", settings: { tol: 1e-6, max_iter: 500 }, backward: "peaceman_rachford" },
    { name: "monotone + forward_backward, splitting backward", family: "monotone", args: { kind: "dense", units: 5, m: 0.5 }, solver: "forward_backward", settings: { tol: 1e-6, max_iter: 3000, alpha: 0.2 }, backward: "forward_backward" },
    { name: "monotone + peaceman_rachford, broyden backward", family: "monotone", args: { kind: "dense", units: 5, m: 0.5 }, solver: "peaceman_rachford", settings: { tol: 1e-6, max_iter: 500 }, backward: "broyden" },
    { name: "linf + averaged, anderson backward", family: "linf", args: { units: 5, m: 0.9, activation: "relu" }, solver: "averaged", settings: { tol: 1e-6, max_iter: 3000 }, backward: "anderson" },
    { name: "pcdeq + picard, picard backward", family: "pcdeq", args: { kind: "dense", units: 5, activation: "tanh", injection: "softplus", beta: 5 }, solver: "picard", settings: { tol: 1e-6, max_iter: 300 }, backward: "picard" },
  ];
  for (const k of cases) {
    it(k.name, () => {
      const scales: Record<string, number> = k.family === "linf" ? { T: 0.8, d: 0.3 } : k.family === "pcdeq" ? { W: 0.15 } : { A: 0.7, B: 0.7 };
      const { params, stateShape } = cellVariables(k.family, { kind: "dense", units: 5 }, [3], 31, { ...scales, "U.weight": 0.8, "U.bias": 0.5 });
      const x = normal([2, 3], 8);
      const c = normal([2, 5], 9);
      const attrs = implicitAttrs(k.family, k.args, stateShape, k.solver, k.settings, "implicit", { solver: k.backward, tol: 1e-6, max_iter: 2000 });
      const run = (xArg: tf.Tensor, training: boolean) => runImplicit({ label: k.name, attrs, inputs: [xArg], params, training });
      const backwardStats: SolverStats[] = [];
      const actual = gradsOf((xArg) => runImplicit({ label: k.name, attrs, inputs: [xArg], params, training: true, onBackwardStats: (st) => backwardStats.push(st) }).output, x, params, c);
      expect(backwardStats.length).toBe(1);
      expect(backwardStats[0].converged.every(Boolean), `backward residuals ${backwardStats[0].relResidual} after ${backwardStats[0].steps} steps`).toBe(true);
      expect(backwardStats[0].fellBack).toBeUndefined();
      // Reference: z* from the solver (checked elsewhere), J by autodiff of the cell map itself.
      const evaluation = run(x, false);
      const zStar = evaluation.output;
      expect(evaluation.stats.converged.every(Boolean)).toBe(true);
      const names = Object.keys(params).sort();
      const cell = (z: tf.Tensor, xArg: tf.Tensor) => cellMap(k.family, k.args, params, z, xArg);
      const dy = tf.tidy(() => {
        const o = cell(zStar, x);
        return c.add(o);
      });
      const expected = explicitImplicitGrads((z) => cell(z, x), zStar, dy, [x, ...names.map((n) => params[n])]);
      expectClose(actual, expected, ["x", ...names], 2e-3);
      disposeAll(params);
    });
  }
});

/** The cell maps written out by hand (math matrices act on column vectors; states are rows). */
function cellMap(family: string, args: Record<string, string | number>, p: Params, z: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inj = x.matMul(p["U.weight"]).add(p["U.bias"]);
    const n = z.shape[1]!;
    if (family === "monotone") {
      const m = args.m as number;
      const w = tf.eye(n).mul(1 - m).sub(p.A.transpose().matMul(p.A)).add(p.B).sub(p.B.transpose());
      return tf.relu(z.matMul(w.transpose()).add(inj));
    }
    if (family === "linf") {
      const m = args.m as number;
      const t = p.T;
      const d = p.d;
      const a = t
        .mul(tf.exp(d.reshape([1, n]).sub(d.reshape([n, 1]))))
        .add(tf.eye(n).mul(tf.scalar(m).sub(t.abs().sum(1)).reshape([n, 1])));
      return tf.relu(z.matMul(a.transpose()).add(inj));
    }
    const beta = args.beta as number;
    return tf.tanh(z.matMul(p.W).add(tf.softplus(inj.mul(beta)).div(beta)));
  });
}

describe("truncated gradients are what they claim", () => {
  it("one_step is the gradient through one application of f at a constant z*; phantom through k damped steps", () => {
    const { params, stateShape } = cellVariables("dense", { kind: "dense", units: 6 }, [4], 41, { W: 0.3 });
    const x = normal([3, 4], 12);
    const c = normal([3, 6], 13);
    const f = (z: tf.Tensor, xArg: tf.Tensor) => tf.tanh(z.matMul(params.W).add(xArg.matMul(params["U.weight"])).add(params["U.bias"]));
    const solve = implicitAttrs("dense", { units: 6, activation: "tanh" }, stateShape, "anderson", tight, "one_step");
    const zStar = runImplicit({ label: "z*", attrs: solve, inputs: [x], params, training: false }).output;
    const names = ["x", ...Object.keys(params).sort()];

    const oneStep = implicitGrads(solve, x, params, c);
    const oneStepRef = gradsOf((xArg) => f(zStar, xArg), x, params, c);
    expectClose(oneStep, oneStepRef, names, 1e-4);

    const phantomAttrs = implicitAttrs("dense", { units: 6, activation: "tanh" }, stateShape, "anderson", tight, "phantom", { steps: 3, damping: 0.6 });
    const phantom = implicitGrads(phantomAttrs, x, params, c);
    const phantomRef = gradsOf(
      (xArg) => {
        let z = zStar;
        for (let k = 0; k < 3; k++) z = z.mul(0.4).add(f(z, xArg).mul(0.6));
        return z;
      },
      x,
      params,
      c,
    );
    expectClose(phantom, phantomRef, names, 1e-4);

    // And they are genuinely different from the implicit gradient on this (non-trivial) cell.
    const implicitAttrsFull = implicitAttrs("dense", { units: 6, activation: "tanh" }, stateShape, "anderson", tight);
    const exact = implicitGrads(implicitAttrsFull, x, params, c);
    expect(relError(oneStep[3], exact[3])).toBeGreaterThan(1e-2);
    disposeAll(params);
  });
});

describe("conv monotone cell: splitting backward through the Fourier-domain resolvent", () => {
  it("peaceman_rachford forward and backward agree with explicit linear algebra", () => {
    const args = { kind: "conv", channels: 2, kernel: 3, m: 0.5 };
    const { params, stateShape } = cellVariables("monotone", { kind: "conv", channels: 2, kernel: 3 }, [3, 3, 1], 140, { A: 1, B: 1 });
    params["A.scale"].assign(tf.tensor1d([1.5]));
    const x = normal([2, 3, 3, 1], 141);
    const c = normal([2, 3, 3, 2], 142);
    const attrs = implicitAttrs("monotone", args, stateShape, "peaceman_rachford", { tol: 1e-6, max_iter: 500 }, "implicit", { solver: "peaceman_rachford", tol: 1e-6, max_iter: 500 });
    const actual = implicitGrads(attrs, x, params, c);
    const evaluation = runImplicit({ label: "conv-mono", attrs, inputs: [x], params, training: false });
    expect(evaluation.stats.converged.every(Boolean)).toBe(true);
    const { cell } = buildCell("conv-mono", { cell: "monotone", cellArgs: args, stateShape }, params, [3, 3, 1]);
    const n = 18;
    const flatF = (z: tf.Tensor) => cell.bind([x]).f(z.reshape([2, 3, 3, 2])).reshape([2, n]);
    const zFlat = evaluation.output.reshape([2, n]);
    const dy = tf.tidy(() => c.add(cell.bind([x]).f(evaluation.output)).reshape([2, n]));
    const names = Object.keys(params).sort();
    const expected = explicitImplicitGrads(flatF, zFlat, dy, [x, ...names.map((k) => params[k])]);
    expectClose(actual, expected, ["x", ...names], 2e-3);
    disposeAll(params);
  });
});
