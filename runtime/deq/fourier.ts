/**
 * The real 2-D discrete Fourier transform of NHWC states, by matrix products (tfjs has no FFT on
 * the wasm backend, and at the sizes of image states two small dense transforms are cheap: on
 * 28×28×56 states a forward transform is about a fifth of one 3×3 convolution's work).
 *
 * A state x [B, H, W, C] has, per sample and channel, the spectrum
 *   X[k1, k2] = Σ_h Σ_w x[h, w] e^{−2πi (k1 h / H + k2 w / W)},  k1 < H,  k2 < Kw = ⌊W/2⌋ + 1
 * (the other half follows by conjugate symmetry). Spectra are laid out `[K, B, 2C]` with
 * K = H·Kw frequencies in the order k = k1·Kw + k2 and, per sample, the C real parts followed by
 * the C imaginary parts: the layout in which a per-frequency complex C×C matrix acts as one real
 * 2C×2C product (`blockMatrix`).
 *
 * A linear map on states that commutes with circular shifts — a circular convolution, and so
 * the monotone cell's W — acts on spectra as a row vector times a complex matrix per frequency:
 * ŷ[k] = x̂[k] T[k]. Its adjoint acts by T[k]ᴴ.
 */
import * as tf from "../tf.js";

export interface SpectralGrid {
  height: number;
  width: number;
  /** Frequencies kept along the width: ⌊W/2⌋ + 1. */
  halfWidth: number;
  /** height · halfWidth. */
  count: number;
}

export function spectralGrid(height: number, width: number): SpectralGrid {
  const halfWidth = Math.floor(width / 2) + 1;
  return { height, width, halfWidth, count: height * halfWidth };
}

interface TransformMatrices {
  /** [2Kw, W]: rows cos(2π k w / W), then −sin(2π k w / W). */
  forwardWidth: tf.Tensor2D;
  /** [2H, 2H] acting on (real; imaginary) columns: the complex DFT along the height. */
  forwardHeight: tf.Tensor2D;
  /** [2H, 2H]: the inverse complex DFT along the height, with its 1/H. */
  inverseHeight: tf.Tensor2D;
  /** [W, 2Kw]: the inverse real DFT along the width (each kept frequency weighted by its mirror), with 1/W. */
  inverseWidth: tf.Tensor2D;
}

const matrices = new Map<string, TransformMatrices>();

function buildMatrices(g: SpectralGrid): TransformMatrices {
  const { height: h, width: w, halfWidth: kw } = g;
  const fw = new Float32Array(2 * kw * w);
  const gw = new Float32Array(w * 2 * kw);
  for (let k = 0; k < kw; k++) {
    // A kept frequency other than 0 and (even W) W/2 stands for itself and its mirror W − k.
    const weight = k === 0 || 2 * k === w ? 1 : 2;
    for (let x = 0; x < w; x++) {
      const phase = (2 * Math.PI * k * x) / w;
      fw[k * w + x] = Math.cos(phase);
      fw[(kw + k) * w + x] = -Math.sin(phase);
      gw[x * 2 * kw + k] = (weight * Math.cos(phase)) / w;
      gw[x * 2 * kw + kw + k] = (-weight * Math.sin(phase)) / w;
    }
  }
  const fh = new Float32Array(4 * h * h);
  const gh = new Float32Array(4 * h * h);
  const n = 2 * h;
  for (let k = 0; k < h; k++) {
    for (let y = 0; y < h; y++) {
      const c = Math.cos((2 * Math.PI * k * y) / h);
      const s = Math.sin((2 * Math.PI * k * y) / h);
      // Forward: Re = Σ re·cos + im·sin, Im = Σ im·cos − re·sin (rows k, columns y).
      fh[k * n + y] = c;
      fh[k * n + h + y] = s;
      fh[(h + k) * n + y] = -s;
      fh[(h + k) * n + h + y] = c;
      // Inverse: Re = Σ re·cos − im·sin, Im = Σ re·sin + im·cos (rows y, columns k).
      gh[y * n + k] = c / h;
      gh[y * n + h + k] = -s / h;
      gh[(h + y) * n + k] = s / h;
      gh[(h + y) * n + h + k] = c / h;
    }
  }
  return {
    forwardWidth: tf.keep(tf.tensor2d(fw, [2 * kw, w])),
    forwardHeight: tf.keep(tf.tensor2d(fh, [n, n])),
    inverseHeight: tf.keep(tf.tensor2d(gh, [n, n])),
    inverseWidth: tf.keep(tf.tensor2d(gw, [w, 2 * kw])),
  };
}

/** The transform matrices of a grid, built once per size (and per backend: tensors live on one). */
function matricesFor(g: SpectralGrid): TransformMatrices {
  const key = `${tf.getBackend()}:${g.height}x${g.width}`;
  let found = matrices.get(key);
  if (!found || found.forwardWidth.isDisposed) {
    found = buildMatrices(g);
    matrices.set(key, found);
  }
  return found;
}

