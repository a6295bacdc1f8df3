import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataError } from "../../runtime/data/errors.js";
import { loadDataset } from "../../runtime/data/index.js";
import { FASHION_CLASS_NAMES } from "../../runtime/data/mnist-idx.js";
import type { Dataset } from "../../runtime/data/types.js";
import { idxBytes, idxPixel, idxSplit, tempDir, writeIdxSet } from "./formats.js";

const ctx = (baseDir: string) => ({ baseDir, seed: 0, validation: 0 });

// Non-square images so that rows and columns cannot be confused.
const ROWS = 4;
const COLS = 3;
const train = idxSplit(6, ROWS, COLS, (n) => (n * 3) % 10);
const test = idxSplit(3, ROWS, COLS, (n) => 9 - n);

async function rejection(promise: Promise<unknown>): Promise<DataError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error("expected the load to fail");
}

function expectDecoded(data: Dataset): void {
  expect(data.inputShape).toEqual([ROWS, COLS, 1]);
  expect(data.classes).toBe(10);
  expect(data.train.count).toBe(6);
  expect(data.test.count).toBe(3);
  expect(Array.from(data.train.y)).toEqual([0, 3, 6, 9, 2, 5]);
  expect(Array.from(data.test.y)).toEqual([9, 8, 7]);
  for (const [split, count] of [
    [data.train, 6],
    [data.test, 3],
  ] as const) {
    for (let n = 0; n < count; n++)
      for (let r = 0; r < ROWS; r++)
        for (let c = 0; c < COLS; c++)
          expect(split.x[(n * ROWS + r) * COLS + c]).toBeCloseTo(idxPixel(n, r, c) / 255, 6);
  }
}

describe("IDX loaders (mnist_idx, fashion_mnist)", () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it("reads plain IDX files, scaling bytes to [0, 1]", async () => {
    writeIdxSet(dir, train, test);
    expectDecoded(await loadDataset({ call: "mnist_idx", args: { dir } }, ctx(dir)));
  });

  it("reads gzip-compressed IDX files to the same arrays", async () => {
    writeIdxSet(dir, train, test, { gzip: true });
    expectDecoded(await loadDataset({ call: "mnist_idx", args: { dir } }, ctx(dir)));
  });

  it("accepts the dotted names (train-images.idx3-ubyte) and a path relative to the spec", async () => {
    mkdirSync(join(dir, "digits"));
    writeIdxSet(join(dir, "digits"), train, test, { dotted: true });
    expectDecoded(await loadDataset({ call: "mnist_idx", args: { dir: "digits" } }, ctx(dir)));
  });

  it("fashion_mnist reads the same format and names the classes", async () => {
    writeIdxSet(dir, train, test, { gzip: true });
    const data = await loadDataset({ call: "fashion_mnist", args: { dir } }, ctx(dir));
    expectDecoded(data);
    expect(data.name).toBe("fashion_mnist");
    expect(data.meta?.classNames).toEqual(FASHION_CLASS_NAMES);
  });

  it("a labels file in place of the images: names the file and both magic numbers", async () => {
    writeIdxSet(dir, train, test);
    const images = join(dir, "train-images-idx3-ubyte");
    writeFileSync(images, readFileSync(join(dir, "train-labels-idx1-ubyte")));
    const error = await rejection(loadDataset({ call: "mnist_idx", args: { dir } }, ctx(dir)));
    expect(error.file).toBe(images);
    expect(error.message).toBe("expected IDX magic 0x00000803 for images, got 0x00000801");
    expect(error.format()).toContain(`${images}: expected IDX magic`);
    expect(error.hint).toBeTruthy();
  });

  it("a truncated images file: says how many bytes were expected", async () => {
    writeIdxSet(dir, train, test);
    const images = join(dir, "t10k-images-idx3-ubyte");
    writeFileSync(images, idxBytes([3, ROWS, COLS], test.images).subarray(0, 20));
    const error = await rejection(loadDataset({ call: "mnist_idx", args: { dir } }, ctx(dir)));
    expect(error.file).toBe(images);
    expect(error.message).toContain(`expected ${16 + 3 * ROWS * COLS} bytes`);
    expect(error.hint).toContain("truncated");
  });

  it("a corrupt gzip file is reported as such", async () => {
    writeIdxSet(dir, train, test, { gzip: true });
    const labels = join(dir, "train-labels-idx1-ubyte.gz");
    writeFileSync(labels, readFileSync(labels).subarray(0, 12));
    const error = await rejection(loadDataset({ call: "mnist_idx", args: { dir } }, ctx(dir)));
    expect(error.file).toBe(labels);
    expect(error.message).toContain("gzip");
  });

  it("images and labels with different counts", async () => {
    writeIdxSet(dir, train, test);
    writeFileSync(join(dir, "train-labels-idx1-ubyte"), idxBytes([5], train.labels.subarray(0, 5)));
    const error = await rejection(loadDataset({ call: "mnist_idx", args: { dir } }, ctx(dir)));
    expect(error.file).toBe(join(dir, "train-labels-idx1-ubyte"));
    expect(error.message).toContain("holds 5 labels but");
  });

  it("fashion_mnist: a label outside 0–9, located by its byte", async () => {
    writeIdxSet(dir, train, { ...test, labels: Uint8Array.from([1, 12, 3]) });
    const error = await rejection(loadDataset({ call: "fashion_mnist", args: { dir } }, ctx(dir)));
    expect(error.file).toBe(join(dir, "t10k-labels-idx1-ubyte"));
    expect(error.message).toBe("label 1 is 12, expected 0–9");
    expect(error.byte).toBe(9);
  });

  it("mnist_idx: the class count is the largest label + 1, not fixed at 10", async () => {
    writeIdxSet(dir, train, { ...test, labels: Uint8Array.from([1, 12, 3]) });
    const data = await loadDataset({ call: "mnist_idx", args: { dir } }, ctx(dir));
    expect(data.classes).toBe(13);
    expect(data.meta?.classNames).toHaveLength(13);
    expect(Array.from(data.test.y)).toEqual([1, 12, 3]);
  });

  it("a missing file names the directory and the expected file", async () => {
    writeIdxSet(dir, train, test);
    rmSync(join(dir, "t10k-images-idx3-ubyte"));
    const error = await rejection(loadDataset({ call: "mnist_idx", args: { dir } }, ctx(dir)));
    expect(error.file).toBe(dir);
    expect(error.message).toContain("t10k-images-idx3-ubyte");
  });

  it("a missing directory: fashion_mnist says how to install the data", async () => {
    const missing = join(dir, "nope");
    const error = await rejection(loadDataset({ call: "fashion_mnist", args: { dir: missing } }, ctx(dir)));
    expect(error.file).toBe(missing);
    expect(error.message).toBe("directory not found");
    expect(error.hint).toContain("dataset-fashion-mnist");
  });
});
