/**
 * Stride-1, same-padded 2-D convolution on NHWC states and its adjoint (generic conv cells and
 * injections; monotone conv cells pad circularly and act in the Fourier domain instead). For an odd kernel the
 * padding is symmetric, so the adjoint is the convolution with the kernel flipped in space and
 * its input/output channels swapped, again same-padded.
 */
import * as tf from "../../tf.js";

export function convSame(z: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
  return tf.conv2d(z as tf.Tensor4D, kernel as tf.Tensor4D, 1, "same");
}

export function convSameT(y: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const flipped = tf.reverse(kernel, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(y as tf.Tensor4D, flipped, 1, "same");
  });
}
