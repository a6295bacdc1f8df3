/**
 * 2-D convolution (NHWC) with any stride and dilation and `same`/`valid` padding,
 * differentiable on every backend.
 *
 * TensorFlow.js computes dilated convolutions forward but has no gradient for them on any
 * backend. Undilated convolutions are plain `tf.conv2d`. Dilated ones bring their own gradient
 * (`tf.customGrad`): a dilated forward convolution for the input gradient, and for the filter
 * gradient simc's wasm kernel where it is registered, else one matrix product over the
 * stacked, shifted inputs — only operations every backend runs and differentiates.
 * TensorFlow.js refuses stride and dilation both above 1; such convolutions run at stride 1
 * and keep every stride-th output.
 */
import * as tf from "../tf.js";
import { CONV2D_BACKPROP_FILTER_DILATED } from "../backend/wasm-kernels/conv2d-backprop-filter.js";

/** Zeros before and after each spatial axis: [[top, bottom], [left, right]]. */
export type SpatialPadding = [[number, number], [number, number]];

type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

function explicit([[top, bottom], [left, right]]: SpatialPadding): Pad4 {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/** TensorFlow's `same` padding of one axis (more after than before when odd). */
export function samePadding(size: number, kernel: number, stride: number, dilation: number): [number, number] {
  const span = (kernel - 1) * dilation;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + span + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Stride-1 dilated convolution with explicit zero padding:
 * y[n, p, q] = Σ_{i,j} xpad[n, p + i·dh, q + j·dw] · w[i, j].
 */
export function dilatedConv2d(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  dilation: [number, number],
  padding: SpatialPadding,
): tf.Tensor4D {
  const run = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const xs = args[0] as tf.Tensor4D;
    const ws = args[1] as tf.Tensor4D;
    const save = args[2] as tf.GradSaveFunc;
    save([xs, ws]);
    return {
      value: tf.conv2d(xs, ws, 1, explicit(padding), "NHWC", dilation),
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => [
        inputGradient(dy, saved[1] as tf.Tensor4D, dilation, padding),
        filterGradient(dy, saved[0] as tf.Tensor4D, saved[1].shape as number[], dilation, padding),
      ],
    };
  });
  return run(x, w) as tf.Tensor4D;
}

/**
 * dx[s] = Σ_i dy[s + before − i·d] · w[i]ᵀ per axis: a dilated convolution of dy, padded by
 * (span − before, span − after), with the taps reversed and the channel axes swapped.
 */
function inputGradient(
  dy: tf.Tensor4D,
  w: tf.Tensor4D,
  dilation: [number, number],
  padding: SpatialPadding,
): tf.Tensor4D {
  const [kh, kw] = w.shape;
  const spanH = (kh - 1) * dilation[0];
  const spanW = (kw - 1) * dilation[1];
  const [[top, bottom], [left, right]] = padding;
  const flipped = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  return tf.conv2d(
    dy,
    flipped,
    1,
    explicit([
      [spanH - top, spanH - bottom],
      [spanW - left, spanW - right],
    ]),
    "NHWC",
    dilation,
  );
}

/** dw[i, j] = Σ_{n,p,q} xpad[n, p + i·dh, q + j·dw]ᵀ dy[n, p, q]. */
function filterGradient(
  dy: tf.Tensor4D,
  x: tf.Tensor4D,
  filterShape: number[],
  dilation: [number, number],
  padding: SpatialPadding,
): tf.Tensor {
  const [kh, kw, cin, cout] = filterShape;
  if (tf.getKernel(CONV2D_BACKPROP_FILTER_DILATED, tf.getBackend())) {
    // simc's wasm kernel: straight from x and dy, no copies.
    const attrs = { strides: 1, pad: explicit(padding), dataFormat: "NHWC", filterShape, dilations: dilation };
    return tf.engine().runKernel(CONV2D_BACKPROP_FILTER_DILATED, { x, dy }, attrs) as tf.Tensor;
  }
  const [batch, outH, outW] = dy.shape;
  const padded = tf.pad(x, explicit(padding));
  const shifted: tf.Tensor[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      shifted.push(tf.slice(padded, [0, i * dilation[0], j * dilation[1], 0], [batch, outH, outW, cin]));
    }
  }
  // One plain (untransposed) product with dy's transpose: the fast path on every backend.
  const stacked = tf.concat(shifted, 3).reshape([batch * outH * outW, kh * kw * cin]);
  const dyT = tf.transpose(dy.reshape([batch * outH * outW, cout]));
  return tf.transpose(tf.matMul(dyT, stacked).reshape([cout, kh, kw, cin]), [1, 2, 3, 0]);
}

