import * as tf from "../../runtime/tf.js";
import { beforeAll, describe, expect, it } from "vitest";
import { clipByGlobalNorm, globalNorm } from "../../runtime/train/clip.js";
import { createOptimizer } from "../../runtime/train/optimizer.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const initial = [0.5, -1.5, 2, 0.25];
/** A fixed sequence of gradients (deterministic, varied signs and sizes). */
const gradientAt = (t: number) => initial.map((_, i) => Math.sin(3 * t + i) * (i + 1));

function runOurs(spec: Parameters<typeof createOptimizer>[0], steps: number, lr: (t: number) => number = () => spec.lr): number[] {
  const variable = tf.variable(tf.tensor1d(initial));
  const optimizer = createOptimizer(spec, [{ name: "p", variable }]);
  for (let t = 0; t < steps; t++) {
    const g = tf.tensor1d(gradientAt(t));
    optimizer.apply([g], lr(t));
    g.dispose();
  }
  const out = Array.from(variable.dataSync());
  optimizer.dispose();
  variable.dispose();
  return out;
}

function runReference(optimizer: tf.Optimizer, steps: number): number[] {
  const variable = tf.variable(tf.tensor1d(initial));
  for (let t = 0; t < steps; t++) {
    const g = tf.tensor1d(gradientAt(t));
    optimizer.applyGradients({ [variable.name]: g });
    g.dispose();
  }
  const out = Array.from(variable.dataSync());
  variable.dispose();
  optimizer.dispose();
  return out;
}

function expectClose(actual: number[], expected: number[], digits = 5) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i], digits));
}

describe("optimisers", () => {
  it("adam matches TensorFlow.js's Adam over several steps", () => {
    const ours = runOurs({ kind: "adam", lr: 0.01, eps: 1e-7, beta1: 0.9, beta2: 0.999, weightDecay: 0 }, 7);
    expectClose(ours, runReference(tf.train.adam(0.01, 0.9, 0.999, 1e-7), 7));
    expect(ours).not.toEqual(initial);
  });

  it("adam's ε is configurable and matters when gradients are tiny", () => {
    const variable = tf.variable(tf.tensor1d([1]));
    const opt = createOptimizer({ kind: "adam", lr: 1, eps: 1, beta1: 0.9, beta2: 0.999, weightDecay: 0 }, [{ name: "p", variable }]);
    opt.apply([tf.tensor1d([1e-3])], 1);
    // first step: m̂ = g, v̂ = g², update = g / (|g| + ε) ≈ 1e-3 with ε = 1
    expect(variable.dataSync()[0]).toBeCloseTo(1 - 1e-3 / (1e-3 + 1), 7);
  });

  it("sgd with momentum and nesterov matches TensorFlow.js's momentum optimiser", () => {
    expectClose(
      runOurs({ kind: "sgd", lr: 0.05, momentum: 0.9, nesterov: false, weightDecay: 0 }, 6),
      runReference(tf.train.momentum(0.05, 0.9, false), 6),
    );
    expectClose(
      runOurs({ kind: "sgd", lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0 }, 6),
      runReference(tf.train.momentum(0.05, 0.9, true), 6),
    );
    expectClose(runOurs({ kind: "sgd", lr: 0.05, momentum: 0, nesterov: false, weightDecay: 0 }, 3), runReference(tf.train.sgd(0.05), 3));
  });

  it("adam's weight decay is L2 on the gradient; adamw's is decoupled", () => {
    const wd = 0.1;
    const lr = 0.01;
    const l2 = runOurs({ kind: "adam", lr, eps: 1e-8, beta1: 0.9, beta2: 0.999, weightDecay: wd }, 1);
    const decoupled = runOurs({ kind: "adamw", lr, eps: 1e-8, beta1: 0.9, beta2: 0.999, weightDecay: wd }, 1);
    const g = gradientAt(0);
    initial.forEach((p, i) => {
      const gl2 = g[i] + wd * p;
      expect(l2[i]).toBeCloseTo(p - (lr * gl2) / (Math.abs(gl2) + 1e-8), 5);
      expect(decoupled[i]).toBeCloseTo(p * (1 - lr * wd) - (lr * g[i]) / (Math.abs(g[i]) + 1e-8), 5);
    });
  });

  it("uses the learning rate given at each step", () => {
    const lrs = [0.1, 0.05, 0.2];
    const ours = runOurs({ kind: "sgd", lr: 0, momentum: 0, nesterov: false, weightDecay: 0 }, 3, (t) => lrs[t]);
    const expected = initial.map((p, i) => p - lrs.reduce((sum, lr, t) => sum + lr * gradientAt(t)[i], 0));
    expectClose(ours, expected);
  });
});

describe("gradient clipping by global norm", () => {
  it("rescales all gradients together when the norm exceeds the cap, and leaves them otherwise", () => {
    const grads = [tf.tensor1d([3, 0]), tf.tensor2d([[0, 4]])];
    const norm = globalNorm(grads);
    expect(norm.dataSync()[0]).toBeCloseTo(5, 6);
    const clipped = clipByGlobalNorm(grads, 1, norm);
    expect(Array.from(clipped[0].dataSync())).toEqual([expect.closeTo(0.6, 5), 0]);
    expect(Array.from(clipped[1].dataSync())).toEqual([0, expect.closeTo(0.8, 5)]);
    const untouched = clipByGlobalNorm(grads, 10, norm);
    expect(Array.from(untouched[0].dataSync())).toEqual([3, 0]);
  });
});
