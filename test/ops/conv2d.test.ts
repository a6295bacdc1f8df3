/**
 * conv2d against a float64 reference written out loop by loop, forward and backward, for
 * dilated, strided and plain convolutions with same and valid padding, on cpu and wasm.
 */
import * as tf from "../../runtime/tf.js";
import { describe, expect, it } from "vitest";
import { initBackend } from "../../runtime/backend/index.js";
import { conv2d, conv2dOutputSize, conv2dPadding, type Conv2dOptions } from "../../runtime/ops/conv2d.js";
import { randomArray } from "../backend/compare.js";

interface Problem {
  x: [number, number, number, number];
  kernel: [number, number];
  cout: number;
  options: Conv2dOptions;
}

function reference(p: Problem, x: Float32Array, w: Float32Array, r: Float32Array) {
  const [batch, height, width, cin] = p.x;
  const [kh, kw] = p.kernel;
  const [[top], [left]] = conv2dPadding(height, width, p.kernel, p.options);
  const [outH, outW] = conv2dOutputSize(height, width, p.kernel, p.options);
  const y = new Float64Array(batch * outH * outW * p.cout);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  const { stride, dilation } = p.options;
  for (let n = 0; n < batch; n++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const sy = oy * stride[0] + i * dilation[0] - top;
            const sx = ox * stride[1] + j * dilation[1] - left;
            if (sy < 0 || sy >= height || sx < 0 || sx >= width) continue;
            for (let c = 0; c < cin; c++) {
              const xi = ((n * height + sy) * width + sx) * cin + c;
              for (let o = 0; o < p.cout; o++) {
                const yi = ((n * outH + oy) * outW + ox) * p.cout + o;
                const wi = ((i * kw + j) * cin + c) * p.cout + o;
                y[yi] += x[xi] * w[wi];
                dx[xi] += r[yi] * w[wi];
                dw[wi] += r[yi] * x[xi];
              }
            }
          }
  return { y, dx, dw, outH, outW };
}

function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const problems: Problem[] = [
  { x: [2, 9, 8, 3], kernel: [3, 3], cout: 4, options: { stride: [1, 1], dilation: [2, 2], padding: "same" } },
  { x: [2, 10, 9, 2], kernel: [3, 2], cout: 5, options: { stride: [1, 1], dilation: [3, 1], padding: "valid" } },
  { x: [1, 11, 10, 3], kernel: [3, 3], cout: 4, options: { stride: [2, 2], dilation: [2, 2], padding: "same" } },
  { x: [2, 8, 8, 4], kernel: [3, 3], cout: 8, options: { stride: [1, 1], dilation: [1, 1], padding: "same" } },
  { x: [2, 9, 7, 2], kernel: [3, 3], cout: 3, options: { stride: [2, 1], dilation: [1, 1], padding: "valid" } },
  {
    x: [2, 7, 7, 2],
    kernel: [3, 3],
    cout: 4,
    options: {
      stride: [1, 1],
      dilation: [2, 3],
      padding: [
        [2, 0],
        [1, 3],
      ],
    },
  },
];

for (const backend of ["cpu", "wasm"]) {
  describe(`conv2d on ${backend}`, () => {
    for (const [k, p] of problems.entries()) {
      it(`matches the reference: x [${p.x}], kernel ${p.kernel.join("×")}, stride ${p.options.stride}, dilation ${p.options.dilation}, ${JSON.stringify(p.options.padding)}`, async () => {
        await initBackend(backend);
        const x = randomArray(
          p.x.reduce((a, b) => a * b, 1),
          200 + k,
        );
        const w = randomArray(p.kernel[0] * p.kernel[1] * p.x[3] * p.cout, 300 + k);
        const [outH, outW] = conv2dOutputSize(p.x[1], p.x[2], p.kernel, p.options);
        const r = randomArray(p.x[0] * outH * outW * p.cout, 400 + k);
        const want = reference(p, x, w, r);
        const got = tf.tidy(() => {
          const xt = tf.tensor4d(x, p.x);
          const wt = tf.tensor4d(w, [...p.kernel, p.x[3], p.cout]);
          const rt = tf.tensor4d(r, [p.x[0], outH, outW, p.cout]);
          const y = conv2d(xt, wt, p.options);
          const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.mul(conv2d(a as tf.Tensor4D, b as tf.Tensor4D, p.options), rt)),
          )([xt, wt]);
          return { shape: y.shape, y: y.dataSync(), dx: dx.dataSync(), dw: dw.dataSync() };
        });
        expect(got.shape).toEqual([p.x[0], want.outH, want.outW, p.cout]);
        expect(worst(got.y, want.y)).toBeLessThan(1e-5);
        expect(worst(got.dx, want.dx)).toBeLessThan(1e-5);
        expect(worst(got.dw, want.dw)).toBeLessThan(1e-4);
      });
    }
  });
}

describe("conv2d arguments", () => {
  it("rejects mismatched channels and kernels wider than the input", async () => {
    await initBackend("cpu");
    const x = tf.zeros([1, 5, 5, 2]) as tf.Tensor4D;
    const options: Conv2dOptions = { stride: [1, 1], dilation: [3, 3], padding: "valid" };
    expect(() => conv2d(x, tf.zeros([3, 3, 3, 4]) as tf.Tensor4D, options)).toThrow(
      "conv2d: x has 2 channels but w expects 3",
    );
    expect(() => conv2d(x, tf.zeros([3, 3, 2, 4]) as tf.Tensor4D, options)).toThrow("smaller than the kernel's span");
  });
});
