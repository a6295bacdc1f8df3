import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataError } from "../../runtime/data/errors.js";
import { loadDataset } from "../../runtime/data/index.js";
import { readMat5 } from "../../runtime/data/mat5.js";
import { matFile, matHeader, svhnPixel, svhnVariables, tempDir } from "./formats.js";

const ctx = (baseDir: string) => ({ baseDir, seed: 0, validation: 0 });

async function rejection(promise: Promise<unknown>): Promise<DataError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error("expected the load to fail");
}

describe("MAT v5 reader", () => {
  const variables = [
    { name: "weights", className: "double" as const, dims: [2, 3], values: [1.5, -2, 3.25, 4, 5, -6e-3] },
    { name: "idx", className: "int16" as const, dims: [1, 4], values: [-300, 0, 7, 32000] },
    { name: "s", className: "single" as const, dims: [3, 1], values: [0.5, 0.25, -8] },
    {
      name: "stored_small",
      className: "double" as const,
      storage: "uint8" as const,
      dims: [1, 5],
      values: [0, 1, 200, 255, 9],
    },
  ];

  for (const [label, options] of [
    ["uncompressed little-endian", { compressed: false, little: true }],
    ["compressed little-endian", { compressed: true, little: true }],
    ["uncompressed big-endian", { compressed: false, little: false }],
    ["compressed big-endian", { compressed: true, little: false }],
  ] as const) {
    it(`reads numeric arrays of several types (${label})`, async () => {
      const arrays = await readMat5(matFile(variables, options), "t.mat");
      expect([...arrays.keys()]).toEqual(["weights", "idx", "s", "stored_small"]);
      for (const v of variables) {
        const array = arrays.get(v.name)!;
        expect(array.className).toBe(v.className);
        expect(array.dims).toEqual(v.dims);
        expect(Array.from(array.data)).toEqual(v.values);
      }
      expect(arrays.get("stored_small")!.data).toBeInstanceOf(Uint8Array);
    });
  }

  it("refuses a v7.3 (HDF5) file with advice", async () => {
    const bytes = new Uint8Array(600);
    bytes.set(matHeader(true, "MATLAB 7.3 MAT-file, Platform: GLNXA64, HDF5 schema 1.00 .", 0x0200));
    const error = await rejection(readMat5(bytes, "v73.mat"));
    expect(error.file).toBe("v73.mat");
    expect(error.message).toContain("v7.3 (HDF5)");
    expect(error.hint).toContain("-v7");
  });

  it("refuses a file without the MAT header", async () => {
    const error = await rejection(readMat5(new TextEncoder().encode("x".repeat(200)), "junk.mat"));
    expect(error.message).toContain('expected a MAT-file header starting "MATLAB 5.0 MAT-file"');
  });

  it("reports a truncated element with its byte offset", async () => {
    const bytes = matFile(variables, { compressed: false });
    const error = await rejection(readMat5(bytes.subarray(0, 200), "cut.mat"));
    expect(error.file).toBe("cut.mat");
    expect(error.message).toMatch(/element at byte 128 claims \d+ bytes, only 64 remain/);
  });

  it("reports a compressed element that does not inflate", async () => {
    const bytes = matFile(variables, { compressed: true });
    bytes.fill(0xab, 140, 160);
    const error = await rejection(readMat5(bytes, "bad.mat"));
    expect(error.message).toContain("compressed element at byte 128 does not inflate");
  });
});

describe("svhn(dir)", () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  const trainLabels = [1, 10, 5, 3];
  const testLabels = [10, 2];

  function write(compressed: boolean) {
    writeFileSync(join(dir, "train_32x32.mat"), matFile(svhnVariables(trainLabels), { compressed }));
    writeFileSync(join(dir, "test_32x32.mat"), matFile(svhnVariables(testLabels), { compressed }));
  }

  for (const compressed of [false, true]) {
    it(`reads X (32×32×3×N, column-major) into HWC and maps label 10 to digit 0 (${compressed ? "compressed" : "uncompressed"})`, async () => {
      write(compressed);
      const data = await loadDataset({ call: "svhn", args: { dir } }, ctx(dir));
      expect(data.inputShape).toEqual([32, 32, 3]);
      expect(data.train.count).toBe(4);
      expect(data.test.count).toBe(2);
      expect(Array.from(data.train.y)).toEqual([1, 0, 5, 3]);
      expect(Array.from(data.test.y)).toEqual([0, 2]);
      for (let n = 0; n < 4; n++)
        for (const [row, col] of [
          [0, 0],
          [0, 1],
          [1, 0],
          [20, 31],
        ])
          for (let ch = 0; ch < 3; ch++) {
            expect(data.train.x[n * 3072 + (row * 32 + col) * 3 + ch]).toBeCloseTo(svhnPixel(n, row, col, ch) / 255, 6);
          }
    });
  }

  it("a file without y lists the variables it has", async () => {
    write(true);
    const file = join(dir, "test_32x32.mat");
    writeFileSync(file, matFile([svhnVariables(testLabels)[0]], { compressed: true }));
    const error = await rejection(loadDataset({ call: "svhn", args: { dir } }, ctx(dir)));
    expect(error.file).toBe(file);
    expect(error.message).toBe("expected a numeric variable 'y'; found 'X'");
  });

  it("X of the wrong size", async () => {
    write(false);
    const file = join(dir, "train_32x32.mat");
    writeFileSync(
      file,
      matFile([
        { name: "X", className: "uint8", dims: [28, 28, 1, 2], values: new Uint8Array(28 * 28 * 2) },
        { name: "y", className: "double", dims: [2, 1], values: [1, 2] },
      ]),
    );
    const error = await rejection(loadDataset({ call: "svhn", args: { dir } }, ctx(dir)));
    expect(error.file).toBe(file);
    expect(error.message).toBe("expected X to be 32×32×3×N, got 28×28×1×2");
  });

  it("a label outside 1–10", async () => {
    writeFileSync(join(dir, "train_32x32.mat"), matFile(svhnVariables([1, 11, 2])));
    writeFileSync(join(dir, "test_32x32.mat"), matFile(svhnVariables([1])));
    const error = await rejection(loadDataset({ call: "svhn", args: { dir } }, ctx(dir)));
    expect(error.message).toBe("y(2) is 11, expected a label 1–10 (10 = digit 0)");
  });

  it("a missing file", async () => {
    writeFileSync(join(dir, "train_32x32.mat"), matFile(svhnVariables([1])));
    const error = await rejection(loadDataset({ call: "svhn", args: { dir } }, ctx(dir)));
    expect(error.file).toBe(join(dir, "test_32x32.mat"));
    expect(error.message).toBe("file not found");
    expect(error.hint).toContain("test_32x32.mat");
  });
});
