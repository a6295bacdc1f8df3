/**
 * Winograd convolutions on the wasm backend: the transforms' identities in exact arithmetic,
 * which convolutions take the path, and the kernels (forward, input gradient, filter gradient,
 * bias gradient) against the cpu backend on shapes that cover both transforms, partial tiles,
 * odd tile counts and several blocks of output channels — with the path on and off.
 */
import * as tf from "../../runtime/tf.js";
import { afterEach, describe, expect, it } from "vitest";
import { winogradApplies, type ConvolutionShape } from "../../runtime/backend/simd/winograd.js";
import {
  chooseTransform,
  F2,
  F4,
  transformFilter,
  untransformFilterGradient,
  type WinogradTransform,
} from "../../runtime/backend/simd/winograd-transforms.js";
import { maxDifference, maxMagnitude, onCpuAndWasm, randomArray } from "./compare.js";

/** Y = Aᵀ [U ⊙ (Bᵀ d B)] A for one tile and one channel pair, in float64. */
function tileOutput(t: WinogradTransform, d: number[][], u: number[][]): number[][] {
  const { alpha, m, bt, at } = t;
  const btd = bt.map((row) => Array.from({ length: alpha }, (_, j) => row.reduce((s, c, k) => s + c * d[k][j], 0)));
  const v = btd.map((row) => bt.map((b) => row.reduce((s, x, k) => s + x * b[k], 0)));
  const product = v.map((row, i) => row.map((x, j) => x * u[i][j]));
  const left = at.map((row) =>
    Array.from({ length: alpha }, (_, j) => row.reduce((s, c, k) => s + c * product[k][j], 0)),
  );
  return left.map((row) => at.map((a) => row.reduce((s, x, k) => s + x * a[k], 0))).slice(0, m);
}

const randomMatrix = (rows: number, cols: number, seed: number) => {
  const values = randomArray(rows * cols, seed);
  return Array.from({ length: rows }, (_, i) => Array.from(values.subarray(i * cols, (i + 1) * cols)));
};

describe("Winograd transforms", () => {
  for (const t of [F2, F4]) {
    it(`F(${t.m}, 3) gives the tile's correlation, and its transpose the filter gradient`, () => {
      const d = randomMatrix(t.alpha, t.alpha, 11);
      const g = randomMatrix(3, 3, 12);
      const u = new Float32Array(t.alpha * t.alpha);
      transformFilter(t, Float32Array.from(g.flat()), 1, u);
      const uMatrix = Array.from({ length: t.alpha }, (_, i) => Array.from(u.subarray(i * t.alpha, (i + 1) * t.alpha)));
      const y = tileOutput(t, d, uMatrix);
      for (let i = 0; i < t.m; i++) {
        for (let j = 0; j < t.m; j++) {
          let direct = 0;
          for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) direct += d[i + a][j + b] * g[a][b];
          expect(Math.abs(y[i][j] - direct)).toBeLessThan(1e-5);
        }
      }
      // dg[a][b] = Σ_{i,j} dY[i][j] d[i + a][j + b], through (A dY Aᵀ) ⊙ (Bᵀ d B) and back.
      const dy = randomMatrix(t.m, t.m, 13);
      const { alpha, bt, at } = t;
      const ady = Array.from({ length: alpha }, (_, i) =>
        Array.from({ length: t.m }, (_, j) => dy.reduce((s, row, k) => s + at[k][i] * row[j], 0)),
      );
      const adya = ady.map((row) =>
        Array.from({ length: alpha }, (_, j) => row.reduce((s, x, k) => s + x * at[k][j], 0)),
      );
      const btd = bt.map((row) => Array.from({ length: alpha }, (_, j) => row.reduce((s, c, k) => s + c * d[k][j], 0)));
      const v = btd.map((row) => bt.map((b) => row.reduce((s, x, k) => s + x * b[k], 0)));
      const transformed = Float32Array.from(adya.flatMap((row, i) => row.map((x, j) => x * v[i][j])));
      const dg = new Float32Array(9);
      untransformFilterGradient(t, [transformed], 1, dg);
      for (let a = 0; a < 3; a++) {
        for (let b = 0; b < 3; b++) {
          let direct = 0;
          for (let i = 0; i < t.m; i++) for (let j = 0; j < t.m; j++) direct += dy[i][j] * d[i + a][j + b];
          expect(Math.abs(dg[a * 3 + b] - direct)).toBeLessThan(1e-5);
        }
      }
    });
  }

  it("picks the transform with fewer products for the image size", () => {
    expect(chooseTransform(28, 28)).toBe(F4);
    expect(chooseTransform(14, 14)).toBe(F4);
    expect(chooseTransform(2, 2)).toBe(F2);
    expect(chooseTransform(2, 40)).toBe(F2);
  });
});

