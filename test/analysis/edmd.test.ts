import { describe, expect, it } from "vitest";
import { classify } from "../../analysis/classify.js";
import { buildDictionary, liftSnapshots, monomialDictionary, type Dictionary } from "../../analysis/dictionary.js";
import { edmd, type SnapshotMatrix } from "../../analysis/edmd.js";
import { koopmanModes } from "../../analysis/modes.js";
import { uniformStream } from "../../runtime/rng.js";

type Map2 = (z: number[]) => number[];

/** Snapshot pairs (z, F(z)) from `count` random initial states, `steps` steps each. */
function pairsOf(map: Map2, dim: number, count: number, steps: number, seed = 1, spread = 1): { x: SnapshotMatrix; y: SnapshotMatrix } {
  const next = uniformStream(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let n = 0; n < count; n++) {
    let z = Array.from({ length: dim }, () => spread * (2 * next() - 1));
    if (dim === 1 && spread === 1 && seed === 3) z = [next()]; // the logistic map's domain [0, 1]
    for (let t = 0; t < steps; t++) {
      const w = map(z);
      xs.push(...z);
      ys.push(...w);
      z = w;
    }
  }
  const rows = count * steps;
  return { x: { rows, cols: dim, data: Float64Array.from(xs) }, y: { rows, cols: dim, data: Float64Array.from(ys) } };
}

function analyse(map: Map2, dim: number, dictionary: Dictionary, count = 20, steps = 10, spread = 1, ridge?: number) {
  const { x, y } = pairsOf(map, dim, count, steps, 1, spread);
  const psiX = liftSnapshots(dictionary, x);
  const psiY = liftSnapshots(dictionary, y);
  const result = edmd(psiX, psiY, { ridge });
  const modes = koopmanModes(result, psiX, x);
  return { result, verdict: classify(result, modes, psiX, x), psiX };
}

const sortedValues = (values: { re: number; im: number }[]) =>
  values.map((v) => [v.re, v.im]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);

const linear = (a: number[][], b: number[] = []): Map2 => (z) => a.map((row, i) => row.reduce((s, v, j) => s + v * z[j], 0) + (b[i] ?? 0));

/** A real 2×2 block with eigenvalues r·e^{±iθ}. */
const rotation = (r: number, theta: number) => [
  [r * Math.cos(theta), -r * Math.sin(theta)],
  [r * Math.sin(theta), r * Math.cos(theta)],
];

describe("EDMD on systems with known spectra", () => {
  it("recovers a linear map's real and complex eigenvalues to 1e-8 with the state dictionary", () => {
    // Block-diagonal in a rotated basis: eigenvalues 0.9, −0.5, 0.3 and 0.8·e^{±0.7i}.
    const blocks = [
      [0.9, 0, 0, 0, 0],
      [0, -0.5, 0, 0, 0],
      [0, 0, 0.3, 0, 0],
      [0, 0, 0, ...rotation(0.8, 0.7)[0]],
      [0, 0, 0, ...rotation(0.8, 0.7)[1]],
    ];
    // Conjugate by a fixed well-conditioned matrix so that the map is not diagonal.
    const s = [
      [1, 0.2, 0, 0.1, 0],
      [0, 1, 0.3, 0, 0.2],
      [0.1, 0, 1, 0.2, 0],
      [0, 0.1, 0, 1, 0.3],
      [0.2, 0, 0.1, 0, 1],
    ];
    const mul = (p: number[][], q: number[][]) => p.map((row) => q[0].map((_, j) => row.reduce((acc, v, k) => acc + v * q[k][j], 0)));
    // S⁻¹ by Gauss–Jordan on a copy.
    const inv = (m: number[][]) => {
      const n = m.length;
      const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
      for (let c = 0; c < n; c++) {
        const p = a[c][c];
        for (let j = 0; j < 2 * n; j++) a[c][j] /= p;
        for (let r = 0; r < n; r++) if (r !== c) {
          const f = a[r][c];
          for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
        }
      }
      return a.map((row) => row.slice(n));
    };
    const a = mul(mul(s, blocks), inv(s));
    const { result } = analyse(linear(a), 5, buildDictionary({ kind: "state" }, 5));
    const got = sortedValues(result.pairs.map((p) => p.value));
    const want = sortedValues([
      { re: 1, im: 0 },
      { re: 0.9, im: 0 },
      { re: -0.5, im: 0 },
      { re: 0.3, im: 0 },
      { re: 0.8 * Math.cos(0.7), im: 0.8 * Math.sin(0.7) },
      { re: 0.8 * Math.cos(0.7), im: -0.8 * Math.sin(0.7) },
    ]);
    expect(got).toHaveLength(6);
    got.forEach((g, i) => {
      expect(Math.abs(g[0] - want[i][0])).toBeLessThan(1e-8);
      expect(Math.abs(g[1] - want[i][1])).toBeLessThan(1e-8);
    });
    // Every eigenpair of an exactly linear system is exact: tiny residuals.
    for (const p of result.pairs) expect(p.residual).toBeLessThan(1e-6);
    // The eigenvectors are right eigenvectors of K, complex pairs included.
    for (const p of result.pairs) {
      const k = result.koopman;
      for (let i = 0; i < k.rows; i++) {
        let re = 0;
        let im = 0;
        for (let j = 0; j < k.columns; j++) {
          re += k.get(i, j) * p.vector.re[j];
          im += k.get(i, j) * p.vector.im[j];
        }
        expect(re).toBeCloseTo(p.value.re * p.vector.re[i] - p.value.im * p.vector.im[i], 8);
        expect(im).toBeCloseTo(p.value.re * p.vector.im[i] + p.value.im * p.vector.re[i], 8);
      }
    }
  });

  it("finds {1, λ, μ, λ²} exactly on a nonlinear map with a finite invariant subspace", () => {
    const lambda = 0.9;
    const mu = 0.5;
    const map: Map2 = ([x, y]) => [lambda * x, mu * y + (lambda * lambda - mu) * x * x];
    const dictionary = monomialDictionary("[1, x, y, x²]", [
      [1, 0],
      [0, 1],
      [2, 0],
    ]);
    // Without regularisation the least squares are exact (up to rounding).
    const { result } = analyse(map, 2, dictionary, 20, 10, 1, 0);
    const got = result.pairs.map((p) => p.value.re).sort((a, b) => a - b);
    const want = [1, lambda, mu, lambda * lambda].sort((a, b) => a - b);
    got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(1e-12));
    for (const p of result.pairs) {
      expect(p.value.im).toBe(0);
      expect(p.residual).toBeLessThan(1e-6);
    }
  });

  it("flags spurious eigenpairs of a dictionary that is not invariant for a chaotic map", () => {
    // The logistic map x ↦ 4x(1 − x) on [0, 1]; monomials up to degree 6 are far from invariant.
    const exponents = [1, 2, 3, 4, 5, 6].map((p) => [p]);
    const { x, y } = pairsOf(([v]) => [4 * v * (1 - v)], 1, 200, 20, 3, 1);
    const dictionary = monomialDictionary("poly6", exponents);
    const result = edmd(liftSnapshots(dictionary, x), liftSnapshots(dictionary, y));
    const spurious = result.pairs.filter((p) => p.residual > 0.1);
    expect(spurious.length).toBeGreaterThanOrEqual(1);
    // The constant is an exact eigenfunction whatever the map.
    const constant = result.pairs.find((p) => Math.abs(p.value.re - 1) < 1e-9 && p.value.im === 0);
    expect(constant?.residual).toBeLessThan(1e-6);
  });
});

