/**
 * `mnist_idx(dir)` and `fashion_mnist(dir)`: the four IDX files of an MNIST-format data set,
 * read as the checker describes them (`vocabulary/data-forms/idx-set.ts`).
 */
import { FASHION_CLASS_NAMES, FASHION_MNIST_HINT, MNIST_IDX_HINT } from "../../vocabulary/data-sets.js";
import { readIdxSet } from "../../vocabulary/data-forms/idx-set.js";
import type { RawDataset } from "./split.js";

export { FASHION_CLASS_NAMES };

function load(dir: string, name: string, classNames: readonly string[] | undefined, hint: string, what: string): RawDataset {
  const set = readIdxSet(dir, { hint, ...(classNames ? { classNames } : {}) }, true);
  const task = set.description.task;
  const classes = task.kind === "classify" ? task.classes : 0;
  return {
    name,
    task: "classify",
    inputShape: set.description.inputShape,
    classes,
    yShape: [],
    train: { x: set.train.images.data, y: set.train.labels, count: set.train.labels.length },
    test: { x: set.test.images.data, y: set.test.labels, count: set.test.labels.length },
    meta: {
      source: dir,
      description: `${what} from ${dir}: ${set.train.labels.length} train / ${set.test.labels.length} test`,
      classNames: classNames ? [...classNames] : Array.from({ length: classes }, (_, i) => String(i)),
    },
  };
}

export async function loadMnistIdx(dir: string): Promise<RawDataset> {
  return load(dir, "mnist_idx", undefined, MNIST_IDX_HINT, "IDX data set");
}

export async function loadFashionMnist(dir: string): Promise<RawDataset> {
  return load(dir, "fashion_mnist", FASHION_CLASS_NAMES, FASHION_MNIST_HINT, "Fashion-MNIST");
}
