/**
 * Image regression's picture: the trained model evaluated at every pixel's coordinate, written
 * as a PNG next to the checkpoint.
 */
import { join } from "node:path";
import * as tf from "./tf.js";
import { imageGrid, writeImagePng } from "./data/index.js";
import type { ImageMeta } from "./data/types.js";
import type { Executor } from "./executor.js";

export const RECONSTRUCTION_FILE = "reconstruction.png";

/** Model outputs for every pixel in raster order, `[height·width·channels]`. */
export async function predictImage(executor: Executor, image: ImageMeta, batchSize = 4096): Promise<Float32Array> {
  const grid = imageGrid(image);
  const pixels = image.width * image.height;
  const out = new Float32Array(pixels * image.channels);
  for (let start = 0; start < pixels; start += batchSize) {
    const end = Math.min(pixels, start + batchSize);
    const output = tf.tidy(() => {
      const x = tf.tensor(grid.subarray(2 * start, 2 * end), [end - start, 2], "float32");
      return executor.forward(x, { training: false }).output;
    });
    out.set((await output.data()) as Float32Array, start * image.channels);
    output.dispose();
  }
  return out;
}

export async function writeReconstruction(dir: string, executor: Executor, image: ImageMeta): Promise<string> {
  const path = join(dir, RECONSTRUCTION_FILE);
  await writeImagePng(path, await predictImage(executor, image), image);
  return path;
}
