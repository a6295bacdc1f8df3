/**
 * Gradients simc registers in place of TensorFlow.js's own, for every backend. They compute
 * the same derivatives with fewer and cheaper operations.
 *
 * FusedBatchNorm (`tf.batchNorm`): the stock gradient tiles the per-channel factors to the
 * input's full shape (on wasm, the single most expensive operation of a training step) and
 * forms x − mean three times. Here the factors broadcast, and the two per-channel sums every
 * parameter needs (Σ dy and Σ dy·(x − mean)) are taken once — in one fused pass where the
 * backend has simc's `SimcBatchNormGradSums` kernel.
 */
import * as tf from "../tf.js";
import { BATCH_NORM_GRAD_SUMS, channelsFit } from "./wasm-kernels/batch-norm.js";

let installed = false;

function gradientSums(dy: tf.Tensor, x: tf.Tensor, mean: tf.Tensor, axes: number[]): [tf.Tensor, tf.Tensor] {
  if (channelsFit(x, mean) && tf.getKernel(BATCH_NORM_GRAD_SUMS, tf.getBackend())) {
    const [sumDy, sumDyXc] = tf.engine().runKernel(BATCH_NORM_GRAD_SUMS, { dy, x, mean }) as tf.Tensor[];
    return [sumDy, sumDyXc];
  }
  return [tf.sum(dy, axes), tf.sum(tf.mul(dy, tf.sub(x, mean)), axes)];
}

const fusedBatchNormGrad: tf.GradConfig = {
  kernelName: "FusedBatchNorm",
  inputsToSave: ["x", "mean", "variance", "scale"],
  gradFunc: (dy, saved, attrs) => {
    const grad = dy as tf.Tensor;
    const [x, mean, variance, scale] = saved;
    const epsilon = (attrs as { varianceEpsilon: number }).varianceEpsilon;
    const axes = tf.broadcast_util.getReductionAxes(mean.shape, x.shape);
    // Computed here, outside the per-input closures, so that they are shared (the tape keeps
    // them until the whole gradient is done).
    const rstd = tf.rsqrt(tf.add(variance, epsilon));
    const gain = scale == null ? rstd : tf.mul(rstd, scale);
    const [sumDy, sumDyXc] = gradientSums(grad, x, mean, axes);
    return {
      x: () => tf.mul(grad, gain),
      mean: () => tf.reshape(tf.neg(tf.mul(sumDy, gain)), mean.shape),
      variance: () => tf.reshape(tf.mul(tf.mul(sumDyXc, tf.mul(gain, tf.square(rstd))), -0.5), mean.shape),
      scale: () => tf.reshape(tf.mul(sumDyXc, rstd), mean.shape),
      offset: () => tf.reshape(sumDy, mean.shape),
    };
  },
};

/** Registers simc's gradients (idempotent). */
export function installGradients(): void {
  if (installed) return;
  tf.registerGradient(fusedBatchNormGrad);
  installed = true;
}
