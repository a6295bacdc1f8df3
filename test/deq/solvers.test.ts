import * as tf from "../../runtime/tf.js";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCell } from "../../runtime/deq/cells/index.js";
import { runImplicit } from "../../runtime/deq/implicit.js";
import { andersonWeights } from "../../runtime/deq/solvers/anderson.js";
import { runSolver } from "../../runtime/deq/solvers/index.js";
import { solverSpec } from "../../runtime/deq/settings.js";
import type { FixedPointMap, SolverResult } from "../../runtime/deq/types.js";
import { cellVariables, disposeAll, implicitAttrs, normal, useCpu } from "./helpers.js";

beforeAll(useCpu);

const ctx = (solverName: string, training = true) => ({ label: "solver-test", solverName, training });

/** ‖f(z) − z‖ / (‖f(z)‖ + 1e-8) per sample, computed here from the returned state. */
function relResiduals(f: FixedPointMap, z: tf.Tensor): number[] {
  return tf.tidy(() => {
    const fz = f(z);
    const flat = (t: tf.Tensor) => t.reshape([t.shape[0], -1]);
    const abs = flat(fz.sub(z)).norm("euclidean", 1);
    return Array.from(abs.div(flat(fz).norm("euclidean", 1).add(1e-8)).dataSync());
  });
}

function expectSolved(f: FixedPointMap, r: SolverResult, tol: number): void {
  expect(r.stats.converged.every(Boolean)).toBe(true);
  expect(r.stats.fellBack).toBeUndefined();
  const rel = relResiduals(f, r.z);
  rel.forEach((v, i) => {
    expect(v).toBeLessThanOrEqual(tol * 1.01);
    expect(v).toBeCloseTo(r.stats.relResidual[i], 5);
  });
  expect(r.stats.trace.length).toBe(r.stats.steps);
}

describe("generic solvers on known contractive maps", () => {
  it("linear map z ↦ M z + c, M symmetric with spectral radius 0.95: each solver lands on (I − M)⁻¹c", () => {
    const n = 8;
    const m = tf.tidy(() => {
      const q = normal([n, n], 1);
      const s = q.add(q.transpose()).div(2);
      // Largest |eigenvalue| of the symmetric s by power iteration, then scale it to 0.95.
      let v = tf.ones([n, 1]);
      for (let k = 0; k < 500; k++) v = s.matMul(s.matMul(v)).div(s.matMul(s.matMul(v)).norm());
      const rho = s.matMul(v).norm().dataSync()[0] / v.norm().dataSync()[0];
      return s.mul(0.95 / rho);
    });
    const c = normal([3, n], 2);
    const f: FixedPointMap = (z) => tf.tidy(() => z.matMul(m, false, true).add(c));
    const steps: Record<string, number> = {};
    for (const name of ["picard", "anderson", "broyden"] as const) {
      const r = runSolver(solverSpec(name, { tol: 1e-5, max_iter: 600 }), f, tf.zeros([3, n]), ctx(name));
      expectSolved(f, r, 1e-5);
      // The fixed point satisfies (I − M) z = c: check z − z Mᵀ = c directly.
      const err = tf.tidy(() => r.z.sub(r.z.matMul(m, false, true)).sub(c).abs().max().dataSync()[0]);
      expect(err).toBeLessThan(1e-3);
      steps[name] = r.stats.steps;
      r.z.dispose();
    }
    // Acceleration is real on a slow linear contraction.
    expect(steps.anderson).toBeLessThan(steps.picard / 3);
    expect(steps.broyden).toBeLessThan(steps.picard / 3);
    tf.dispose([m, c]);
  });

  it("z ↦ tanh(W z + x) with ‖W‖ < 1: picard (plain and damped), anderson, broyden reach tol", () => {
    const w = tf.tidy(() => normal([10, 10], 3, 0.15));
    const x = normal([4, 10], 4);
    const f: FixedPointMap = (z) => tf.tidy(() => tf.tanh(z.matMul(w).add(x)));
    for (const [name, extra] of [
      ["picard", {}],
      ["picard", { damping: 0.7 }],
      ["anderson", { memory: 3, beta: 0.8 }],
      ["anderson", {}],
      ["broyden", { memory: 4 }],
    ] as const) {
      const r = runSolver(solverSpec(name, { tol: 1e-4, max_iter: 100, ...extra }), f, tf.zeros([4, 10]), ctx(name));
      expectSolved(f, r, 1e-4);
      r.z.dispose();
    }
    tf.dispose([w, x]);
  });

  it("stops on the absolute residual with stop: abs, and caps by eval_max_iter outside training", () => {
    const f: FixedPointMap = (z) => tf.tidy(() => z.mul(0.9).add(10));
    const abs = runSolver(solverSpec("picard", { tol: 1e-2, stop: "abs", max_iter: 500 }), f, tf.zeros([2, 3]), ctx("picard"));
    expect(Math.max(...abs.stats.absResidual)).toBeLessThanOrEqual(1e-2);
    const rel = runSolver(solverSpec("picard", { tol: 1e-2, stop: "rel", max_iter: 500 }), f, tf.zeros([2, 3]), ctx("picard"));
    // ‖f(z)‖ ≈ 170 here, so the relative rule stops much earlier than the absolute one.
    expect(rel.stats.steps).toBeLessThan(abs.stats.steps - 20);
    expect(Math.max(...rel.stats.relResidual)).toBeLessThanOrEqual(1e-2);
    const settings = solverSpec("picard", { tol: 1e-9, max_iter: 3, eval_max_iter: 7 });
    const train = runSolver(settings, f, tf.zeros([2, 3]), ctx("picard", true));
    const evaluation = runSolver(settings, f, tf.zeros([2, 3]), ctx("picard", false));
    expect(train.stats.steps).toBe(3);
    expect(evaluation.stats.steps).toBe(7);
    expect(train.stats.converged).toEqual([false, false]);
    tf.dispose([abs.z, rel.z, train.z, evaluation.z]);
  });

  it("reports per-sample convergence when only some samples reach tol", () => {
    // Sample 0 starts at its fixed point; sample 1 converges slowly.
    const target = tf.tensor2d([[1, 1], [5, 5]]);
    const f: FixedPointMap = (z) => tf.tidy(() => z.mul(tf.tensor2d([[0], [0.99]])).add(target.mul(tf.tensor2d([[1], [0.01]]))));
    const r = runSolver(solverSpec("picard", { tol: 1e-3, max_iter: 10 }), f, tf.tensor2d([[1, 1], [0, 0]]), ctx("picard"));
    expect(r.stats.converged).toEqual([true, false]);
    expect(r.stats.relResidual[1]).toBeGreaterThan(1e-3);
    tf.dispose([target, r.z]);
  });
});