/** x [B, H, W, C] → its spectrum [K, B, 2C]. */
export function toSpectrum(x: tf.Tensor, g: SpectralGrid): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, h, w, c] = x.shape;
    const { forwardWidth, forwardHeight } = matricesFor(g);
    const bc = batch * c;
    // Width first, on [W, H·B·C]; then the height, on [2H, Kw·B·C] (real rows, then imaginary).
    const byWidth = tf.matMul(forwardWidth, tf.transpose(x, [2, 1, 0, 3]).reshape([w, h * bc]));
    const heightMajor = tf.transpose(byWidth.reshape([2, g.halfWidth, h, bc]), [0, 2, 1, 3]).reshape([2 * h, g.halfWidth * bc]);
    const spectrum = tf.matMul(forwardHeight, heightMajor);
    return tf.transpose(spectrum.reshape([2, g.count, batch, c]), [1, 2, 0, 3]).reshape([g.count, batch, 2 * c]) as tf.Tensor3D;
  });
}

/** A spectrum [K, B, 2C] (conjugate-symmetric, as every real state's is) → the state [B, H, W, C]. */
export function fromSpectrum(s: tf.Tensor, g: SpectralGrid): tf.Tensor4D {
  return tf.tidy(() => {
    const [, batch, twoC] = s.shape;
    const c = twoC / 2;
    const bc = batch * c;
    const { inverseHeight, inverseWidth } = matricesFor(g);
    const planes = tf.transpose(s.reshape([g.count, batch, 2, c]), [2, 0, 1, 3]).reshape([2 * g.height, g.halfWidth * bc]);
    const byHeight = tf.matMul(inverseHeight, planes);
    const widthMajor = tf.transpose(byHeight.reshape([2, g.height, g.halfWidth, bc]), [0, 2, 1, 3]).reshape([2 * g.halfWidth, g.height * bc]);
    const image = tf.matMul(inverseWidth, widthMajor);
    return tf.transpose(image.reshape([g.width, g.height, batch, c]), [2, 1, 0, 3]) as tf.Tensor4D;
  });
}

/**
 * The transfer matrices T[k] of the circular cross-correlation with a kernel [kh, kw, C, C']
 * (tfjs conv2d's convention, centred: tap (i, j) reads x[h + i − ⌊kh/2⌋, w + j − ⌊kw/2⌋]):
 *   T[k][c, o] = Σ_{i,j} K[i, j, c, o] e^{+2πi (k1 (i − ⌊kh/2⌋) / H + k2 (j − ⌊kw/2⌋) / W)},
 * returned as real and imaginary parts [K, C, C'] (taped: differentiable in the kernel).
 */
export function convTransfer(kernel: tf.Tensor, g: SpectralGrid): { re: tf.Tensor3D; im: tf.Tensor3D } {
  return tf.tidy(() => {
    const [kh, kw, cin, cout] = kernel.shape;
    const taps = kh * kw;
    const cos = new Float32Array(g.count * taps);
    const sin = new Float32Array(g.count * taps);
    for (let k1 = 0; k1 < g.height; k1++) {
      for (let k2 = 0; k2 < g.halfWidth; k2++) {
        const row = (k1 * g.halfWidth + k2) * taps;
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const phase = 2 * Math.PI * ((k1 * (i - Math.floor(kh / 2))) / g.height + (k2 * (j - Math.floor(kw / 2))) / g.width);
            cos[row + i * kw + j] = Math.cos(phase);
            sin[row + i * kw + j] = Math.sin(phase);
          }
        }
      }
    }
    const flat = kernel.reshape([taps, cin * cout]);
    return {
      re: tf.matMul(tf.tensor2d(cos, [g.count, taps]), flat).reshape([g.count, cin, cout]) as tf.Tensor3D,
      im: tf.matMul(tf.tensor2d(sin, [g.count, taps]), flat).reshape([g.count, cin, cout]) as tf.Tensor3D,
    };
  });
}

/** The real [K, 2C, 2C] form [[re, im], [−im, re]] of complex matrices: row [x_re | x_im] times it is x·T. */
export function blockMatrix(re: tf.Tensor, im: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => tf.concat([tf.concat([re, im], 2), tf.concat([im.neg(), re], 2)], 1) as tf.Tensor3D);
}

/** Applies per-frequency matrices in block form [K, 2C, 2C] to a spectrum [K, B, 2C]. */
function mixSpectrum(s: tf.Tensor, block: tf.Tensor): tf.Tensor3D {
  return tf.matMul(s as tf.Tensor3D, block as tf.Tensor3D);
}

/** The shift-commuting map with per-frequency matrices `block` on a state x [B, H, W, C]. */
export function applyInFrequency(x: tf.Tensor, block: tf.Tensor, g: SpectralGrid): tf.Tensor4D {
  return tf.tidy(() => fromSpectrum(mixSpectrum(toSpectrum(x, g), block), g));
}
