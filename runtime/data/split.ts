/**
 * From what a loader read to what training gets: hold out the validation fraction, apply the
 * `limit`, and convert pixels to float32 in [0, 1]. Selection happens on indices before any
 * conversion, so `limit` also saves the memory of the examples it drops.
 */
import { mixSeed, permutation } from "../rng.js";
import { DataError } from "./errors.js";
import type { DataContext, Dataset, Split } from "./types.js";

/** One split as a loader produced it. */
export interface RawSplit {
  /** `Uint8Array`: 8-bit pixels, scaled by 1/255 on the way out; `Float32Array`: taken as is. */
  x: Uint8Array | Float32Array;
  y: Int32Array | Float32Array;
  count: number;
}

/** A data set as a loader produced it: the `Dataset` fields plus the per-example target shape. */
export interface RawDataset extends Omit<Dataset, "train" | "validation" | "test"> {
  yShape: number[];
  train: RawSplit;
  /** Only for sets that ship their own validation examples. */
  validation?: RawSplit;
  test: RawSplit;
}

// Stream tags keep the hold-out and the subsets independent of each other for one seed.
const HOLD_OUT_STREAM = 0x7a11d;
const TRAIN_SUBSET_STREAM = 0x11a17;
const VALIDATION_SUBSET_STREAM = 0x11a18;

/** byte / 255 for every byte value: a table lookup is faster than a division per pixel. */
const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, b) => b / 255);

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function checkContext(ctx: DataContext): void {
  if (!Number.isFinite(ctx.validation) || ctx.validation < 0 || ctx.validation >= 1) {
    throw new DataError(`validation fraction ${ctx.validation} is out of range`, {
      hint: "use a number in [0, 1), e.g. `validation: 0.1` (0 = no validation set)",
    });
  }
  if (ctx.limit !== undefined && (!Number.isInteger(ctx.limit) || ctx.limit < 0)) {
    throw new DataError(`limit ${ctx.limit} is not a whole number of examples`, {
      hint: "use a positive integer, e.g. `limit: 1000` (0 or absent = all examples)",
    });
  }
  if (!Number.isInteger(ctx.seed)) {
    throw new DataError(`seed ${ctx.seed} is not an integer`, { hint: "use an integer seed, e.g. `seed: 0`" });
  }
}

function checkSplit(raw: RawDataset, which: string, split: RawSplit): void {
  const xSize = product(raw.inputShape);
  const ySize = product(raw.yShape);
  if (split.x.length !== split.count * xSize || split.y.length !== split.count * ySize) {
    throw new Error(
      `${raw.name} ${which}: ${split.count} examples need ${split.count * xSize} inputs and ${split.count * ySize} targets, got ${split.x.length} and ${split.y.length}`,
    );
  }
}

function isIdentity(indices: Int32Array, count: number): boolean {
  if (indices.length !== count) return false;
  for (let i = 0; i < indices.length; i++) if (indices[i] !== i) return false;
  return true;
}

function gather(split: RawSplit, indices: Int32Array, xSize: number, ySize: number, yShape: number[]): Split {
  const count = indices.length;
  if (split.x instanceof Float32Array && isIdentity(indices, split.count)) {
    return { x: split.x, y: split.y, count, yShape: [...yShape] };
  }
  const x = new Float32Array(count * xSize);
  const y = split.y instanceof Int32Array ? new Int32Array(count * ySize) : new Float32Array(count * ySize);
  const source = split.x;
  for (let i = 0; i < count; i++) {
    const from = indices[i] * xSize;
    const to = i * xSize;
    if (source instanceof Uint8Array) {
      for (let k = 0; k < xSize; k++) x[to + k] = BYTE_TO_UNIT[source[from + k]];
    } else {
      x.set(source.subarray(from, from + xSize), to);
    }
    y.set(split.y.subarray(indices[i] * ySize, (indices[i] + 1) * ySize), i * ySize);
  }
  return { x, y, count, yShape: [...yShape] };
}

const ascending = (indices: Int32Array) => indices.slice().sort();

/** Applies the validation hold-out and the limit, and converts every split to float32. */
export function finalizeDataset(raw: RawDataset, ctx: DataContext): Dataset {
  checkContext(ctx);
  checkSplit(raw, "train", raw.train);
  checkSplit(raw, "test", raw.test);
  if (raw.validation) checkSplit(raw, "validation", raw.validation);

  let trainOrder: Int32Array;
  let validationOrder: Int32Array | undefined;
  let validationSource: RawSplit | undefined;
  const n = raw.train.count;
  if (raw.validation) {
    trainOrder = permutation(n, mixSeed(ctx.seed, TRAIN_SUBSET_STREAM));
    validationOrder = permutation(raw.validation.count, mixSeed(ctx.seed, VALIDATION_SUBSET_STREAM));
    validationSource = raw.validation;
  } else if (ctx.validation > 0) {
    if (n < 2) {
      throw new DataError(`${raw.name} has ${n} training example(s), too few to hold out a validation set`, {
        hint: "use `validation: 0` or more training data",
      });
    }
    const held = Math.min(n - 1, Math.max(1, Math.round(ctx.validation * n)));
    const order = permutation(n, mixSeed(ctx.seed, HOLD_OUT_STREAM));
    validationOrder = order.subarray(0, held);
    trainOrder = order.subarray(held);
    validationSource = raw.train;
  } else {
    trainOrder = permutation(n, mixSeed(ctx.seed, TRAIN_SUBSET_STREAM));
  }

  const available = trainOrder.length;
  const keepTrain = ctx.limit ? Math.min(ctx.limit, available) : available;
  let keepValidation = validationOrder?.length ?? 0;
  // A limited run keeps the validation set in proportion, so a quick run stays quick.
  if (validationOrder && keepTrain < available) {
    keepValidation = Math.min(validationOrder.length, Math.ceil((validationOrder.length * keepTrain) / available));
  }

  const xSize = product(raw.inputShape);
  const ySize = product(raw.yShape);
  const dataset: Dataset = {
    name: raw.name,
    task: raw.task,
    inputShape: [...raw.inputShape],
    train: gather(raw.train, ascending(trainOrder.subarray(0, keepTrain)), xSize, ySize, raw.yShape),
    test: gather(raw.test, identity(raw.test.count), xSize, ySize, raw.yShape),
  };
  if (raw.classes !== undefined) dataset.classes = raw.classes;
  if (raw.outputs !== undefined) dataset.outputs = raw.outputs;
  if (validationOrder && validationSource && keepValidation > 0) {
    dataset.validation = gather(
      validationSource,
      ascending(validationOrder.subarray(0, keepValidation)),
      xSize,
      ySize,
      raw.yShape,
    );
  }
  if (raw.meta) {
    dataset.meta = { ...raw.meta, validationFrom: raw.validation ? "split" : "train" };
    if (!dataset.validation) delete dataset.meta.validationFrom;
  }
  return dataset;
}

function identity(n: number): Int32Array {
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  return indices;
}
