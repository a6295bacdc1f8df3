/**
 * Batch normalisation with batch statistics (training mode), optionally followed by a relu,
 * as one differentiable operation.
 *
 * `tf.moments` + `tf.batchNorm` differentiate through every step of the statistics (a dozen
 * full passes over the activations per layer); here the gradient is the closed form
 *   dx = γ·r·(g − mean(g) − x̂·mean(g·x̂)),  dγ = Σ g·x̂,  dβ = Σ g,
 * with x̂ = (x − μ)·r, r = 1/√(σ² + ε) and g the incoming gradient (zero where the relu
 * output is zero). On the wasm backend the forward pass is three passes and the backward two
 * (simc's SIMD kernels); elsewhere the same formulas run as ordinary operations.
 */
import * as tf from "../tf.js";
import { BATCH_NORM_BACKWARD, BATCH_NORM_FORWARD, channelsFit } from "../backend/wasm-kernels/batch-norm.js";

export interface BatchNormTrainingResult {
  /** The normalised (and, with `relu`, rectified) output, shaped like x. */
  y: tf.Tensor;
  /** Per-channel batch mean [C] (not differentiable: use it for running statistics). */
  mean: tf.Tensor1D;
  /** Per-channel biased batch variance [C] (not differentiable). */
  variance: tf.Tensor1D;
}

export interface BatchNormOptions {
  /** Apply max(·, 0) to the output (fused: no extra pass forward or backward). */
  relu?: boolean;
}

function fusedKernels(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): boolean {
  const backend = tf.getBackend();
  return (
    x.dtype === "float32" &&
    channelsFit(x, gamma, beta) &&
    tf.getKernel(BATCH_NORM_FORWARD, backend) !== undefined &&
    tf.getKernel(BATCH_NORM_BACKWARD, backend) !== undefined
  );
}

function forwardWithOps(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number, relu: boolean): tf.Tensor[] {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const mean = tf.mean(x, axes);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), axes);
  const normalised = tf.add(tf.mul(centred, tf.mul(tf.rsqrt(tf.add(variance, epsilon)), gamma)), beta);
  return [relu ? tf.relu(normalised) : normalised, mean, variance];
}

function backwardWithOps(
  dy: tf.Tensor,
  x: tf.Tensor,
  y: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  gamma: tf.Tensor,
  epsilon: number,
  relu: boolean,
): tf.Tensor[] {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const count = x.size / x.shape[x.shape.length - 1];
  const g = relu ? tf.mul(dy, tf.step(y)) : dy;
  const rstd = tf.rsqrt(tf.add(variance, epsilon));
  const centred = tf.sub(x, mean);
  const sumG = tf.sum(g, axes);
  const sumGXc = tf.sum(tf.mul(g, centred), axes);
  const p = tf.mul(gamma, rstd);
  const q = tf.div(tf.mul(tf.neg(p), tf.mul(tf.square(rstd), sumGXc)), count);
  const dx = tf.sub(tf.add(tf.mul(g, p), tf.mul(centred, q)), tf.div(tf.mul(p, sumG), count));
  return [dx, tf.mul(sumGXc, rstd), sumG];
}

/**
 * Normalises x [..., C] per channel over every other axis with the batch's mean and biased
 * variance, scales by gamma [C] and shifts by beta [C]. Differentiable in x, gamma and beta.
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  options: BatchNormOptions = {},
): BatchNormTrainingResult {
  const channels = x.shape[x.rank - 1];
  if (x.rank < 2) throw new Error(`batchNormTraining expects x of rank ≥ 2, got [${x.shape}]`);
  if (gamma.shape[0] !== channels || beta.shape[0] !== channels || gamma.rank !== 1 || beta.rank !== 1) {
    throw new Error(
      `batchNormTraining: gamma [${gamma.shape}] and beta [${beta.shape}] must be [${channels}] for x [${x.shape}]`,
    );
  }
  const relu = options.relu === true;
  const fused = fusedKernels(x, gamma, beta);
  let stats: tf.Tensor[] = [];
  const run = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xs, gs, bs] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [y, mean, variance] = fused
      ? (tf.engine().runKernel(BATCH_NORM_FORWARD, { x: xs, gamma: gs, beta: bs }, { epsilon, relu }) as tf.Tensor[])
      : tf.tidy(() => forwardWithOps(xs, gs, bs, epsilon, relu));
    // Tensors made here that are not the output are freed when this function returns; keep
    // the statistics, to hand them back below as tensors of the caller's scope.
    stats = [tf.keep(mean), tf.keep(variance)];
    save([xs, y, mean, variance, gs]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy, sMean, sVariance, sGamma] = saved;
        if (fused) {
          return tf
            .engine()
            .runKernel(
              BATCH_NORM_BACKWARD,
              { dy, x: sx, y: sy, mean: sMean, variance: sVariance, gamma: sGamma },
              { epsilon, relu },
            ) as tf.Tensor[];
        }
        return backwardWithOps(dy, sx, sy, sMean, sVariance, sGamma, epsilon, relu);
      },
    };
  });
  const y = run(x, gamma, beta);
  const [mean, variance] = stats.map((kept) => {
    const tracked = tf.clone(kept);
    kept.dispose();
    return tracked;
  });
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}
