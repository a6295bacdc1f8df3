/**
 * 1-D convolution over `[batch, length, channels]` with any stride, dilation and padding,
 * differentiable on every backend.
 *
 * TensorFlow.js computes dilated convolutions forward but has no gradient for them on any
 * backend, and the copy-memory TCN needs dilations up to 128. Every case runs as a 2-D
 * convolution of a one-row image with explicit padding (no padded copy of the input).
 * Undilated ones use TensorFlow.js's gradient; dilated ones bring their own (`tf.customGrad`):
 * a dilated forward convolution for the input gradient, and for the filter gradient simc's
 * wasm kernel where it is registered, else one matrix product over the stacked taps — only
 * operations every backend runs and differentiates.
 */
import * as tf from "@tensorflow/tfjs";
import { CONV2D_BACKPROP_FILTER_DILATED } from "../backend/wasm-kernels/conv2d-backprop-filter.js";

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
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new Error(`conv1d: ${key} must be a positive integer, got ${o[key]}`);
  }
  if (conv1dOutputLength(x.shape[1], w.shape[0], o) < 1) {
    throw new Error(
      `conv1d: a sequence of ${x.shape[1]} positions is shorter than the kernel's span ` +
        `(${w.shape[0]} taps, dilation ${o.dilation}) with '${o.padding}' padding`,
    );
  }
}

type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

/** Explicit NHWC padding of the length axis (as the width of a one-row image). */
function widthPadding(before: number, after: number): Pad4 {
  return [
    [0, 0],
    [0, 0],
    [before, after],
    [0, 0],
  ];
}

/**
 * Dilated convolution with stride 1 and explicit zero padding (before, after):
 * `y[t] = Σ_j xpad[t + j·d] · w[j]`.
 */
function dilated(x: tf.Tensor3D, w: tf.Tensor3D, dilation: number, before: number, after: number): tf.Tensor3D {
  const forward = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const xs = args[0] as tf.Tensor3D;
    const ws = args[1] as tf.Tensor3D;
    const save = args[2] as tf.GradSaveFunc;
    save([xs, ws]);
    const [batch, length, cin] = xs.shape;
    const [taps, , cout] = ws.shape;
    const y = tf.conv2d(
      xs.reshape([batch, 1, length, cin]) as tf.Tensor4D,
      ws.reshape([1, taps, cin, cout]) as tf.Tensor4D,
      1,
      widthPadding(before, after),
      "NHWC",
      [1, dilation],
    );
    return {
      value: y.reshape([batch, y.shape[2], cout]) as tf.Tensor3D,
      gradFunc: (dy: tf.Tensor3D, saved: tf.Tensor[]) =>
        dilatedGrad(dy, saved[0] as tf.Tensor3D, saved[1] as tf.Tensor3D, dilation, before, after),
    };
  });
  return forward(x, w) as tf.Tensor3D;
}

function dilatedGrad(dy: tf.Tensor3D, x: tf.Tensor3D, w: tf.Tensor3D, dilation: number, before: number, after: number): tf.Tensor[] {
  const [batch, length, cin] = x.shape;
  const [taps, , cout] = w.shape;
  const outLength = dy.shape[1];
  const span = (taps - 1) * dilation;
  // dx[s] = Σ_j dy[s + before − j·d] · w[j]ᵀ: a dilated convolution of dy, padded by
  // (span − before, span − after), with the taps reversed and the channel axes swapped.
  const wFlipped = tf.transpose(tf.reverse(w, 0), [0, 2, 1]);
  const dx = tf.conv2d(
    dy.reshape([batch, 1, outLength, cout]) as tf.Tensor4D,
    wFlipped.reshape([1, taps, cout, cin]) as tf.Tensor4D,
    1,
    widthPadding(span - before, span - after),
    "NHWC",
    [1, dilation],
  );
  return [dx.reshape([batch, length, cin]), filterGradient(dy, x, taps, dilation, before, after)];
}

/** dw[j] = Σ_{b,t} xpad[b, t + j·d]ᵀ dy[b, t]. */
function filterGradient(dy: tf.Tensor3D, x: tf.Tensor3D, taps: number, dilation: number, before: number, after: number): tf.Tensor {
  const [batch, length, cin] = x.shape;
  const [, outLength, cout] = dy.shape;
  if (tf.getKernel(CONV2D_BACKPROP_FILTER_DILATED, tf.getBackend())) {
    // simc's wasm kernel: straight from x and dy, no copies.
    const dw = tf.engine().runKernel(
      CONV2D_BACKPROP_FILTER_DILATED,
      { x: x.reshape([batch, 1, length, cin]), dy: dy.reshape([batch, 1, outLength, cout]) },
      { strides: 1, pad: widthPadding(before, after), dataFormat: "NHWC", filterShape: [1, taps, cin, cout], dilations: [1, dilation] },
    ) as tf.Tensor;
    return dw.reshape([taps, cin, cout]);
  }
  // Elsewhere: the taps' shifted inputs side by side, then one product with dy's transpose (a
  // plain, untransposed product, the fast path on every backend).
  const padded = tf.pad(x, [
    [0, 0],
    [before, after],
    [0, 0],
  ]);
  const shifted = Array.from({ length: taps }, (_, j) => tf.slice(padded, [0, j * dilation, 0], [batch, outLength, cin]));
  const stacked = tf.concat(shifted, 2).reshape([batch * outLength, taps * cin]);
  const dyT = tf.transpose(dy.reshape([batch * outLength, cout]));
  const dwT = tf.matMul(dyT, stacked);
  return tf.transpose(dwT.reshape([cout, taps, cin]), [1, 2, 0]);
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
    if (dilation === 1) {
      const y = tf.conv2d(
        x.reshape([batch, 1, length, cin]) as tf.Tensor4D,
        w.reshape([1, taps, cin, cout]) as tf.Tensor4D,
        [1, stride],
        widthPadding(before, after),
      );
      return y.reshape([batch, y.shape[2], cout]) as tf.Tensor3D;
    }
    const dense = dilated(x, w, dilation, before, after);
    if (stride === 1) return dense;
    // TensorFlow.js refuses stride and dilation both above 1: take every stride-th output of
    // the stride-1 result (reshape and slice, which have gradients; stridedSlice has none).
    const outLength = conv1dOutputLength(length, taps, options);
    const denseLength = dense.shape[1];
    const span = outLength * stride;
    const fitted =
      denseLength >= span
        ? tf.slice(dense, [0, 0, 0], [batch, span, cout])
        : tf.pad(dense, [
            [0, 0],
            [0, span - denseLength],
            [0, 0],
          ]);
    const grouped = fitted.reshape([batch, outLength, stride, cout]);
    return tf.slice(grouped, [0, 0, 0, 0], [batch, outLength, 1, cout]).reshape([batch, outLength, cout]) as tf.Tensor3D;
  });
}