describe("which convolutions take the Winograd path", () => {
  const same: ConvolutionShape = {
    kernel: [3, 3],
    strides: [1, 1],
    dilations: [1, 1],
    padding: [1, 1, 1, 1],
    channelsLast: true,
  };
  const geometry = { batch: 4, height: 14, width: 14, cin: 24, cout: 24 };

  it("takes 3×3, unit-stride, same-padded NHWC convolutions with channels in fours (8 or more)", () => {
    expect(winogradApplies(same, geometry)).toBe(true);
    expect(winogradApplies(same, { ...geometry, height: 7, width: 5, cin: 8, cout: 12 })).toBe(true);
  });

  it("leaves every other convolution to the built-in kernels", () => {
    expect(winogradApplies({ ...same, strides: [2, 2] }, geometry)).toBe(false);
    expect(winogradApplies({ ...same, dilations: [2, 2] }, geometry)).toBe(false);
    expect(winogradApplies({ ...same, kernel: [5, 5], padding: [2, 2, 2, 2] }, geometry)).toBe(false);
    expect(winogradApplies({ ...same, padding: [0, 0, 0, 0] }, geometry)).toBe(false);
    expect(winogradApplies({ ...same, channelsLast: false }, geometry)).toBe(false);
    expect(winogradApplies(same, { ...geometry, cin: 4 })).toBe(false);
    expect(winogradApplies(same, { ...geometry, cout: 10 })).toBe(false);
  });
});

describe("Winograd convolutions against cpu", () => {
  const t4 = (shape: number[], seed: number) =>
    tf.tensor4d(
      randomArray(
        shape.reduce((a, b) => a * b, 1),
        seed,
      ),
      shape as [number, number, number, number],
    );

  afterEach(() => {
    delete process.env.SIMC_WASM_WINOGRAD;
  });

  const cases: Array<{ x: [number, number, number, number]; cout: number; what: string }> = [
    { x: [3, 28, 28, 24], cout: 24, what: "F(4, 3), whole tiles" },
    { x: [5, 14, 14, 24], cout: 24, what: "F(4, 3), partial tiles" },
    { x: [2, 6, 10, 16], cout: 36, what: "two blocks of output channels" },
    { x: [2, 7, 5, 8], cout: 8, what: "odd height and width" },
    { x: [3, 9, 13, 12], cout: 16, what: "an odd number of tiles per chunk" },
    { x: [1, 2, 2, 8], cout: 8, what: "F(2, 3)" },
  ];
  for (const c of cases) {
    for (const path of ["on", "off"]) {
      it(`${c.what}: x [${c.x}] to ${c.cout} channels, outputs and gradients (path ${path})`, async () => {
        if (path === "off") process.env.SIMC_WASM_WINOGRAD = "0";
        const [reference, candidate] = await onCpuAndWasm(() => {
          const x = t4(c.x, 1);
          const w = t4([3, 3, c.x[3], c.cout], 2);
          const bias = tf.tensor1d(randomArray(c.cout, 3));
          const r = t4([...c.x.slice(0, 3), c.cout], 4);
          const layer = (input: tf.Tensor, filter: tf.Tensor, b: tf.Tensor) =>
            tf.fused.conv2d({
              x: input as tf.Tensor4D,
              filter: filter as tf.Tensor4D,
              strides: 1,
              pad: "same",
              bias: b,
            });
          const gradients = tf.grads((input: tf.Tensor, filter: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.mul(layer(input, filter, b), r)),
          )([x, w, bias]);
          return [layer(x, w, bias), tf.conv2d(x, w, 1, "same"), ...gradients];
        });
        const scale = Math.max(maxMagnitude(reference), 1);
        expect(maxDifference(reference, candidate)).toBeLessThanOrEqual(1e-5 * scale);
      });
    }
  }
});
