/**
 * `csv`, `tsv`, `npy`, `npz` and `images`: data a user has, read by the same code the checker
 * inspects it with. Without a test set of its own, a fixed seeded fraction of the examples is
 * the test set, so every run (whatever its seed) is measured on the same examples.
 */
import { mixSeed, permutation } from "../rng.js";
import { TEST_SPLIT_SEED, type DataExamples, type ReadDataSet } from "../../vocabulary/data-forms/types.js";
import { DataError } from "./errors.js";
import type { RawDataset, RawSplit } from "./split.js";

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function take(examples: DataExamples, indices: Int32Array, xSize: number, ySize: number): RawSplit {
  const x = examples.x instanceof Uint8Array ? new Uint8Array(indices.length * xSize) : new Float32Array(indices.length * xSize);
  const y = examples.y instanceof Int32Array ? new Int32Array(indices.length * ySize) : new Float32Array(indices.length * ySize);
  indices.forEach((from, to) => {
    x.set(examples.x.subarray(from * xSize, (from + 1) * xSize), to * xSize);
    y.set(examples.y.subarray(from * ySize, (from + 1) * ySize), to * ySize);
  });
  return { x, y, count: indices.length };
}

export function fromReadDataSet(name: string, set: ReadDataSet): RawDataset {
  const { description } = set;
  const xSize = product(description.inputShape);
  const ySize = product(description.yShape);
  let train: RawSplit;
  let test: RawSplit;
  if (set.test) {
    train = set.train;
    test = set.test;
  } else {
    const n = set.train.count;
    const held = Math.round(set.testFraction * n);
    if (held < 1 || held >= n) {
      throw new DataError(`${n} example(s) are too few to hold out ${Math.round(set.testFraction * 100)}% as a test set`, {
        file: set.source,
        hint: "add examples, change test_split, or give a test set of its own",
      });
    }
    const order = permutation(n, mixSeed(TEST_SPLIT_SEED, n));
    const ascending = (a: Int32Array) => a.slice().sort();
    test = take(set.train, ascending(order.subarray(0, held)), xSize, ySize);
    train = take(set.train, ascending(order.subarray(held)), xSize, ySize);
  }
  const task = description.task;
  return {
    name,
    task: task.kind,
    inputShape: [...description.inputShape],
    ...(task.kind === "classify" ? { classes: task.classes } : { outputs: task.outputs }),
    yShape: [...description.yShape],
    train,
    test,
    meta: {
      source: set.source,
      description: `${name} from ${set.source}: ${train.count} train / ${test.count} test`,
      split: description.split,
      ...(task.kind === "classify" ? { classNames: task.classNames ?? Array.from({ length: task.classes }, (_, i) => String(i)) } : {}),
    },
  };
}
