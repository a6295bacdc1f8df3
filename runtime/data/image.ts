/**
 * `image(path, gray)`: image regression, one PNG or JPEG as a data set. An example is a pixel: the
 * input is its coordinate (u, v) = (column / width, row / height) in [0, 1)², the target its
 * colour in [0, 1] (RGB, or luminance when `gray`).
 *
 * The paper's protocol takes equally spaced quarters of the pixels. Here each quarter is a
 * stride-2 lattice: train = even rows and even columns, validation = even rows and odd
 * columns, test = odd rows and even columns (odd/odd is unused). Validation and test sit at the
 * same distance from the training lattice, so validation PSNR predicts test PSNR.
 */
import { readImageFile, type DecodedImage } from "../../vocabulary/data-forms/image-files.js";
import { LUMA } from "../../vocabulary/data-forms/image-folder-set.js";
import { DataError } from "./errors.js";
import type { RawDataset, RawSplit } from "./split.js";
import type { ImageMeta, LatticeOffset } from "./types.js";

export const IMAGE_QUARTERS: ImageMeta["quarters"] = {
  train: { row: 0, col: 0 },
  validation: { row: 0, col: 1 },
  test: { row: 1, col: 0 },
};

/** The network input for the pixel at (row, col). */
export function pixelCoordinate(row: number, col: number, width: number, height: number): [number, number] {
  return [col / width, row / height];
}

function lattice(image: DecodedImage, offset: LatticeOffset, gray: boolean): RawSplit {
  const { width, height, rgba } = image;
  const channels = gray ? 1 : 3;
  const rows = Math.ceil((height - offset.row) / 2);
  const cols = Math.ceil((width - offset.col) / 2);
  const count = rows * cols;
  const x = new Float32Array(count * 2);
  const y = new Float32Array(count * channels);
  let k = 0;
  for (let row = offset.row; row < height; row += 2) {
    for (let col = offset.col; col < width; col += 2, k++) {
      const [u, v] = pixelCoordinate(row, col, width, height);
      x[2 * k] = u;
      x[2 * k + 1] = v;
      const p = 4 * (row * width + col);
      if (gray) {
        y[k] = (LUMA[0] * rgba[p] + LUMA[1] * rgba[p + 1] + LUMA[2] * rgba[p + 2]) / 255;
      } else {
        for (let c = 0; c < 3; c++) y[3 * k + c] = rgba[p + c] / 255;
      }
    }
  }
  return { x, y, count };
}

export async function loadImage(path: string, gray: boolean): Promise<RawDataset> {
  const image = readImageFile(path, "image(path) needs a PNG or JPEG file; paths are relative to the spec's directory");
  if (image.width < 2 || image.height < 2) {
    throw new DataError(`is ${image.width}×${image.height} pixels; image regression needs at least 2×2`, {
      file: path,
      hint: "use a larger image",
    });
  }
  const channels = gray ? 1 : 3;
  const train = lattice(image, IMAGE_QUARTERS.train, gray);
  return {
    name: "image",
    task: "regress",
    inputShape: [2],
    outputs: channels,
    yShape: [channels],
    train,
    validation: lattice(image, IMAGE_QUARTERS.validation, gray),
    test: lattice(image, IMAGE_QUARTERS.test, gray),
    meta: {
      source: path,
      description: `image regression on ${path} (${image.width}×${image.height}, ${gray ? "gray" : "RGB"}): ${train.count} pixels per quarter`,
      image: {
        path,
        width: image.width,
        height: image.height,
        channels,
        quarters: {
          train: { ...IMAGE_QUARTERS.train },
          validation: { ...IMAGE_QUARTERS.validation },
          test: { ...IMAGE_QUARTERS.test },
        },
      },
    },
  };
}
