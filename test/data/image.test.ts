import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PNG } from "pngjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataError } from "../../runtime/data/errors.js";
import { imageGrid, psnr, writeImagePng } from "../../runtime/data/image-output.js";
import { loadDataset } from "../../runtime/data/index.js";
import type { Split } from "../../runtime/data/types.js";
import { pngBytes, pngColour, tempDir } from "./formats.js";

const ctx = (baseDir: string) => ({ baseDir, seed: 0, validation: 0.1 });

// Odd sizes, so the quarters differ in size and an off-by-one shows.
const WIDTH = 7;
const HEIGHT = 5;

/** The (row, col) of every example, recovered from its coordinate input. */
function pixels(split: Split, width: number, height: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < split.count; i++)
    out.push([Math.round(split.x[2 * i + 1] * height), Math.round(split.x[2 * i] * width)]);
  return out;
}

describe("image(path, gray)", () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(join(dir, "pattern.png"), pngBytes(WIDTH, HEIGHT));
  });
  afterEach(() => cleanup());

  it("makes three disjoint, equally spaced quarters: train even/even, validation even/odd, test odd/even", async () => {
    const data = await loadDataset({ call: "image", args: { path: "pattern.png" } }, ctx(dir));
    expect(data.task).toBe("regress");
    expect(data.inputShape).toEqual([2]);
    expect(data.outputs).toBe(3);
    expect(data.meta?.validationFrom).toBe("split");
    expect(data.meta?.image).toMatchObject({
      width: WIDTH,
      height: HEIGHT,
      channels: 3,
      path: join(dir, "pattern.png"),
    });

    const quarters = {
      train: pixels(data.train, WIDTH, HEIGHT),
      validation: pixels(data.validation!, WIDTH, HEIGHT),
      test: pixels(data.test, WIDTH, HEIGHT),
    };
    const expected = (r0: number, c0: number) => {
      const out: [number, number][] = [];
      for (let r = r0; r < HEIGHT; r += 2) for (let c = c0; c < WIDTH; c += 2) out.push([r, c]);
      return out;
    };
    expect(quarters.train).toEqual(expected(0, 0));
    expect(quarters.validation).toEqual(expected(0, 1));
    expect(quarters.test).toEqual(expected(1, 0));
    const all = [...quarters.train, ...quarters.validation, ...quarters.test].map(([r, c]) => `${r},${c}`);
    expect(new Set(all).size).toBe(all.length);
    expect([data.train.count, data.validation!.count, data.test.count]).toEqual([12, 9, 8]);
  });

  it("inputs lie in [0, 1) and targets are the pixel's RGB / 255", async () => {
    const data = await loadDataset({ call: "image", args: { path: "pattern.png" } }, ctx(dir));
    for (const split of [data.train, data.validation!, data.test]) {
      expect(split.yShape).toEqual([3]);
      pixels(split, WIDTH, HEIGHT).forEach(([row, col], i) => {
        expect(split.x[2 * i]).toBeCloseTo(col / WIDTH, 6);
        expect(split.x[2 * i + 1]).toBeCloseTo(row / HEIGHT, 6);
        expect(split.x[2 * i]).toBeLessThan(1);
        const [r, g, b] = pngColour(row, col);
        expect(Array.from(split.y.subarray(3 * i, 3 * i + 3))).toEqual([r / 255, g / 255, b / 255].map(Math.fround));
      });
    }
  });

  it("gray: one luminance output per pixel", async () => {
    const data = await loadDataset({ call: "image", args: { path: "pattern.png", gray: true } }, ctx(dir));
    expect(data.outputs).toBe(1);
    expect(data.train.yShape).toEqual([1]);
    const [r, g, b] = pngColour(2, 4);
    const index = pixels(data.train, WIDTH, HEIGHT).findIndex(([row, col]) => row === 2 && col === 4);
    expect(data.train.y[index]).toBeCloseTo((0.2125 * r + 0.7154 * g + 0.0721 * b) / 255, 6);
  });

  it("limit takes a seeded subset of the training pixels and keeps validation in proportion", async () => {
    const data = await loadDataset({ call: "image", args: { path: "pattern.png" } }, { ...ctx(dir), limit: 6 });
    expect(data.train.count).toBe(6);
    expect(data.validation!.count).toBe(Math.ceil((9 * 6) / 12));
    expect(data.test.count).toBe(8);
    for (const [row, col] of pixels(data.train, WIDTH, HEIGHT)) expect([row % 2, col % 2]).toEqual([0, 0]);
  });

  it("the bundled astronaut photograph gives 65,536 pixels per quarter", async () => {
    const data = await loadDataset({ call: "image", args: { path: "data/astronaut.png" } }, ctx(resolve(".")));
    expect(data.meta?.image).toMatchObject({ width: 512, height: 512, channels: 3 });
    expect([data.train.count, data.validation!.count, data.test.count]).toEqual([65536, 65536, 65536]);
    let sum = 0;
    for (const v of data.train.y) sum += v;
    const mean = sum / data.train.y.length;
    expect(mean).toBeGreaterThan(0.1);
    expect(mean).toBeLessThan(0.9);
  });

  it("a file that is not a PNG, and a missing file, name the path", async () => {
    writeFileSync(join(dir, "fake.png"), "GIF89a not really");
    const bad = await loadDataset({ call: "image", args: { path: "fake.png" } }, ctx(dir)).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(DataError);
    expect((bad as DataError).file).toBe(join(dir, "fake.png"));
    expect((bad as DataError).message).toContain("is not a readable PNG");
    const missing = await loadDataset({ call: "image", args: { path: "gone.png" } }, ctx(dir)).catch((e: unknown) => e);
    expect((missing as DataError).format()).toBe(
      `${join(dir, "gone.png")}: file not found\n  help: image(path) needs a PNG or JPEG file; paths are relative to the spec's directory`,
    );
  });
});

