/**
 * 1-D convolution over `[batch, length, channels]` with any stride, dilation and padding,
 * differentiable on every backend.
 *
 * TensorFlow.js computes dilated convolutions forward but has no gradient for them on any
 * backend, and the copy-memory TCN needs dilations up to 128. Every case runs as simc's 2-D
 * convolution (./conv2d.ts, which brings the gradient of dilated ones) of a one-row image, with
 * explicit padding (no padded copy of the input).
 */
import * as tf from "../tf.js";
import { conv2d } from "./conv2d.js";

export type Conv1dPadding = "causal" | "same" | "valid";

export interface Conv1dOptions {
  stride: number;
  dilation: number;
  padding: Conv1dPadding;
}

/** Zeros added before and after the sequence, TensorFlow's convention for `same`. */
export function conv1dPadding(
  length: number,
  kernel: number,
  { stride, dilation, padding }: Conv1dOptions,
): [number, number] {
  const span = (kernel - 1) * dilation;
  if (padding === "valid") return [0, 0];
  if (padding === "causal") return [span, 0];
  const outLength = Math.ceil(length / stride);
  const total = Math.max((outLength - 1) * stride + span + 1 - length, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Output length of `conv1d` for an input of `length` positions. */
export function conv1dOutputLength(length: number, kernel: number, options: Conv1dOptions): number {
  const [before, after] = conv1dPadding(length, kernel, options);
  const padded = length + before + after;
  const span = (kernel - 1) * options.dilation;
  return Math.max(Math.floor((padded - span - 1) / options.stride) + 1, 0);
}

function checkArguments(x: tf.Tensor3D, w: tf.Tensor3D, o: Conv1dOptions): void {
  if (x.rank !== 3) throw new Error(`conv1d expects x of shape [batch, length, channels], got [${x.shape}]`);
  if (w.rank !== 3) throw new Error(`conv1d expects w of shape [kernel, in, out], got [${w.shape}]`);
  if (x.shape[2] !== w.shape[1]) {
    throw new Error(`conv1d: x has ${x.shape[2]} channels but w expects ${w.shape[1]} (w is [${w.shape}])`);
  }
  for (const key of ["stride", "dilation"] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1)
      throw new Error(`conv1d: ${key} must be a positive integer, got ${o[key]}`);
  }
  if (conv1dOutputLength(x.shape[1], w.shape[0], o) < 1) {
    throw new Error(
      `conv1d: a sequence of ${x.shape[1]} positions is shorter than the kernel's span ` +
        `(${w.shape[0]} taps, dilation ${o.dilation}) with '${o.padding}' padding`,
    );
  }
}

/**
 * `y[b, t, o] = Σ_{j,i} x_padded[b, t·stride + j·dilation, i] · w[j, i, o]`.
 * `causal` pads (kernel−1)·dilation zeros before the sequence (output t sees inputs ≤ t),
 * `same` pads so that the output has ⌈length/stride⌉ positions, `valid` pads nothing.
 */
export function conv1d(x: tf.Tensor3D, w: tf.Tensor3D, options: Conv1dOptions): tf.Tensor3D {
  checkArguments(x, w, options);
  const { stride, dilation } = options;
  return tf.tidy(() => {
    const [before, after] = conv1dPadding(x.shape[1], w.shape[0], options);
    const [batch, length, cin] = x.shape;
    const [taps, , cout] = w.shape;
    const y = conv2d(x.reshape([batch, 1, length, cin]), w.reshape([1, taps, cin, cout]), {
      stride: [1, stride],
      dilation: [1, dilation],
      padding: [
        [0, 0],
        [before, after],
      ],
    });
    return y.reshape([batch, y.shape[2], cout]) as tf.Tensor3D;
  });
}