describe("classification into the paper's four cases", () => {
  const state2 = buildDictionary({ kind: "state" }, 2);

  it("a contraction to the origin is case (i)", () => {
    const { verdict } = analyse(linear([[0.5, 0.1], [0, 0.7]]), 2, state2);
    expect(verdict.case).toBe("i");
    expect(verdict.limitSize).toBeLessThan(1e-6);
    expect(verdict.spectralRadius).toBeCloseTo(1, 9);
  });

  it("a contraction to a non-zero point is case (ii), decided by λ = 1", () => {
    const { verdict, result } = analyse(linear([[0.5, 0.1], [0, 0.7]], [1, -2]), 2, state2);
    expect(verdict.case).toBe("ii");
    expect(verdict.deciding.map((k) => result.pairs[k].value.re)).toEqual([expect.closeTo(1, 9)]);
    expect(verdict.limitSize).toBeGreaterThan(0.1);
    expect(verdict.summary).toMatch(/^case \(ii\): converges to a fixed point/);
  });

  it("a rotation is case (iii), decided by e^{±iθ}", () => {
    const { verdict, result } = analyse(linear(rotation(1, 0.4)), 2, state2);
    expect(verdict.case).toBe("iii");
    const deciding = verdict.deciding.map((k) => result.pairs[k].value);
    expect(deciding).toHaveLength(2);
    for (const v of deciding) {
      expect(Math.hypot(v.re, v.im)).toBeCloseTo(1, 9);
      expect(Math.abs(Math.atan2(v.im, v.re))).toBeCloseTo(0.4, 9);
    }
  });

  it("an expansion is case (iv)", () => {
    const { verdict } = analyse(linear([[1.2, 0], [0, 0.5]]), 2, state2, 20, 5, 0.1);
    expect(verdict.case).toBe("iv");
    expect(verdict.summary).toMatch(/\|λ\| > 1 at 1\.2/);
  });

  it("a defective (Jordan) eigenvalue 1 is case (iv)", () => {
    const { verdict } = analyse(linear([[1, 1], [0, 1]]), 2, state2, 20, 5, 0.1);
    expect(verdict.case).toBe("iv");
    expect(verdict.roles.filter((r) => r === "defective").length).toBeGreaterThanOrEqual(2);
    expect(verdict.summary).toMatch(/defective/);
  });

  it("an identity (eigenvalue 1, semisimple, thrice) is case (ii), not (iv)", () => {
    const { verdict } = analyse(linear([[1, 0], [0, 1]]), 2, state2);
    expect(verdict.case).toBe("ii");
  });
});
