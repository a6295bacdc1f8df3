/**
 * conv1d against a float64 reference written out loop by loop, forward and backward, for every
 * padding, several dilations (up to 16) and strides, on the cpu and wasm backends; and the
 * dilated gradient against central finite differences.
 */
import * as tf from "../../runtime/tf.js";
import { describe, expect, it } from "vitest";
import { initBackend } from "../../runtime/backend/index.js";
import { conv1d, conv1dOutputLength, conv1dPadding, type Conv1dOptions } from "../../runtime/ops/conv1d.js";
import { randomArray } from "../backend/compare.js";

interface Problem {
  batch: number;
  length: number;
  cin: number;
  cout: number;
  kernel: number;
  options: Conv1dOptions;
}

/** y[b,t,o] = Σ_j Σ_i xpad[b, t·s + j·d, i] w[j,i,o] and the gradients of Σ y·r, in float64. */
function reference(p: Problem, x: Float32Array, w: Float32Array, r: Float32Array) {
  const [before] = conv1dPadding(p.length, p.kernel, p.options);
  const outLength = conv1dOutputLength(p.length, p.kernel, p.options);
  const y = new Float64Array(p.batch * outLength * p.cout);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  for (let b = 0; b < p.batch; b++) {
    for (let t = 0; t < outLength; t++) {
      for (let j = 0; j < p.kernel; j++) {
        const source = t * p.options.stride + j * p.options.dilation - before;
        if (source < 0 || source >= p.length) continue;
        for (let i = 0; i < p.cin; i++) {
          const xv = x[(b * p.length + source) * p.cin + i];
          for (let o = 0; o < p.cout; o++) {
            const at = (b * outLength + t) * p.cout + o;
            const wv = w[(j * p.cin + i) * p.cout + o];
            y[at] += xv * wv;
            dx[(b * p.length + source) * p.cin + i] += r[at] * wv;
            dw[(j * p.cin + i) * p.cout + o] += r[at] * xv;
          }
        }
      }
    }
  }
  return { y, dx, dw, outLength };
}

function inputs(p: Problem, seed: number) {
  const outLength = conv1dOutputLength(p.length, p.kernel, p.options);
  return {
    x: randomArray(p.batch * p.length * p.cin, seed),
    w: randomArray(p.kernel * p.cin * p.cout, seed + 1),
    r: randomArray(p.batch * outLength * p.cout, seed + 2),
    outLength,
  };
}

function run(p: Problem, x: Float32Array, w: Float32Array, r: Float32Array, outLength: number) {
  return tf.tidy(() => {
    const xt = tf.tensor3d(x, [p.batch, p.length, p.cin]);
    const wt = tf.tensor3d(w, [p.kernel, p.cin, p.cout]);
    const rt = tf.tensor3d(r, [p.batch, outLength, p.cout]);
    const y = conv1d(xt, wt, p.options);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(conv1d(a as tf.Tensor3D, b as tf.Tensor3D, p.options), rt)),
    )([xt, wt]);
    return { shape: y.shape, y: y.dataSync(), dx: dx.dataSync(), dw: dw.dataSync() };
  });
}

function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const problems: Problem[] = [];
for (const padding of ["causal", "same", "valid"] as const) {
  for (const dilation of [1, 2, 5, 16]) {
    problems.push({ batch: 2, length: 40, cin: 3, cout: 4, kernel: 3, options: { stride: 1, dilation, padding } });
  }
  problems.push({ batch: 3, length: 23, cin: 2, cout: 5, kernel: 2, options: { stride: 2, dilation: 1, padding } });
  problems.push({ batch: 2, length: 30, cin: 4, cout: 3, kernel: 3, options: { stride: 3, dilation: 2, padding } });
}

