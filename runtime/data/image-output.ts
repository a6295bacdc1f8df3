/**
 * The way back from image regression to a picture: the coordinate grid of every pixel (what a
 * trained model is evaluated on to reconstruct the image), PSNR, and an atomic PNG writer.
 */
import { randomBytes } from "node:crypto";
import { rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { PNG } from "pngjs";
import { DataError } from "./errors.js";
import { pixelCoordinate } from "./image.js";

export interface ImageSize {
  width: number;
  height: number;
}

/** Inputs for every pixel in raster order (row by row): `[width·height, 2]` flattened. */
export function imageGrid({ width, height }: ImageSize): Float32Array {
  const grid = new Float32Array(width * height * 2);
  for (let row = 0, k = 0; row < height; row++) {
    for (let col = 0; col < width; col++, k++) {
      const [u, v] = pixelCoordinate(row, col, width, height);
      grid[2 * k] = u;
      grid[2 * k + 1] = v;
    }
  }
  return grid;
}

/** Peak signal-to-noise ratio in dB for values in [0, 1] (peak 1); Infinity for a perfect match. */
export function psnr(predicted: ArrayLike<number>, target: ArrayLike<number>): number {
  if (predicted.length !== target.length || target.length === 0) {
    throw new Error(`psnr: ${predicted.length} predictions for ${target.length} targets`);
  }
  let sum = 0;
  for (let i = 0; i < target.length; i++) {
    const d = predicted[i] - target[i];
    sum += d * d;
  }
  const mse = sum / target.length;
  return mse === 0 ? Infinity : -10 * Math.log10(mse);
}

/** Encodes raster-order values in [0, 1] (clamped) with 1 (gray) or 3 (RGB) channels as an RGBA PNG. */
export function encodePng(values: ArrayLike<number>, size: ImageSize & { channels: 1 | 3 }): Buffer {
  const { width, height, channels } = size;
  if (values.length !== width * height * channels) {
    throw new Error(
      `encodePng: expected ${width}×${height}×${channels} = ${width * height * channels} values, got ${values.length}`,
    );
  }
  const png = new PNG({ width, height });
  const byte = (v: number) => Math.round(Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)) * 255);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) png.data[4 * p + c] = byte(values[p * channels + (channels === 1 ? 0 : c)]);
    png.data[4 * p + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** Writes the PNG atomically: a temporary file in the same directory, then a rename. */
export async function writeImagePng(
  path: string,
  values: ArrayLike<number>,
  size: ImageSize & { channels: 1 | 3 },
): Promise<void> {
  const encoded = encodePng(values, size);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, encoded);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new DataError(
      `cannot write the image (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      {
        file: path,
        hint: "check that the directory exists and is writable",
      },
    );
  }
}
