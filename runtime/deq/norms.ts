/** Per-sample reductions and reshapes on batch-first tensors. */
import * as tf from "../tf.js";

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

/**
 * Per-sample choice: where `mask[b]` is true take `a[b]`, else `b[b]`. Rows are gathered from
 * the two stacked (not blended arithmetically: a NaN in the sample not taken must not leak, and
 * not by `where` on a broadcast mask, whose tiling costs more than the solver step on wasm).
 */
export function selectSamples(mask: boolean[], a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (mask.every(Boolean)) return a.clone();
  if (!mask.some(Boolean)) return b.clone();
  return tf.tidy(() => {
    const batch = a.shape[0];
    const rows = tf.tensor1d(
      mask.map((take, i) => (take ? i : batch + i)),
      "int32",
    );
    return tf.gather(tf.concat([a, b]), rows);
  });
}
