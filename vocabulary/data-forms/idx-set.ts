/**
 * A directory of MNIST-format IDX files: `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 * `t10k-…` (plain or .gz, dotted names accepted). The shape comes from the image header, the
 * class count from the labels (largest label + 1), unless the set has a fixed list of classes.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DataError } from "./errors.js";
import { readHead, requireDirectorySync } from "./file-bytes.js";
import { IDX_UNSIGNED_BYTE, parseIdx, parseIdxHeader, readMaybeGzipSync, type IdxArray } from "./idx.js";
import type { DataDescription } from "./types.js";

export interface IdxSplitData {
  images: IdxArray;
  labels: Int32Array;
  labelsFile: string;
}

export interface IdxSet {
  train: IdxSplitData;
  test: IdxSplitData;
  description: DataDescription;
}

export interface IdxSetKind {
  /** Fixed class names (Fashion-MNIST); absent: classes = largest label + 1. */
  classNames?: readonly string[];
  hint: string;
}

function candidates(prefix: "train" | "t10k", kind: "images" | "labels"): string[] {
  const rank = kind === "images" ? 3 : 1;
  const stems = [`${prefix}-${kind}-idx${rank}-ubyte`, `${prefix}-${kind}.idx${rank}-ubyte`];
  return stems.flatMap((stem) => [stem, `${stem}.gz`]);
}

function findFile(dir: string, prefix: "train" | "t10k", kind: "images" | "labels", hint: string): string {
  for (const name of candidates(prefix, kind)) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new DataError(`no ${prefix === "train" ? "training" : "test"} ${kind}: expected ${candidates(prefix, kind)[0]} (or .gz) here`, {
    file: dir,
    hint,
  });
}

/** The images' header only (inspection): the first 16 bytes, unless the file is compressed. */
function imagesHeader(file: string, hint: string): IdxArray {
  const head = readHead(file, 16, hint);
  const bytes = head[0] === 0x1f && head[1] === 0x8b ? readMaybeGzipSync(file, hint) : head;
  const header = parseIdxHeader(bytes, file, 3, "images");
  return { dims: header.dims, type: header.type, data: new Uint8Array(0) };
}

function readSplit(dir: string, prefix: "train" | "t10k", kind: IdxSetKind, withImages: boolean): IdxSplitData {
  const imagesFile = findFile(dir, prefix, "images", kind.hint);
  const labelsFile = findFile(dir, prefix, "labels", kind.hint);
  const images = withImages ? parseIdx(readMaybeGzipSync(imagesFile, kind.hint), imagesFile, 3, "images") : imagesHeader(imagesFile, kind.hint);
  const labelArray = parseIdx(readMaybeGzipSync(labelsFile, kind.hint), labelsFile, 1, "labels", true);
  const count = images.dims[0];
  if (labelArray.dims[0] !== count) {
    throw new DataError(`holds ${labelArray.dims[0]} labels but ${imagesFile} holds ${count} images`, {
      file: labelsFile,
      hint: "the images and labels files come from different data sets or versions; fetch both again",
    });
  }
  const labels = new Int32Array(count);
  const limit = kind.classNames?.length;
  for (let i = 0; i < count; i++) {
    const label = labelArray.data[i];
    if (label < 0 || (limit !== undefined && label >= limit)) {
      throw new DataError(`label ${i} is ${label}, expected 0–${limit !== undefined ? limit - 1 : "…"}`, {
        file: labelsFile,
        byte: 8 + i,
        hint: limit !== undefined ? `this data set has ${limit} classes; check the file` : "labels are class indices 0, 1, 2, …",
      });
    }
    labels[i] = label;
  }
  return { images, labels, labelsFile };
}

/** Reads the set; `withImages: false` reads the images' headers and the labels only (inspection). */
export function readIdxSet(dir: string, kind: IdxSetKind, withImages: boolean): IdxSet {
  requireDirectorySync(dir, kind.hint);
  const train = readSplit(dir, "train", kind, withImages);
  const test = readSplit(dir, "t10k", kind, withImages);
  const [, rows, cols] = train.images.dims;
  const [, testRows, testCols] = test.images.dims;
  if (rows !== testRows || cols !== testCols) {
    throw new DataError(`training images are ${rows}×${cols} but test images are ${testRows}×${testCols}`, {
      file: dir,
      hint: "the train- and t10k- files come from different data sets",
    });
  }
  let classes = kind.classNames?.length ?? 0;
  if (!kind.classNames) for (const split of [train, test]) for (const label of split.labels) classes = Math.max(classes, label + 1);
  const bytes = train.images.type === IDX_UNSIGNED_BYTE && test.images.type === IDX_UNSIGNED_BYTE;
  return {
    train,
    test,
    description: {
      inputShape: [rows, cols, 1],
      task: { kind: "classify", classes, ...(kind.classNames ? { classNames: [...kind.classNames] } : {}) },
      yShape: [],
      ...(bytes ? { range: [0, 1] as [number, number] } : {}),
      split: "the files' own train- and t10k- sets",
    },
  };
}
