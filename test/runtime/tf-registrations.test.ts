import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as tf from "../../runtime/tf.js";
import { generateRegistrations, registrationsPath } from "../../runtime/vendor/generate-tfjs-registrations.js";

describe("TensorFlow.js registrations", () => {
  it("the committed module is what the generator makes from the installed tfjs-core", async () => {
    expect(await generateRegistrations()).toBe(readFileSync(registrationsPath, "utf8"));
  });

  it("registers the gradients and chained operations on the loaded core", async () => {
    for (const kernel of ["Conv2D", "MaxPool", "BatchMatMul", "FusedBatchNorm", "Relu", "Sum", "Cos", "Sin"]) {
      expect(tf.getGradient(kernel), kernel).toBeDefined();
    }
    await tf.setBackend("cpu");
    const x = tf.tensor2d([[1, -2], [3, 4]]);
    expect(Array.from(x.reshape([4]).relu().dataSync())).toEqual([1, 0, 3, 4]);
    const [dx] = tf.grads((a: tf.Tensor) => tf.sum(tf.square(a)))([x]);
    expect(Array.from(dx.dataSync())).toEqual([2, -4, 6, 8]);
  });
});