/** Keeps every stride-th position of a stride-1 result (reshape and slice have gradients). */
export function subsample(y: tf.Tensor4D, stride: [number, number], outH: number, outW: number): tf.Tensor4D {
  const [batch, height, width, channels] = y.shape;
  const spanH = outH * stride[0];
  const spanW = outW * stride[1];
  const fitted = tf.pad(tf.slice(y, [0, 0, 0, 0], [batch, Math.min(height, spanH), Math.min(width, spanW), channels]), [
    [0, 0],
    [0, Math.max(0, spanH - height)],
    [0, Math.max(0, spanW - width)],
    [0, 0],
  ]);
  const grouped = fitted.reshape([batch, outH, stride[0], outW, stride[1], channels]);
  return tf
    .slice(grouped, [0, 0, 0, 0, 0, 0], [batch, outH, 1, outW, 1, channels])
    .reshape([batch, outH, outW, channels]);
}

export interface Conv2dOptions {
  stride: [number, number];
  dilation: [number, number];
  /** `same`, `valid`, or explicit [[top, bottom], [left, right]] zeros. */
  padding: "same" | "valid" | SpatialPadding;
}

/** The explicit padding of `conv2d` for an input of height × width. */
export function conv2dPadding(
  height: number,
  width: number,
  [kh, kw]: [number, number],
  { stride, dilation, padding }: Conv2dOptions,
): SpatialPadding {
  if (padding === "valid") {
    return [
      [0, 0],
      [0, 0],
    ];
  }
  if (padding === "same") {
    return [samePadding(height, kh, stride[0], dilation[0]), samePadding(width, kw, stride[1], dilation[1])];
  }
  return padding;
}

/** Output height and width of `conv2d`. */
export function conv2dOutputSize(
  height: number,
  width: number,
  kernel: [number, number],
  options: Conv2dOptions,
): [number, number] {
  const [[top, bottom], [left, right]] = conv2dPadding(height, width, kernel, options);
  const out = (size: number, k: number, s: number, d: number) =>
    Math.max(Math.floor((size - (k - 1) * d - 1) / s) + 1, 0);
  return [
    out(height + top + bottom, kernel[0], options.stride[0], options.dilation[0]),
    out(width + left + right, kernel[1], options.stride[1], options.dilation[1]),
  ];
}

/**
 * y[n, p, q, o] = Σ_{i,j,c} xpad[n, p·sh + i·dh, q·sw + j·dw, c] · w[i, j, c, o], for x
 * [batch, height, width, cin] and w [kh, kw, cin, cout].
 */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor4D, options: Conv2dOptions): tf.Tensor4D {
  if (x.rank !== 4 || w.rank !== 4)
    throw new Error(`conv2d expects x [b, h, w, c] and w [kh, kw, cin, cout], got [${x.shape}] and [${w.shape}]`);
  if (x.shape[3] !== w.shape[2])
    throw new Error(`conv2d: x has ${x.shape[3]} channels but w expects ${w.shape[2]} (w is [${w.shape}])`);
  for (const key of ["stride", "dilation"] as const) {
    if (!options[key].every((v) => Number.isInteger(v) && v >= 1)) {
      throw new Error(`conv2d: ${key} must be positive integers, got [${options[key]}]`);
    }
  }
  const kernel: [number, number] = [w.shape[0], w.shape[1]];
  const [outH, outW] = conv2dOutputSize(x.shape[1], x.shape[2], kernel, options);
  if (outH < 1 || outW < 1) {
    throw new Error(
      `conv2d: an input of ${x.shape[1]}×${x.shape[2]} is smaller than the kernel's span ` +
        `(${kernel.join("×")} taps, dilation ${options.dilation.join("×")}) with this padding`,
    );
  }
  const padding = conv2dPadding(x.shape[1], x.shape[2], kernel, options);
  const { stride, dilation } = options;
  return tf.tidy(() => {
    if (dilation[0] === 1 && dilation[1] === 1) return tf.conv2d(x, w, stride, explicit(padding));
    const dense = dilatedConv2d(x, w, dilation, padding);
    return stride[0] === 1 && stride[1] === 1 ? dense : subsample(dense, stride, outH, outW);
  });
}
