/**
 * `copy_memory(T, train, test)`: the copy-memory task as the TCN benchmark generates it.
 * Input (length T + 20): 10 digits drawn uniformly from 1–8, then T − 1 zeros, then 11 markers
 * (9). Target: T + 10 zeros, then the 10 digits. Inputs are the raw symbols as one float
 * channel (`[T + 20, 1]`); targets are per-position classes 0–9. Train and test come from
 * separate seeded streams, so the test set does not change with the number of training sequences.
 */
import { mixSeed, uniformStream } from "../rng.js";
import type { RawDataset, RawSplit } from "./split.js";

export const COPY_MEMORY_DIGITS = 10;
export const COPY_MEMORY_MARKER = 9;
const TRAIN_STREAM = 0xc0be1;
const TEST_STREAM = 0xc0be2;

function generate(count: number, delay: number, seed: number): RawSplit {
  const length = delay + 2 * COPY_MEMORY_DIGITS;
  const x = new Float32Array(count * length);
  const y = new Int32Array(count * length);
  const next = uniformStream(seed);
  for (let n = 0; n < count; n++) {
    const row = n * length;
    for (let i = 0; i < COPY_MEMORY_DIGITS; i++) {
      const digit = 1 + Math.floor(next() * 8);
      x[row + i] = digit;
      y[row + delay + COPY_MEMORY_DIGITS + i] = digit;
    }
    for (let i = delay + COPY_MEMORY_DIGITS - 1; i < length; i++) x[row + i] = COPY_MEMORY_MARKER;
  }
  return { x, y, count };
}

export function loadCopyMemory(delay: number, train: number, test: number, seed: number): RawDataset {
  const length = delay + 2 * COPY_MEMORY_DIGITS;
  return {
    name: "copy_memory",
    task: "classify",
    inputShape: [length, 1],
    classes: 10,
    yShape: [length],
    train: generate(train, delay, mixSeed(seed, TRAIN_STREAM)),
    test: generate(test, delay, mixSeed(seed, TEST_STREAM)),
    meta: {
      source: "generated",
      description: `copy memory, T = ${delay} (sequence length ${length}): ${train} train / ${test} test sequences`,
      sequence: { delay, memory: COPY_MEMORY_DIGITS, marker: COPY_MEMORY_MARKER },
    },
  };
}
