/** Per-sample reductions and reshapes on batch-first tensors. */
import * as tf from "@tensorflow/tfjs";

/** `[B, ...]` → `[B, d]`. */
export function flattenBatch(t: tf.Tensor): tf.Tensor2D {
  return t.reshape([t.shape[0], -1]) as tf.Tensor2D;
}

/** Euclidean norm of each sample: `[B, ...]` → `[B]`. */
export function sampleNorms(t: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => flattenBatch(t).square().sum(1).sqrt() as tf.Tensor1D);
}

/** Inner product of each sample pair: `[B, ...]` × `[B, ...]` → `[B]`. */
export function sampleDots(a: tf.Tensor, b: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => flattenBatch(a).mul(flattenBatch(b)).sum(1) as tf.Tensor1D);
}

/** Reshapes per-sample scalars `[B]` so they broadcast against `like` (`[B, 1, 1, …]`). */
export function perSample(values: tf.Tensor, like: tf.Tensor): tf.Tensor {
  return values.reshape([like.shape[0], ...like.shape.slice(1).map(() => 1)]);
}

/** Per-sample choice: where `mask[b]` is true take `a[b]`, else `b[b]`. */
export function selectSamples(mask: boolean[], a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const m = perSample(tf.tensor1d(mask.map((x) => (x ? 1 : 0)), "bool"), a);
    return tf.where(m.broadcastTo(a.shape), a, b);
  });
}
