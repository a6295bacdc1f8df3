import * as tf from "../../runtime/tf.js";
import { beforeAll, describe, expect, it } from "vitest";
import { meanSquaredError, softmaxCrossEntropy } from "../../runtime/train/loss.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** −log softmax(row)[label], computed by hand. */
function nll(row: number[], label: number): number {
  const max = Math.max(...row);
  const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
  return logSum - row[label];
}

describe("losses", () => {
  it("cross-entropy averages −log softmax over examples", () => {
    const logits = [
      [2, -1, 0.5],
      [0, 0, 0],
    ];
    const labels = [0, 2];
    const loss = softmaxCrossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, "int32")).dataSync()[0];
    expect(loss).toBeCloseTo((nll(logits[0], 0) + nll(logits[1], 2)) / 2, 5);
  });

  it("cross-entropy on sequences averages over every position", () => {
    const logits = [
      [
        [1, 2],
        [3, -1],
        [0, 0.5],
      ],
    ];
    const labels = [[1, 0, 0]];
    const loss = softmaxCrossEntropy(tf.tensor3d(logits), tf.tensor2d(labels, undefined, "int32")).dataSync()[0];
    const expected = (nll(logits[0][0], 1) + nll(logits[0][1], 0) + nll(logits[0][2], 0)) / 3;
    expect(loss).toBeCloseTo(expected, 5);
  });

  it("mse is the mean squared difference over every element", () => {
    const loss = meanSquaredError(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([
        [1, 0],
        [0, 4],
      ]),
    ).dataSync()[0];
    expect(loss).toBeCloseTo((0 + 4 + 9 + 0) / 4, 6);
  });
});
