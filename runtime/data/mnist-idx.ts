/**
 * `mnist_idx(dir)` and `fashion_mnist(dir)`: the four IDX files of an MNIST-format data set,
 * plain or gzip-compressed (recognised by content), under either common naming
 * (`train-images-idx3-ubyte` or `train-images.idx3-ubyte`).
 */
import { DataError } from "./errors.js";
import { findFirst, readMaybeGzip, requireDirectory } from "./files.js";
import { parseIdx } from "./idx.js";
import type { RawDataset, RawSplit } from "./split.js";

export const FASHION_CLASS_NAMES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

const CLASSES = 10;

function candidates(prefix: "train" | "t10k", kind: "images" | "labels"): string[] {
  const rank = kind === "images" ? 3 : 1;
  const stems = [`${prefix}-${kind}-idx${rank}-ubyte`, `${prefix}-${kind}.idx${rank}-ubyte`];
  return stems.flatMap((stem) => [stem, `${stem}.gz`]);
}

async function readSplit(
  dir: string,
  prefix: "train" | "t10k",
  hint: string,
): Promise<{ split: RawSplit; shape: number[] }> {
  const imagesFile = findFirst(dir, candidates(prefix, "images"));
  const labelsFile = findFirst(dir, candidates(prefix, "labels"));
  for (const [file, kind] of [
    [imagesFile, "images"],
    [labelsFile, "labels"],
  ] as const) {
    if (!file) {
      throw new DataError(
        `no ${prefix === "train" ? "training" : "test"} ${kind}: expected ${candidates(prefix, kind)[0]} (or .gz) here`,
        {
          file: dir,
          hint,
        },
      );
    }
  }
  const images = parseIdx(await readMaybeGzip(imagesFile!, hint), imagesFile!, 3, "images");
  const labels = parseIdx(await readMaybeGzip(labelsFile!, hint), labelsFile!, 1, "labels");
  const [count, rows, cols] = images.dims;
  if (labels.dims[0] !== count) {
    throw new DataError(`holds ${labels.dims[0]} labels but ${imagesFile} holds ${count} images`, {
      file: labelsFile,
      hint: "the images and labels files come from different data sets or versions; fetch both again",
    });
  }
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = labels.data[i];
    if (label >= CLASSES) {
      throw new DataError(`label ${i} is ${label}, expected 0–${CLASSES - 1}`, {
        file: labelsFile,
        hint: "this loader reads 10-class MNIST-format data; check the file",
      });
    }
    y[i] = label;
  }
  return { split: { x: images.data, y, count }, shape: [rows, cols, 1] };
}

async function loadIdxDir(dir: string, name: string, hint: string): Promise<Omit<RawDataset, "meta">> {
  await requireDirectory(dir, hint);
  const train = await readSplit(dir, "train", hint);
  const test = await readSplit(dir, "t10k", hint);
  if (train.shape.join() !== test.shape.join()) {
    throw new DataError(
      `training images are ${train.shape.slice(0, 2).join("×")} but test images are ${test.shape.slice(0, 2).join("×")}`,
      { file: dir, hint: "the train- and t10k- files come from different data sets" },
    );
  }
  return {
    name,
    task: "classify",
    inputShape: train.shape,
    classes: CLASSES,
    yShape: [],
    train: train.split,
    test: test.split,
  };
}

export async function loadMnistIdx(dir: string): Promise<RawDataset> {
  const data = await loadIdxDir(
    dir,
    "mnist_idx",
    "mnist_idx(dir) reads train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (plain or .gz)",
  );
  return {
    ...data,
    meta: {
      source: dir,
      description: `IDX data set from ${dir}: ${data.train.count} train / ${data.test.count} test`,
      classNames: Array.from({ length: CLASSES }, (_, i) => String(i)),
    },
  };
}

export async function loadFashionMnist(dir: string): Promise<RawDataset> {
  const data = await loadIdxDir(
    dir,
    "fashion_mnist",
    'install it with `apt-get install dataset-fashion-mnist` (files in /usr/share/datasets/fashion-mnist), or download the four IDX files from github.com/zalandoresearch/fashion-mnist and use fashion_mnist(dir: "…")',
  );
  return {
    ...data,
    meta: {
      source: dir,
      description: `Fashion-MNIST from ${dir}: ${data.train.count} train / ${data.test.count} test`,
      classNames: [...FASHION_CLASS_NAMES],
    },
  };
}
