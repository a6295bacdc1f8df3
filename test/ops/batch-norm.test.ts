/**
 * batchNormTraining against tf.moments + tf.batchNorm (+ tf.relu) differentiated by
 * TensorFlow.js, on cpu (plain operations) and wasm (simc's fused kernels), with and without
 * the fused relu, for channel counts that do and do not fill SIMD vectors.
 */
import * as tf from "../../runtime/tf.js";
import { describe, expect, it } from "vitest";
import { initBackend } from "../../runtime/backend/index.js";
import { batchNormTraining } from "../../runtime/ops/batch-norm.js";
import { randomArray } from "../backend/compare.js";

function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function compute(shape: number[], relu: boolean, fused: boolean) {
  return tf.tidy(() => {
    const channels = shape[shape.length - 1];
    const x = tf.add(
      tf.mul(
        tf.tensor(
          randomArray(
            shape.reduce((a, b) => a * b, 1),
            1,
          ),
          shape,
        ),
        3,
      ),
      0.5,
    );
    const gamma = tf.tensor1d(randomArray(channels, 2));
    const beta = tf.tensor1d(randomArray(channels, 3));
    const r = tf.tensor(randomArray(x.size, 4), shape);
    const axes = shape.slice(0, -1).map((_, i) => i);
    const forward = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor => {
      if (fused) return batchNormTraining(xs, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3, { relu }).y;
      const { mean, variance } = tf.moments(xs, axes);
      const y = tf.batchNorm(xs, mean, variance, b, g, 1e-3);
      return relu ? tf.relu(y) : y;
    };
    const y = forward(x, gamma, beta);
    const grads = tf.grads((xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(xs, g, b), r)))([
      x,
      gamma,
      beta,
    ]);
    const stats = fused ? batchNormTraining(x, gamma, beta, 1e-3) : undefined;
    const moments = tf.moments(x, axes);
    return {
      y: y.dataSync(),
      grads: grads.map((g) => g.dataSync()),
      mean: stats ? stats.mean.dataSync() : moments.mean.dataSync(),
      variance: stats ? stats.variance.dataSync() : moments.variance.dataSync(),
      expectedMean: moments.mean.dataSync(),
      expectedVariance: moments.variance.dataSync(),
    };
  });
}

for (const backend of ["cpu", "wasm"]) {
  describe(`batchNormTraining on ${backend}`, () => {
    for (const shape of [
      [4, 6, 5, 8],
      [7, 6],
      [3, 5, 5, 6],
      // Large enough for the wasm kernels to split rows across threads, in several chunks each.
      [9, 28, 28, 12],
    ]) {
      for (const relu of [false, true]) {
        it(`matches moments + batchNorm${relu ? " + relu" : ""} for [${shape}]`, async () => {
          await initBackend(backend);
          const want = compute(shape, relu, false);
          const got = compute(shape, relu, true);
          expect(worst(got.y, want.y)).toBeLessThan(1e-5);
          got.grads.forEach((g, k) => expect(worst(g, want.grads[k])).toBeLessThan(1e-4));
          expect(worst(got.mean, got.expectedMean)).toBeLessThan(1e-6);
          expect(worst(got.variance, got.expectedVariance)).toBeLessThan(1e-5);
        });
      }
    }
  });
}

describe("batchNormTraining memory", () => {
  for (const backend of ["cpu", "wasm"]) {
    it(`leaves no tensors behind and hands back live statistics (${backend})`, async () => {
      await initBackend(backend);
      const x = tf.tensor4d(randomArray(2 * 3 * 3 * 8, 5), [2, 3, 3, 8]);
      const gamma = tf.ones([8]) as tf.Tensor1D;
      const beta = tf.zeros([8]) as tf.Tensor1D;
      const before = tf.memory().numTensors;
      const stats = tf.tidy(() => {
        const { mean, variance } = batchNormTraining(x, gamma, beta, 1e-5, { relu: true });
        tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
          tf.sum(batchNormTraining(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5).y),
        )([x, gamma, beta]);
        return [mean, variance];
      });
      expect(tf.memory().numTensors).toBe(before + 2);
      expect(stats.map((t) => t.shape)).toEqual([[8], [8]]);
      expect(Number.isFinite((await stats[1].data())[0])).toBe(true);
      tf.dispose(stats);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe("batchNormTraining arguments", () => {
  it("rejects parameters that do not match the channels", async () => {
    await initBackend("cpu");
    expect(() =>
      batchNormTraining(tf.zeros([2, 3]), tf.ones([4]) as tf.Tensor1D, tf.zeros([3]) as tf.Tensor1D, 1e-5),
    ).toThrow("gamma [4] and beta [3] must be [3]");
  });
});
