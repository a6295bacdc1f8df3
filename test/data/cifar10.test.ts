import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataError } from "../../runtime/data/errors.js";
import { loadDataset } from "../../runtime/data/index.js";
import { cifarBatch, cifarPixel, tempDir } from "./formats.js";

const ctx = (baseDir: string) => ({ baseDir, seed: 0, validation: 0 });

// Two records per training batch (10 in all), three in the test batch.
const trainLabels = [
  [3, 8],
  [0, 1],
  [9, 2],
  [5, 5],
  [7, 4],
];
const testLabels = [6, 0, 9];

function writeBatches(dir: string): void {
  trainLabels.forEach((labels, b) => writeFileSync(join(dir, `data_batch_${b + 1}.bin`), cifarBatch(labels, 2 * b)));
  writeFileSync(join(dir, "test_batch.bin"), cifarBatch(testLabels, 100));
}

async function rejection(promise: Promise<unknown>): Promise<DataError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error("expected the load to fail");
}

describe("cifar10(dir)", () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it("reads the five training batches in order and the test batch, converting CHW to HWC", async () => {
    writeBatches(dir);
    const data = await loadDataset({ call: "cifar10", args: { dir } }, ctx(dir));
    expect(data.inputShape).toEqual([32, 32, 3]);
    expect(data.classes).toBe(10);
    expect(data.train.count).toBe(10);
    expect(data.test.count).toBe(3);
    expect(Array.from(data.train.y)).toEqual(trainLabels.flat());
    expect(Array.from(data.test.y)).toEqual(testLabels);
    expect(data.meta?.classNames?.[0]).toBe("airplane");
    for (const [split, first, count] of [
      [data.train, 0, 10],
      [data.test, 100, 3],
    ] as const) {
      for (let n = 0; n < count; n++)
        for (const [row, col] of [
          [0, 0],
          [0, 31],
          [17, 5],
          [31, 31],
        ])
          for (let ch = 0; ch < 3; ch++) {
            const value = split.x[n * 3072 + (row * 32 + col) * 3 + ch];
            expect(value).toBeCloseTo(cifarPixel(first + n, row, col, ch) / 255, 6);
          }
    }
  });

  it("finds the batches in a cifar-10-batches-bin subfolder and reads batches.meta.txt", async () => {
    const inner = join(dir, "cifar-10-batches-bin");
    mkdirSync(inner);
    writeBatches(inner);
    const names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    writeFileSync(join(inner, "batches.meta.txt"), names.join("\n") + "\n\n");
    const data = await loadDataset({ call: "cifar10", args: { dir } }, ctx(dir));
    expect(data.train.count).toBe(10);
    expect(data.meta?.classNames).toEqual(names);
  });

  it("lists the missing batch files", async () => {
    writeBatches(dir);
    rmSync(join(dir, "data_batch_4.bin"));
    const error = await rejection(loadDataset({ call: "cifar10", args: { dir } }, ctx(dir)));
    expect(error.file).toBe(dir);
    expect(error.message).toBe("missing data_batch_4.bin");
    expect(error.hint).toContain("data_batch_1.bin");
  });

  it("a file that is not a whole number of records", async () => {
    writeBatches(dir);
    const file = join(dir, "data_batch_2.bin");
    writeFileSync(file, cifarBatch([1, 2], 0).subarray(0, 5000));
    const error = await rejection(loadDataset({ call: "cifar10", args: { dir } }, ctx(dir)));
    expect(error.file).toBe(file);
    expect(error.message).toContain("3073-byte records");
    expect(error.message).toContain("5000 bytes");
  });

  it("a label beyond 9", async () => {
    writeBatches(dir);
    const file = join(dir, "test_batch.bin");
    writeFileSync(file, cifarBatch([1, 42], 0));
    const error = await rejection(loadDataset({ call: "cifar10", args: { dir } }, ctx(dir)));
    expect(error.file).toBe(file);
    expect(error.message).toBe("record 1 has label 42, CIFAR-10 labels are 0–9");
  });
});