describe("anderson on rank-deficient histories", () => {
  it("converges when every iterate lies on one line (a rank-one residual history)", () => {
    const v = tf.tensor2d([[1, -2, 3, 0.5, 0, 1]]);
    const f: FixedPointMap = (z) => tf.tidy(() => z.mul(0.5).add(v));
    const r = runSolver(solverSpec("anderson", { tol: 1e-6, max_iter: 40 }), f, tf.zeros([1, 6]), ctx("anderson"));
    expectSolved(f, r, 1e-6);
    const z = Array.from(r.z.dataSync());
    [2, -4, 6, 1, 0, 2].forEach((want, i) => expect(z[i]).toBeCloseTo(want, 4));
    tf.dispose([v, r.z]);
  });

  it("weights stay finite and sum to 1 for duplicated and for all-zero Gram matrices", () => {
    const duplicated = Float64Array.from([4, 4, 4, 4, 4, 4, 4, 4, 4]);
    const zero = new Float64Array(9);
    for (const h of [duplicated, zero]) {
      const [w] = andersonWeights([h], 3, 1e-4);
      expect(w).toBeDefined();
      expect(Array.from(w!).every(Number.isFinite)).toBe(true);
      expect(Array.from(w!).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    }
  });

  it("falls back to damped picard after a transient NaN and still converges, recording where", () => {
    for (const name of ["anderson", "broyden"] as const) {
      let calls = 0;
      const w = normal([5, 5], 8, 0.2);
      const f: FixedPointMap = (z) => {
        calls++;
        const out = tf.tidy(() => tf.tanh(z.matMul(w).add(1)));
        if (calls !== 3) return out;
        out.dispose();
        return tf.fill(z.shape, NaN);
      };
      const r = runSolver(solverSpec(name, { tol: 1e-5, max_iter: 60 }), f, tf.zeros([2, 5]), ctx(name));
      expect(r.stats.fellBack).toMatch(new RegExp(`^${name} → picard\\(damping: 0\\.5\\) at step 3: .*NaN`));
      expect(r.stats.converged.every(Boolean)).toBe(true);
      expect(relResiduals((z) => tf.tanh(z.matMul(w).add(1)), r.z).every((v) => v <= 1e-5 * 1.01)).toBe(true);
      tf.dispose([w, r.z]);
    }
  });
});

describe("structured solvers", () => {
  it("peaceman_rachford and forward_backward solve a dense monotone cell that plain iteration cannot", () => {
    const { params, stateShape } = cellVariables("monotone", { kind: "dense", units: 12 }, [5], 13, { A: 1.0, B: 1.0 });
    const x = normal([4, 5], 14);
    const args = { kind: "dense", units: 12, m: 0.5 };
    const { cell } = buildCell("mono", { cell: "monotone", cellArgs: args, stateShape }, params, [5]);
    const bound = cell.bind([x]);
    const results: Record<string, number> = {};
    for (const [solver, settings] of [
      ["peaceman_rachford", { tol: 1e-5, alpha: 1 }],
      ["forward_backward", { tol: 1e-5, alpha: 0.02, max_iter: 5000 }],
    ] as const) {
      const r = runImplicit({ label: "mono", attrs: implicitAttrs("monotone", args, stateShape, solver, settings), inputs: [x], params, training: false });
      expectSolved(bound.f, { z: r.output, stats: r.stats }, 1e-5);
      // relu's range, up to the residual: Peaceman–Rachford returns its half iterate z½, and
      // f(z½) ≥ 0 bounds z½'s negative part by ‖f(z½) − z½‖.
      expect(tf.tidy(() => r.output.min().dataSync()[0])).toBeGreaterThanOrEqual(-Math.max(...r.stats.absResidual));
      results[solver] = r.stats.steps;
      r.output.dispose();
    }
    expect(results.peaceman_rachford).toBeLessThan(results.forward_backward);
    // Plain iteration on this cell is not a contraction: it fails loudly rather than returning garbage.
    expect(() =>
      runImplicit({ label: "mono", attrs: implicitAttrs("monotone", args, stateShape, "picard", { tol: 1e-5, max_iter: 200 }), inputs: [x], params, training: false }),
    ).toThrow(/picard failed at step \d+/);
    disposeAll(params);
  });

  it("peaceman_rachford solves a conv monotone cell (resolvent in the Fourier domain)", () => {
    const { params, stateShape } = cellVariables("monotone", { kind: "conv", channels: 3, kernel: 3 }, [5, 5, 2], 17, { A: 1, B: 1 });
    params["A.scale"].assign(tf.tensor1d([2]));
    params["B.scale"].assign(tf.tensor1d([1.5]));
    const x = normal([2, 5, 5, 2], 18);
    const args = { kind: "conv", channels: 3, kernel: 3, m: 0.5 };
    const { cell } = buildCell("conv-mono", { cell: "monotone", cellArgs: args, stateShape }, params, [5, 5, 2]);
    const r = runImplicit({ label: "conv-mono", attrs: implicitAttrs("monotone", args, stateShape, "peaceman_rachford", { tol: 1e-4 }), inputs: [x], params, training: false });
    expectSolved(cell.bind([x]).f, { z: r.output, stats: r.stats }, 1e-4);
    r.output.dispose();
    disposeAll(params);
  });

  it("averaged(alpha: auto) solves an ℓ∞ cell with a strongly negative diagonal where picard oscillates", () => {
    const { params, stateShape } = cellVariables("linf", { kind: "dense", units: 6 }, [3], 5, { T: 0.3, "U.weight": 1, "U.bias": 1 });
    params.T.assign(tf.tidy(() => params.T.sub(tf.eye(6).mul(1.5))));
    const x = normal([4, 3], 2);
    const args = { units: 6, m: 0.9, activation: "relu" };
    const { cell } = buildCell("linf", { cell: "linf", cellArgs: args, stateShape }, params, [3]);
    const run = (solver: string) =>
      runImplicit({ label: "linf", attrs: implicitAttrs("linf", args, stateShape, solver, { tol: 1e-4, max_iter: 300 }), inputs: [x], params, training: false });
    const avg = run("averaged");
    expectSolved(cell.bind([x]).f, { z: avg.output, stats: avg.stats }, 1e-4);
    const plain = run("picard");
    expect(plain.stats.converged.some(Boolean)).toBe(false);
    expect(plain.stats.steps).toBe(300);
    tf.dispose([avg.output, plain.output]);
    disposeAll(params);
  });

  it("pcdeq: plain iteration from 0 converges for both pairings", () => {
    for (const [injection, activation] of [
      ["softplus", "softsign"],
      ["relu", "sigmoid"],
    ]) {
      const { params, stateShape } = cellVariables("pcdeq", { kind: "conv", channels: 3, kernel: 3 }, [4, 4, 1], 23, { W: 0.05 });
      const x = normal([2, 4, 4, 1], 24);
      const args = { kind: "conv", channels: 3, kernel: 3, activation, injection, beta: 5 };
      const { cell } = buildCell("pc", { cell: "pcdeq", cellArgs: args, stateShape }, params, [4, 4, 1]);
      const r = runImplicit({ label: "pc", attrs: implicitAttrs("pcdeq", args, stateShape, "picard", { tol: 1e-4, max_iter: 200 }), inputs: [x], params, training: false });
      expectSolved(cell.bind([x]).f, { z: r.output, stats: r.stats }, 1e-4);
      r.output.dispose();
      disposeAll(params);
    }
  });
});