describe("image output", () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it("imageGrid lists every pixel's input in raster order, matching the loader's coordinates", () => {
    const grid = imageGrid({ width: 4, height: 2 });
    expect(Array.from(grid)).toEqual([0, 0, 0.25, 0, 0.5, 0, 0.75, 0, 0, 0.5, 0.25, 0.5, 0.5, 0.5, 0.75, 0.5]);
  });

  it("writeImagePng round-trips RGB and gray values and leaves no temporary file", async () => {
    const values = Float32Array.from({ length: 3 * 2 * 3 }, (_, i) => i / 17);
    values[0] = -0.5; // clamped to 0
    values[1] = 1.5; // clamped to 1
    const path = join(dir, "out.png");
    await writeImagePng(path, values, { width: 3, height: 2, channels: 3 });
    const png = PNG.sync.read(readFileSync(path));
    expect([png.width, png.height]).toEqual([3, 2]);
    expect([png.data[0], png.data[1], png.data[2], png.data[3]]).toEqual([0, 255, Math.round((2 / 17) * 255), 255]);
    expect(png.data[4 * 5 + 2]).toBe(Math.round((17 / 17) * 255));

    await writeImagePng(join(dir, "gray.png"), [0, 0.5, 1, 0.25], { width: 2, height: 2, channels: 1 });
    const gray = PNG.sync.read(readFileSync(join(dir, "gray.png")));
    expect([gray.data[4], gray.data[5], gray.data[6]]).toEqual([128, 128, 128]);
    expect(readdirSync(dir).sort()).toEqual(["gray.png", "out.png"]);
  });

  it("writeImagePng into a missing directory is a DataError naming the path", async () => {
    const path = join(dir, "no", "such", "out.png");
    const error = await writeImagePng(path, [0, 0, 0, 0], { width: 2, height: 2, channels: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).file).toBe(path);
  });

  it("psnr: 10·log10(1/MSE) for values in [0, 1]", () => {
    expect(psnr([0.5, 0.5], [0.5, 0.5])).toBe(Infinity);
    expect(psnr([0, 0, 0, 0], [0.1, 0.1, 0.1, 0.1])).toBeCloseTo(20, 10);
    expect(psnr([1, 0], [0, 0])).toBeCloseTo(10 * Math.log10(2), 10);
  });
});
