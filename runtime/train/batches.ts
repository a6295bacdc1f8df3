/**
 * Turning a data split (typed arrays, one example after another) into batch tensors: a
 * contiguous range for evaluation, a gathered list of indices for shuffled training.
 */
import * as tf from "../tf.js";
import type { Split } from "../data/types.js";

export interface Batch {
  x: tf.Tensor;
  /** int32 class indices for classification, float32 targets for regression. */
  y: tf.Tensor;
  size: number;
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function labelTensor(values: Int32Array | Float32Array, size: number, yShape: number[]): tf.Tensor {
  return values instanceof Int32Array ? tf.tensor(values, [size, ...yShape], "int32") : tf.tensor(values, [size, ...yShape], "float32");
}

/** Examples start..end-1 (views, no copies). */
export function rangeBatch(split: Split, inputShape: number[], start: number, end: number): Batch {
  const xRow = product(inputShape);
  const yRow = product(split.yShape);
  const size = end - start;
  return {
    x: tf.tensor(split.x.subarray(start * xRow, end * xRow), [size, ...inputShape], "float32"),
    y: labelTensor(split.y.subarray(start * yRow, end * yRow), size, split.yShape),
    size,
  };
}

/** Examples order[start..end-1], gathered into fresh arrays. */
export function gatherBatch(split: Split, inputShape: number[], order: Int32Array, start: number, end: number): Batch {
  const xRow = product(inputShape);
  const yRow = product(split.yShape);
  const size = end - start;
  const x = new Float32Array(size * xRow);
  const y = split.y instanceof Int32Array ? new Int32Array(size * yRow) : new Float32Array(size * yRow);
  for (let i = 0; i < size; i++) {
    const index = order[start + i];
    x.set(split.x.subarray(index * xRow, (index + 1) * xRow), i * xRow);
    y.set(split.y.subarray(index * yRow, (index + 1) * yRow), i * yRow);
  }
  return { x: tf.tensor(x, [size, ...inputShape], "float32"), y: labelTensor(y, size, split.yShape), size };
}

export function disposeBatch(batch: Batch): void {
  batch.x.dispose();
  batch.y.dispose();
}