for (const backend of ["cpu", "wasm"]) {
  describe(`conv1d on ${backend}`, () => {
    for (const [k, p] of problems.entries()) {
      const { stride, dilation, padding } = p.options;
      it(`matches the reference: ${padding}, dilation ${dilation}, stride ${stride}, kernel ${p.kernel}`, async () => {
        await initBackend(backend);
        const { x, w, r, outLength } = inputs(p, 100 + 3 * k);
        const want = reference(p, x, w, r);
        const got = run(p, x, w, r, outLength);
        expect(got.shape).toEqual([p.batch, want.outLength, p.cout]);
        expect(worst(got.y, want.y)).toBeLessThan(1e-5);
        expect(worst(got.dx, want.dx)).toBeLessThan(1e-5);
        expect(worst(got.dw, want.dw)).toBeLessThan(1e-4);
      });
    }

    it("has the gradient of central finite differences with dilation 8 (causal)", async () => {
      await initBackend(backend);
      const p: Problem = {
        batch: 2,
        length: 33,
        cin: 2,
        cout: 3,
        kernel: 3,
        options: { stride: 1, dilation: 8, padding: "causal" },
      };
      const { x, w, r, outLength } = inputs(p, 7);
      const got = run(p, x, w, r, outLength);
      const rt = tf.tensor3d(r, [p.batch, outLength, p.cout]);
      const loss = (xs: Float32Array, ws: Float32Array) =>
        tf.tidy(
          () =>
            tf
              .sum(
                tf.mul(
                  conv1d(
                    tf.tensor3d(xs, [p.batch, p.length, p.cin]),
                    tf.tensor3d(ws, [p.kernel, p.cin, p.cout]),
                    p.options,
                  ),
                  rt,
                ),
              )
              .dataSync()[0],
        );
      const h = 1e-2;
      // The loss is linear in x and in w, so central differences are exact up to rounding.
      for (const index of [0, 17, 63, 64, 131]) {
        const plus = Float32Array.from(x);
        const minus = Float32Array.from(x);
        plus[index] += h;
        minus[index] -= h;
        expect(Math.abs((loss(plus, w) - loss(minus, w)) / (2 * h) - got.dx[index])).toBeLessThan(2e-3);
      }
      for (let index = 0; index < w.length; index++) {
        const plus = Float32Array.from(w);
        const minus = Float32Array.from(w);
        plus[index] += h;
        minus[index] -= h;
        expect(Math.abs((loss(x, plus) - loss(x, minus)) / (2 * h) - got.dw[index])).toBeLessThan(2e-3);
      }
      rt.dispose();
    });
  });
}

describe("conv1d arguments", () => {
  it("rejects mismatched channels and kernels longer than the sequence", async () => {
    await initBackend("cpu");
    const x = tf.zeros([1, 5, 2]) as tf.Tensor3D;
    expect(() => conv1d(x, tf.zeros([3, 3, 4]) as tf.Tensor3D, { stride: 1, dilation: 1, padding: "valid" })).toThrow(
      "conv1d: x has 2 channels but w expects 3",
    );
    expect(() => conv1d(x, tf.zeros([3, 2, 4]) as tf.Tensor3D, { stride: 1, dilation: 4, padding: "valid" })).toThrow(
      "shorter than the kernel's span",
    );
    expect(() => conv1d(x, tf.zeros([3, 2, 4]) as tf.Tensor3D, { stride: 0, dilation: 1, padding: "valid" })).toThrow(
      "stride must be a positive integer",
    );
  });

  it("pads causally and like TensorFlow's same", () => {
    expect(conv1dPadding(10, 3, { stride: 1, dilation: 4, padding: "causal" })).toEqual([8, 0]);
    expect(conv1dPadding(10, 3, { stride: 1, dilation: 1, padding: "same" })).toEqual([1, 1]);
    expect(conv1dPadding(10, 4, { stride: 1, dilation: 1, padding: "same" })).toEqual([1, 2]);
    expect(conv1dPadding(10, 3, { stride: 2, dilation: 1, padding: "same" })).toEqual([0, 1]);
    expect(conv1dOutputLength(10, 3, { stride: 2, dilation: 1, padding: "same" })).toBe(5);
  });
});
