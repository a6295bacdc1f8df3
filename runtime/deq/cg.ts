/**
 * Batched conjugate gradients on the normal equations (CGNR): solves M x = r for every sample
 * of a batch at once, each with its own step sizes, for a square operator M given with its
 * adjoint. Used for the resolvent of conv monotone cells, where M = (1+α)I − αW is not
 * symmetric (W has a skew part) but is well conditioned: its symmetric part is ⪰ (1+αm)I.
 */
import * as tf from "@tensorflow/tfjs";
import { perSample, sampleDots, sampleNorms } from "./norms.js";

export interface CgOptions {
  /** Stop when every sample has ‖r − M x‖ ≤ tol · ‖r‖. */
  tol: number;
  maxIter: number;
  /** Check the stopping rule every this many iterations (each check reads back from the device). */
  checkEvery: number;
}

export const RESOLVENT_CG: CgOptions = { tol: 1e-6, maxIter: 100, checkEvery: 5 };

export function cgnr(
  m: (x: tf.Tensor) => tf.Tensor,
  mT: (y: tf.Tensor) => tf.Tensor,
  r: tf.Tensor,
  x0: tf.Tensor | undefined,
  options: CgOptions = RESOLVENT_CG,
): tf.Tensor {
  const rNorm = sampleNorms(r);
  let x = x0 ? x0.clone() : r.clone();
  let res = tf.tidy(() => r.sub(m(x)));
  let s = mT(res);
  let p = s.clone();
  let gamma = sampleDots(s, s);
  try {
    for (let k = 0; k < options.maxIter; k++) {
      if (k % options.checkEvery === 0) {
        const done = tf.tidy(() => sampleNorms(res).lessEqual(rNorm.mul(options.tol)).all());
        const finished = done.dataSync()[0] === 1;
        done.dispose();
        if (finished) break;
      }
      const next = tf.tidy(() => {
        const q = m(p);
        const qq = sampleDots(q, q);
        // a = γ / ‖q‖²; zero where the sample has already converged exactly (q = 0).
        const a = tf.where(qq.greater(0), gamma.div(qq.add(1e-30)), tf.zerosLike(qq));
        const xN = x.add(p.mul(perSample(a, p)));
        const resN = res.sub(q.mul(perSample(a, q)));
        const sN = mT(resN);
        const gammaN = sampleDots(sN, sN);
        const b = tf.where(gamma.greater(0), gammaN.div(gamma.add(1e-30)), tf.zerosLike(gamma));
        const pN = sN.add(p.mul(perSample(b, p)));
        return [xN, resN, sN, pN, gammaN];
      });
      for (const t of [x, res, s, p, gamma]) t.dispose();
      [x, res, s, p] = next;
      gamma = next[4] as tf.Tensor1D;
    }
    return x.clone();
  } finally {
    for (const t of [x, res, s, p, gamma, rNorm]) t.dispose();
  }
}
