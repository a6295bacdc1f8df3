import * as tf from "../../runtime/tf.js";
import { Matrix, pseudoInverse } from "ml-matrix";
import { beforeAll, describe, expect, it } from "vitest";
import { liftReport } from "../../analysis/lift.js";
import { analyzeTrajectories, type Trajectories } from "../../analysis/spectrum.js";
import { iterateBound } from "../../analysis/trajectories.js";
import { AnalysisError } from "../../analysis/errors.js";
import { initBackend } from "../../runtime/backend/index.js";
import { derivedCell } from "../../runtime/deq/cells/derived.js";
import { uniformStream } from "../../runtime/rng.js";

beforeAll(async () => {
  await initBackend("cpu");
});

/** Trajectories of the test-built cell f(z, x) = z·Wᵀ + x·V, iterated by the runtime from z₀ = 0. */
async function trajectoriesOf(w: number[][], count: number, steps: number): Promise<Trajectories> {
  const dim = w.length;
  const next = uniformStream(7);
  const x = Float32Array.from({ length: count * 3 }, () => 2 * next() - 1);
  const v = tf.tensor2d(Array.from({ length: 3 }, (_, i) => Array.from({ length: dim }, (_, j) => ((i + 1) * (j + 2)) % 5 - 2)));
  const wt = tf.tensor2d(w).transpose();
  const cell = derivedCell((z, inputs) => tf.tidy(() => tf.matMul(z, wt).add(tf.matMul(inputs[0], v))));
  const inputs = tf.tensor2d(x, [count, 3]);
  const { states, steps: done } = await iterateBound(cell.bind([inputs]), [dim], count, steps);
  inputs.dispose();
  v.dispose();
  wt.dispose();
  return { count, steps: done, stateDim: dim, states, inputDim: 3, inputs: x };
}

describe("the spectrum of a cell's trajectories", () => {
  it("classifies a cell that is a rotation as case (iii), with e^{±iθ} deciding", async () => {
    const theta = 0.3;
    const rotation = [
      [Math.cos(theta), -Math.sin(theta)],
      [Math.sin(theta), Math.cos(theta)],
    ];
    const analysis = analyzeTrajectories(await trajectoriesOf(rotation, 16, 40), { dictionary: { kind: "state+input", inputs: 3 }, rank: 8 });
    expect(analysis.verdict.case).toBe("iii");
    const deciding = analysis.verdict.deciding.map((k) => analysis.eigen[k]);
    expect(deciding).toHaveLength(2);
    for (const e of deciding) {
      expect(e.modulus).toBeCloseTo(1, 4);
      expect(Math.abs(e.argument)).toBeCloseTo(theta, 4);
      expect(e.continuous?.re).toBeCloseTo(0, 4);
    }
  });

  it("classifies a contractive cell as case (ii): its fixed point depends on the input", async () => {
    const analysis = analyzeTrajectories(await trajectoriesOf([[0.5, 0.2], [-0.1, 0.6]], 16, 30), { dictionary: { kind: "state+input", inputs: 3 }, rank: 8 });
    expect(analysis.verdict.case).toBe("ii");
    const inside = analysis.eigen.filter((e) => e.kept && e.role === "decay").map((e) => e.modulus);
    expect(Math.max(...inside)).toBeLessThan(1);
  });

  it("stops the pairs where an expanding cell's states blow up, and calls it case (iv)", async () => {
    const analysis = await trajectoriesOf([[3, 0], [0, 0.5]], 8, 60);
    expect(analysis.steps).toBeLessThan(60);
    expect(analysis.steps).toBeGreaterThan(10);
    const verdict = analyzeTrajectories(analysis, { dictionary: { kind: "state+input", inputs: 3 }, rank: 8 }).verdict;
    expect(verdict.case).toBe("iv");
    expect(verdict.spectralRadius).toBeCloseTo(3, 3);
  });

  it("refuses a dictionary the state is too large for, and too few steps for the dictionary, with codes", async () => {
    const small = await trajectoriesOf([[0.5, 0], [0, 0.5]], 4, 3);
    const big: Trajectories = { ...small, stateDim: 100, states: new Float32Array(4 * 4 * 100) };
    const failure = (run: () => unknown): AnalysisError => {
      try {
        run();
      } catch (error) {
        if (error instanceof AnalysisError) return error;
        throw error;
      }
      throw new Error("no error");
    };
    const tooLarge = failure(() => analyzeTrajectories(big, { dictionary: { kind: "poly2" }, rank: 100 }));
    expect(tooLarge.code).toBe("SIM8002");
    expect(tooLarge.message).toBe("dictionary poly2 on 100 state coordinates has 5151 observables (at most 1500)");
    expect(tooLarge.hint).toMatch(/^reduce the state with --rank \d+ or less$/);
    const tooShort = failure(() => analyzeTrajectories(small, { dictionary: { kind: "rff", features: 64 }, rank: 2 }));
    expect(tooShort.code).toBe("SIM8003");
    expect(tooShort.message).toBe("4 trajectories × 3 steps give 12 snapshot pairs, fewer than the 65 observables of rff:64");
    expect(tooShort.hint).toMatch(/^use --steps 17 or more/);
  });
});

describe("the SIM lift report", () => {
  it("gives projection distance 0 when C is B's pseudo-inverse, with r unit eigenvalues", () => {
    const next = uniformStream(3);
    const b = new Matrix(Array.from({ length: 12 }, () => Array.from({ length: 5 }, () => next() - 0.5))); // m = 12 → r = 5
    const c = pseudoInverse(b.transpose()).transpose(); // x·B·C = x·B·B⁺ in simc's [in, out] layout
    const report = liftReport("C·B", b, c.transpose().transpose());
    expect(report.projectionDistance).toBeLessThan(1e-12);
    expect(report.numericalRank).toBe(5);
    expect(report.eigenvalues.slice(0, 5).every((v) => Math.abs(v.re - 1) < 1e-10 && Math.abs(v.im) < 1e-10)).toBe(true);
    expect(report.eigenvalues.slice(5).every((v) => Math.hypot(v.re, v.im) < 1e-10)).toBe(true);
  });

  it("measures how far a free lift is from a projection", () => {
    const b = new Matrix([[1, 0], [0, 1], [0, 0]]);
    const c = new Matrix([[0.5, 0, 0], [0, 0.5, 0]]); // x ↦ x·B·C halves two coordinates: P² − P = −P/2
    const report = liftReport("C·B", b, c);
    expect(report.projectionDistance).toBeCloseTo(0.5, 12);
    expect(report.maxModulus).toBeCloseTo(0.5, 12);
  });
});
