/**
 * Entry point of data loading: a `train { data: … }` value (a name, a call, or a path) and the
 * run's context in, a `Dataset` out. Every failure is a `DataError`.
 */
import { existsSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import type { CallValue, Value } from "../../core/values.js";
import { bindArguments, type BoundArguments } from "./arguments.js";
import { DATASETS, findDataset, type DataSetInfo } from "./catalogue.js";
import { loadCifar10 } from "./cifar10.js";
import { loadCopyMemory } from "./copy-memory.js";
import { DataError } from "./errors.js";
import { loadImage } from "./image.js";
import { loadFashionMnist, loadMnistIdx } from "./mnist-idx.js";
import { loadMnistPackage } from "./mnist-package.js";
import { finalizeDataset, type RawDataset } from "./split.js";
import { loadSvhn } from "./svhn.js";
import type { DataContext, Dataset } from "./types.js";

export type { DataContext, Dataset, DatasetMeta, DataTask, ImageMeta, SequenceMeta, Split } from "./types.js";
export { DataError, isDataError } from "./errors.js";
export { DATASETS, datasetNames, findDataset } from "./catalogue.js";
export { imageGrid, psnr, writeImagePng, encodePng } from "./image-output.js";

type Loader = (args: BoundArguments, ctx: DataContext) => Promise<RawDataset> | RawDataset;

const LOADERS: Record<string, Loader> = {
  mnist: () => loadMnistPackage(),
  fashion_mnist: (a) => loadFashionMnist(a.dir as string),
  mnist_idx: (a) => loadMnistIdx(a.dir as string),
  cifar10: (a) => loadCifar10(a.dir as string),
  svhn: (a) => loadSvhn(a.dir as string),
  copy_memory: (a, ctx) => loadCopyMemory(a.T as number, a.train as number, a.test as number, ctx.seed),
  image: (a) => loadImage(a.path as string, a.gray as boolean),
};

function validChoices(): string {
  return DATASETS.map((d) =>
    d.settings.length === 0 ? d.name : `${d.name}(${d.settings.map((p) => p.name).join(", ")})`,
  ).join(", ");
}

function looksLikePath(text: string): boolean {
  return /[\\/]/.test(text) || extname(text) !== "";
}

/** A bare path: a PNG is an image set; a directory is recognised by the files it holds. */
function callForPath(text: string, baseDir: string): CallValue {
  const path = resolve(baseDir, text);
  if (!existsSync(path)) {
    throw new DataError("no such file or directory", {
      file: path,
      hint: `give a data set name (${validChoices()}) or an existing path`,
    });
  }
  if (statSync(path).isFile()) {
    if (extname(path).toLowerCase() === ".png") return { call: "image", args: { path } };
    throw new DataError("cannot tell which data set this file is", {
      file: path,
      hint: 'a single file must be a PNG (image regression); for other sets give the directory or a call like cifar10(dir: "…")',
    });
  }
  const has = (name: string) => existsSync(join(path, name));
  if (["train-images-idx3-ubyte", "train-images-idx3-ubyte.gz", "train-images.idx3-ubyte"].some(has)) {
    return { call: "mnist_idx", args: { dir: path } };
  }
  if (has("data_batch_1.bin") || has("cifar-10-batches-bin")) return { call: "cifar10", args: { dir: path } };
  if (has("train_32x32.mat")) return { call: "svhn", args: { dir: path } };
  throw new DataError("cannot tell which data set this directory holds", {
    file: path,
    hint: 'expected IDX files (train-images-idx3-ubyte…), CIFAR-10 batches (data_batch_1.bin…) or SVHN (train_32x32.mat); or name the loader, e.g. cifar10(dir: "…")',
  });
}

function toCall(spec: Value, baseDir: string): { info: DataSetInfo; args: Record<string, Value> } {
  let call: CallValue;
  if (typeof spec === "string") {
    const info = findDataset(spec);
    if (info) return { info, args: {} };
    if (!looksLikePath(spec)) {
      throw new DataError(`unknown data set '${spec}'`, { hint: `valid data sets: ${validChoices()}` });
    }
    call = callForPath(spec, baseDir);
  } else if (typeof spec === "object" && spec !== null && !Array.isArray(spec)) {
    call = spec;
  } else {
    throw new DataError(`data must be a data set name or call, got ${JSON.stringify(spec)}`, {
      hint: `valid data sets: ${validChoices()}`,
    });
  }
  const info = findDataset(call.call);
  if (!info) throw new DataError(`unknown data set '${call.call}'`, { hint: `valid data sets: ${validChoices()}` });
  return { info, args: call.args };
}

/** Loads the data set a spec names; throws `DataError` for anything missing or malformed. */
export async function loadDataset(spec: Value, ctx: DataContext): Promise<Dataset> {
  const { info, args } = toCall(spec, ctx.baseDir);
  const bound = bindArguments(info, args, ctx.baseDir);
  const raw = await LOADERS[info.name](bound, ctx);
  return finalizeDataset(raw, ctx);
}
