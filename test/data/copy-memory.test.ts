import { describe, expect, it } from "vitest";
import { DataError } from "../../runtime/data/errors.js";
import { loadDataset } from "../../runtime/data/index.js";
import type { Split } from "../../runtime/data/types.js";

const ctx = (seed = 0, validation = 0) => ({ baseDir: process.cwd(), seed, validation });
const copyMemory = (T: number, train: number, test: number) => ({ call: "copy_memory", args: { T, train, test } });

function sequence(split: Split, n: number, length: number) {
  return {
    x: Array.from(split.x.subarray(n * length, (n + 1) * length)),
    y: Array.from(split.y.subarray(n * length, (n + 1) * length)),
  };
}

describe("copy_memory(T, train, test)", () => {
  it("defaults to T = 500 (length 520), 4,500 train / 500 test, per-position labels", async () => {
    const data = await loadDataset("copy_memory", ctx());
    expect(data.task).toBe("classify");
    expect(data.classes).toBe(10);
    expect(data.inputShape).toEqual([520, 1]);
    expect(data.train.count).toBe(4500);
    expect(data.test.count).toBe(500);
    expect(data.train.yShape).toEqual([520]);
    expect(data.train.y).toBeInstanceOf(Int32Array);
    expect(data.meta?.sequence).toEqual({ delay: 500, memory: 10, marker: 9 });
  });

  it("every sequence: 10 digits in 1–8, T−1 zeros, 11 markers; the target recalls the digits at the end", async () => {
    const T = 30;
    const length = T + 20;
    const data = await loadDataset(copyMemory(T, 200, 50), ctx(3));
    const seen = new Set<number>();
    for (const split of [data.train, data.test]) {
      for (let n = 0; n < split.count; n++) {
        const { x, y } = sequence(split, n, length);
        const digits = x.slice(0, 10);
        for (const d of digits) {
          expect(d).toBeGreaterThanOrEqual(1);
          expect(d).toBeLessThanOrEqual(8);
          expect(Number.isInteger(d)).toBe(true);
          seen.add(d);
        }
        expect(x.slice(10, 10 + T - 1)).toEqual(new Array(T - 1).fill(0));
        expect(x.slice(T + 9)).toEqual(new Array(11).fill(9));
        expect(y.slice(0, T + 10)).toEqual(new Array(T + 10).fill(0));
        expect(y.slice(T + 10)).toEqual(digits);
      }
    }
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("is seeded: same seed same data, another seed other data; the test set ignores the training size", async () => {
    const a = await loadDataset(copyMemory(10, 40, 20), ctx(5));
    const b = await loadDataset(copyMemory(10, 40, 20), ctx(5));
    const c = await loadDataset(copyMemory(10, 40, 20), ctx(6));
    const d = await loadDataset(copyMemory(10, 80, 20), ctx(5));
    expect(Array.from(b.train.x)).toEqual(Array.from(a.train.x));
    expect(Array.from(c.train.x)).not.toEqual(Array.from(a.train.x));
    expect(Array.from(d.test.x)).toEqual(Array.from(a.test.x));
  });

  it("holds out validation sequences from train when asked", async () => {
    const data = await loadDataset(copyMemory(10, 100, 20), ctx(0, 0.1));
    expect(data.train.count).toBe(90);
    expect(data.validation?.count).toBe(10);
    expect(data.validation?.yShape).toEqual([30]);
  });

  it("rejects a non-positive T", async () => {
    await expect(loadDataset(copyMemory(0, 10, 10), ctx())).rejects.toThrow(DataError);
    await expect(loadDataset(copyMemory(0, 10, 10), ctx())).rejects.toThrow(
      "copy_memory(T) must be an integer ≥ 1, got 0",
    );
  });
});
