/**
 * Entry point of data loading: a `train { data: … }` value (a name, a call, or a path) and the
 * run's context in, a `Dataset` out. The value is resolved by the same rule the checker uses,
 * and what a loader yields must equal the form's description. Every failure is a `DataError`.
 */
import type { Value } from "../../core/values.js";
import { readCsvSet } from "../../vocabulary/data-forms/csv-set.js";
import { readImageFolderSet } from "../../vocabulary/data-forms/image-folder-set.js";
import { readNpySet, readNpzSet } from "../../vocabulary/data-forms/npy-set.js";
import { resolveData } from "../../vocabulary/data-forms/resolve.js";
import type { DataArgs, DataDescription } from "../../vocabulary/data-forms/types.js";
import { loadCifar10 } from "./cifar10.js";
import { loadCopyMemory } from "./copy-memory.js";
import { loadImage } from "./image.js";
import { loadFashionMnist, loadMnistIdx } from "./mnist-idx.js";
import { loadMnistPackage } from "./mnist-package.js";
import { finalizeDataset, type RawDataset } from "./split.js";
import { loadSvhn } from "./svhn.js";
import type { DataContext, Dataset } from "./types.js";
import { fromReadDataSet } from "./user-data.js";

export type { DataContext, Dataset, DatasetMeta, DataTask, ImageMeta, SequenceMeta, Split } from "./types.js";
export { DataError, isDataError } from "./errors.js";
export { DATA_SET_ENTRIES, DATA_SETS, findDataSet } from "../../vocabulary/data-sets.js";
export { imageGrid, psnr, writeImagePng, encodePng } from "./image-output.js";

type Loader = (args: DataArgs, ctx: DataContext) => Promise<RawDataset> | RawDataset;

const LOADERS: Record<string, Loader> = {
  mnist: () => loadMnistPackage(),
  fashion_mnist: (a) => loadFashionMnist(a.dir as string),
  mnist_idx: (a) => loadMnistIdx(a.dir as string),
  cifar10: (a) => loadCifar10(a.dir as string),
  svhn: (a) => loadSvhn(a.dir as string),
  copy_memory: (a, ctx) => loadCopyMemory(a.T as number, a.train as number, a.test as number, ctx.seed),
  image: (a) => loadImage(a.path as string, a.gray as boolean),
  csv: (a) => fromReadDataSet("csv", readCsvSet(a)),
  tsv: (a) => fromReadDataSet("tsv", readCsvSet(a, "\t")),
  npy: (a) => fromReadDataSet("npy", readNpySet(a, true)),
  npz: (a) => fromReadDataSet("npz", readNpzSet(a, true)),
  images: (a) => fromReadDataSet("images", readImageFolderSet(a, true)),
};

/** What a loaded set looks like, in the terms of a form's description. */
export function describeRaw(raw: RawDataset): Omit<DataDescription, "split" | "range"> {
  return {
    inputShape: [...raw.inputShape],
    task: raw.task === "classify" ? { kind: "classify", classes: raw.classes ?? 0 } : { kind: "regress", outputs: raw.outputs ?? 0 },
    yShape: [...raw.yShape],
  };
}

/** The checker promised `expected`; a loader that yields anything else is a bug in simc. */
function assertAsDescribed(raw: RawDataset, expected: DataDescription): void {
  const got = describeRaw(raw);
  const count = (t: DataDescription["task"]) => (t.kind === "classify" ? t.classes : t.outputs);
  const same =
    got.inputShape.join() === expected.inputShape.join() &&
    got.yShape.join() === expected.yShape.join() &&
    got.task.kind === expected.task.kind &&
    count(got.task) === count(expected.task);
  if (!same) throw new Error(`data set ${raw.name} loaded as ${JSON.stringify(got)} but was described as ${JSON.stringify(expected)}`);
  if (expected.range) {
    const [low, high] = expected.range;
    // Bytes are scaled by 1/255 when the set is finalised: in range by construction.
    for (const split of [raw.train, raw.validation, raw.test]) {
      if (!split || split.x instanceof Uint8Array) continue;
      for (const v of split.x) {
        if (v < low || v > high) throw new Error(`data set ${raw.name} yields the input ${v}, outside the described range [${low}, ${high}]`);
      }
    }
  }
}

/** The form a `data:` value names, with its description: what `simc check` reports. */
export function describeData(spec: Value, baseDir: string): DataDescription {
  const { form, args } = resolveData(spec, baseDir);
  return form.describe(args);
}

/** Loads the data set a spec names; throws `DataError` for anything missing or malformed. */
export async function loadDataset(spec: Value, ctx: DataContext): Promise<Dataset> {
  const { form, args } = resolveData(spec, ctx.baseDir);
  const raw = await LOADERS[form.name](args, ctx);
  assertAsDescribed(raw, form.describe(args));
  return finalizeDataset(raw, ctx);
}
