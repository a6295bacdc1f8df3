/**
 * Losses, averaged over every prediction in the batch: softmax cross-entropy on logits over
 * the last axis (one label per example, or per position for sequences `[b, L, classes]`),
 * and the mean squared error over every element.
 */
import * as tf from "../tf.js";

export type LossName = "cross_entropy" | "mse";

/** logits `[..., classes]`, labels int32 `[...]` (same leading shape). */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const classes = logits.shape[logits.rank - 1];
  const logProbabilities = tf.logSoftmax(logits.reshape([-1, classes]));
  const targets = tf.oneHot(labels.reshape([-1]).toInt(), classes);
  return tf.neg(tf.mean(tf.sum(tf.mul(targets, logProbabilities), -1))) as tf.Scalar;
}

export function meanSquaredError(predictions: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(predictions, targets.reshape(predictions.shape))) as tf.Scalar;
}

export function computeLoss(name: LossName, output: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return name === "cross_entropy" ? softmaxCrossEntropy(output, targets) : meanSquaredError(output, targets);
}
