/**
 * Small deterministic random numbers for the training loop: data order, validation split and
 * dropout seeds are pure functions of (seed, epoch, step), so a resumed run replays exactly
 * what an uninterrupted run would have done.
 */

/** Mixes any number of 32-bit integers into one well-spread 32-bit seed (splitmix-style). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** mulberry32: a fast 32-bit generator; returns a function yielding floats in [0, 1). */
export function uniformStream(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher–Yates permutation of 0..n-1 determined by the seed. */
export function permutation(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const next = uniformStream(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** The order in which one epoch visits the training examples. */
export function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  return permutation(n, mixSeed(seed, 0x0e90c4, epoch));
}
