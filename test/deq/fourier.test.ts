/**
 * The Fourier-domain machinery of conv monotone cells, against direct computations: the real
 * 2-D DFT by matrix products against the DFT's definition, transfer matrices against circular
 * convolutions (built here from tf.conv2d on wrapped inputs), and the resolvent against the
 * operator it inverts.
 */
import * as tf from "../../runtime/tf.js";
import { beforeAll, describe, expect, it } from "vitest";
import { monotoneTransfer, spectralOperator, spectralResolvent } from "../../runtime/deq/cells/monotone-spectral.js";
import { applyInFrequency, blockMatrix, convTransfer, fromSpectrum, spectralGrid, toSpectrum } from "../../runtime/deq/fourier.js";
import { normal, relError, useCpu } from "./helpers.js";

beforeAll(useCpu);

/** Reference circular cross-correlation: wrap the borders, then a "valid" tf.conv2d. */
function circularConv(z: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [kh, kw] = kernel.shape;
    const [ph, pw] = [(kh - 1) / 2, (kw - 1) / 2];
    const [, h, w] = z.shape;
    let x = tf.concat([z.slice([0, h - ph], [-1, ph]), z, z.slice([0, 0], [-1, ph])], 1);
    x = tf.concat([x.slice([0, 0, w - pw], [-1, -1, pw]), x, x.slice([0, 0, 0], [-1, -1, pw])], 2);
    return tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, "valid");
  });
}

/** The adjoint kernel: flipped in space, input and output channels swapped. */
const adjointKernel = (k: tf.Tensor) => tf.reverse(k, [0, 1]).transpose([0, 1, 3, 2]);

/** W z = (1−m) z − Aᵀ(A z) + B z − Bᵀ z with circular convolutions. */
function referenceW(z: tf.Tensor, a: tf.Tensor, b: tf.Tensor, m: number): tf.Tensor {
  return tf.tidy(() =>
    z
      .mul(1 - m)
      .sub(circularConv(circularConv(z, a), adjointKernel(a)))
      .add(circularConv(z, b))
      .sub(circularConv(z, adjointKernel(b))),
  );
}

const GRIDS: Array<[number, number]> = [
  [6, 5],
  [4, 6],
  [7, 7],
];

describe("real 2-D DFT by matrix products", () => {
  for (const [h, w] of GRIDS) {
    it(`${h}×${w}: the spectrum is the DFT's definition, and fromSpectrum inverts it`, () => {
      const g = spectralGrid(h, w);
      const x = normal([2, h, w, 3], h * 10 + w);
      const s = toSpectrum(x, g);
      expect(s.shape).toEqual([h * (Math.floor(w / 2) + 1), 2, 6]);
      const xs = x.arraySync() as number[][][][];
      const ss = s.arraySync() as number[][][];
      let worst = 0;
      for (let k1 = 0; k1 < h; k1++) {
        for (let k2 = 0; k2 < g.halfWidth; k2++) {
          for (let b = 0; b < 2; b++) {
            for (let c = 0; c < 3; c++) {
              let re = 0;
              let im = 0;
              for (let y = 0; y < h; y++) {
                for (let v = 0; v < w; v++) {
                  const phase = -2 * Math.PI * ((k1 * y) / h + (k2 * v) / w);
                  re += xs[b][y][v][c] * Math.cos(phase);
                  im += xs[b][y][v][c] * Math.sin(phase);
                }
              }
              const got = ss[k1 * g.halfWidth + k2][b];
              worst = Math.max(worst, Math.abs(got[c] - re), Math.abs(got[3 + c] - im));
            }
          }
        }
      }
      expect(worst).toBeLessThan(1e-4);
      expect(relError(fromSpectrum(s, g), x)).toBeLessThan(1e-5);
    });
  }
});

describe("transfer matrices of circular convolutions", () => {
  for (const [h, w] of GRIDS) {
    for (const k of [3, 5]) {
      it(`${h}×${w}, ${k}×${k} kernel, 3 → 4 channels: T and Tᴴ act as the convolution and its adjoint`, () => {
        const g = spectralGrid(h, w);
        const kernel = normal([k, k, 3, 4], 7 + k);
        const { re, im } = convTransfer(kernel, g);
        const block = blockMatrix(re, im);
        const z = normal([2, h, w, 3], 8);
        const viaSpectrum = applyInFrequency(z, block, g);
        expect(relError(viaSpectrum, circularConv(z, kernel))).toBeLessThan(1e-5);
        const y = normal([2, h, w, 4], 9);
        const adjoint = applyInFrequency(y, block.transpose([0, 2, 1]), g);
        expect(relError(adjoint, circularConv(y, adjointKernel(kernel)))).toBeLessThan(1e-5);
      });
    }
  }
});

describe("monotone W and its resolvent in the Fourier domain", () => {
  const [h, w, c, m, alpha] = [6, 5, 3, 0.4, 0.7];
  const g = spectralGrid(h, w);
  const a = normal([3, 3, c, c], 20, 0.4);
  const b = normal([3, 3, c, c], 21, 0.4);

  it("W z and Wᵀ z equal the circular convolutions, and so do their gradients in A and B", () => {
    const z = normal([2, h, w, c], 22);
    const y = normal([2, h, w, c], 23);
    const op = spectralOperator(monotoneTransfer(a, b, m, g), g);
    expect(relError(op.apply(z), referenceW(z, a, b, m))).toBeLessThan(1e-5);
    const dot = (u: tf.Tensor, v: tf.Tensor) => u.mul(v).sum().dataSync()[0];
    expect(Math.abs(dot(op.apply(z), y) - dot(z, op.applyT(y)))).toBeLessThan(1e-3);
    const spectral = tf.grads((aa: tf.Tensor, bb: tf.Tensor) => spectralOperator(monotoneTransfer(aa, bb, m, g), g).apply(z).mul(y).sum())([a, b]);
    const direct = tf.grads((aa: tf.Tensor, bb: tf.Tensor) => referenceW(z, aa, bb, m).mul(y).sum())([a, b]);
    expect(relError(spectral[0], direct[0])).toBeLessThan(1e-4);
    expect(relError(spectral[1], direct[1])).toBeLessThan(1e-4);
  });

  it("solve and solveT invert I + α(I − W) and its transpose", () => {
    const transfer = monotoneTransfer(a, b, m, g);
    const op = spectralOperator(transfer, g);
    const r = spectralResolvent("test", transfer, alpha, g);
    const z = normal([3, h, w, c], 24);
    const mz = z.mul(1 + alpha).sub(op.apply(z).mul(alpha));
    expect(relError(r.solve(mz), z)).toBeLessThan(1e-5);
    const mTz = z.mul(1 + alpha).sub(op.applyT(z).mul(alpha));
    expect(relError(r.solveT(mTz), z)).toBeLessThan(1e-5);
    r.dispose();
  });

  it("a non-finite kernel is a solver error naming the model, not NaN states", () => {
    const bad = a.add(tf.scalar(NaN));
    expect(() => spectralResolvent("mnist_mondeq", monotoneTransfer(bad, b, m, g), alpha, g)).toThrow(
      /mnist_mondeq.*peaceman_rachford.*singular/,
    );
  });
});
