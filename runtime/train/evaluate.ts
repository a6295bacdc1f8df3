/**
 * Evaluation of a model on a split, in evaluation mode and in batches: mean loss, accuracy
 * (classification, over every predicted position) or PSNR (image regression), the solver
 * statistics of implicit nodes, and optionally every prediction (for reconstructed images).
 */
import * as tf from "../tf.js";
import type { Split } from "../data/types.js";
import type { Executor } from "../executor.js";
import { psnrFromMse, RunningMean, SolverTally, type SolverSummary } from "../metrics.js";
import { disposeBatch, rangeBatch } from "./batches.js";
import { computeLoss, type LossName } from "./loss.js";

export interface EvaluationOptions {
  loss: LossName;
  inputShape: number[];
  /** Classification: report accuracy. */
  classify: boolean;
  /** Image regression: report PSNR (targets in [0, 1]). */
  psnr: boolean;
  batchSize: number;
  /** Keep every output (row-major, example after example). */
  collect?: boolean;
}

export interface Evaluation {
  loss: number;
  accuracy?: number;
  psnr?: number;
  count: number;
  solver?: SolverSummary;
  predictions?: Float32Array;
}

/** Correct predictions (argmax over the last axis) and how many were made. */
export function countCorrect(logits: tf.Tensor, labels: tf.Tensor): { correct: tf.Scalar; total: number } {
  const predicted = tf.argMax(logits, -1);
  const correct = tf.sum(tf.cast(tf.equal(predicted, labels.reshape(predicted.shape).toInt()), "float32")) as tf.Scalar;
  return { correct, total: predicted.size };
}

/** Reads results asynchronously: the webgpu backend has no synchronous read under Node. */
export async function evaluateSplit(executor: Executor, split: Split, options: EvaluationOptions): Promise<Evaluation> {
  const loss = new RunningMean();
  const accuracy = new RunningMean();
  const tally = new SolverTally();
  const chunks: Float32Array[] = [];
  const batchSize = Math.max(1, options.batchSize);
  for (let start = 0; start < split.count; start += batchSize) {
    const end = Math.min(split.count, start + batchSize);
    const batch = rangeBatch(split, options.inputShape, start, end);
    let total = 0;
    const { output, summary } = tf.tidy(() => {
      const result = executor.forward(batch.x, { training: false });
      tally.add(result.implicit);
      const batchLoss = computeLoss(options.loss, result.output, batch.y);
      const output = options.collect ? result.output : undefined;
      if (!options.classify) return { output, summary: tf.stack([batchLoss, tf.scalar(0)]) };
      const counted = countCorrect(result.output, batch.y);
      total = counted.total;
      return { output, summary: tf.stack([batchLoss, counted.correct]) };
    });
    const [lossValue, correct] = await summary.data();
    if (output) chunks.push((await output.data()) as Float32Array);
    tf.dispose([summary, output ?? []]);
    disposeBatch(batch);
    const predictionsInBatch = options.classify ? total : batch.size;
    loss.add(lossValue, predictionsInBatch);
    if (options.classify) accuracy.add(correct / total, total);
  }
  const evaluation: Evaluation = { loss: loss.value, count: split.count };
  if (options.classify) evaluation.accuracy = accuracy.value;
  if (options.psnr) evaluation.psnr = psnrFromMse(loss.value);
  const solver = tally.summary();
  if (solver) evaluation.solver = solver;
  if (options.collect) {
    const all = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    evaluation.predictions = all;
  }
  return evaluation;
}
