/**
 * The webgpu backend: where it loads (a GPU, or Mesa's software rasteriser through Dawn's
 * OpenGL ES backend), the operations a training step needs match the cpu backend; where it
 * cannot load, asking for it is a clear error naming what is missing.
 */
import * as tf from "../../runtime/tf.js";
import { describe, expect, it } from "vitest";
import { BackendUnavailableError, initBackend } from "../../runtime/backend/index.js";
import { batchNormTraining } from "../../runtime/ops/batch-norm.js";
import { conv1d } from "../../runtime/ops/conv1d.js";
import { maxDifference, maxMagnitude, runOn, randomArray } from "./compare.js";

/** Gradients of a small convolution block and a dilated conv1d. */
function trainingOps(): tf.Tensor[] {
  const x = tf.tensor4d(randomArray(2 * 8 * 8 * 3, 1), [2, 8, 8, 3]);
  const w = tf.tensor4d(randomArray(3 * 3 * 3 * 4, 2), [3, 3, 3, 4]);
  const gamma = tf.tensor1d(randomArray(4, 3));
  const beta = tf.tensor1d(randomArray(4, 4));
  const r = tf.tensor4d(randomArray(2 * 4 * 4 * 4, 5), [2, 4, 4, 4]);
  const block = (input: tf.Tensor, filter: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const y = tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 1, "same");
    const normalised = batchNormTraining(y, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3, { relu: true }).y;
    return tf.sum(tf.mul(tf.maxPool(normalised as tf.Tensor4D, 2, 2, "valid"), r));
  };
  const sequence = tf.tensor3d(randomArray(2 * 20 * 3, 6), [2, 20, 3]);
  const taps = tf.tensor3d(randomArray(3 * 3 * 2, 7), [3, 3, 2]);
  const dilated = (s: tf.Tensor, k: tf.Tensor) =>
    tf.sum(tf.square(conv1d(s as tf.Tensor3D, k as tf.Tensor3D, { stride: 1, dilation: 4, padding: "causal" })));
  return [...tf.grads(block)([x, w, gamma, beta]), ...tf.grads(dilated)([sequence, taps])];
}

describe("webgpu backend", () => {
  it("matches cpu on a training step's operations, or explains why it is unavailable", async () => {
    const loaded = await initBackend("webgpu").then(
      (info) => info,
      (error: unknown) => error,
    );
    if (loaded instanceof Error) {
      expect(loaded).toBeInstanceOf(BackendUnavailableError);
      expect(loaded.message).toMatch(/backend 'webgpu' is not available: .+\. Available here: /);
      return;
    }
    expect((loaded as { name: string }).name).toBe("webgpu");
    const candidate = await runOn("webgpu", trainingOps);
    const reference = await runOn("cpu", trainingOps);
    expect(maxDifference(reference, candidate)).toBeLessThan(1e-3 * Math.max(maxMagnitude(reference), 1));
  }, 120_000);
});
