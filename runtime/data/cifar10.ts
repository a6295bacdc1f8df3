/**
 * `cifar10(dir)`: the "binary version" of CIFAR-10. Each batch file is a run of 3,073-byte
 * records: one label byte (0–9), then a 32×32 image as 1,024 red, 1,024 green and 1,024 blue
 * bytes (channel-major, rows top to bottom). Images are turned into HWC here.
 * `dir` may be the folder holding the batches or its parent (`cifar-10-batches-bin/` inside).
 */
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { DataError } from "./errors.js";
import { findFirst, readBytes, requireDirectory } from "./files.js";
import type { RawDataset, RawSplit } from "./split.js";

const SIDE = 32;
const CHANNELS = 3;
const IMAGE_BYTES = SIDE * SIDE * CHANNELS;
const RECORD_BYTES = 1 + IMAGE_BYTES;
const CLASSES = 10;
const TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
const TEST_FILE = "test_batch.bin";

export const CIFAR10_CLASS_NAMES = [
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
];

const HINT =
  "cifar10(dir) reads the binary version (cifar-10-binary.tar.gz from www.cs.toronto.edu/~kriz/cifar.html): data_batch_1.bin … data_batch_5.bin and test_batch.bin";

function recordsIn(file: string, bytes: Uint8Array): number {
  if (bytes.length === 0 || bytes.length % RECORD_BYTES !== 0) {
    throw new DataError(
      `expected a whole number of ${RECORD_BYTES}-byte records (1 label byte + ${IMAGE_BYTES} pixel bytes), got ${bytes.length} bytes`,
      {
        file,
        hint:
          bytes.length % 3074 === 0 && bytes.length > 0
            ? "this looks like CIFAR-100 (2 label bytes per record); use CIFAR-10's binary version"
            : "the file is truncated or not a CIFAR-10 binary batch; fetch it again",
      },
    );
  }
  return bytes.length / RECORD_BYTES;
}

/** Reads the batch files into one HWC split. */
async function readBatches(files: string[]): Promise<RawSplit> {
  const batches: { file: string; bytes: Uint8Array; count: number }[] = [];
  for (const file of files) {
    const bytes = await readBytes(file, HINT);
    batches.push({ file, bytes, count: recordsIn(file, bytes) });
  }
  const count = batches.reduce((n, b) => n + b.count, 0);
  const x = new Uint8Array(count * IMAGE_BYTES);
  const y = new Int32Array(count);
  let k = 0;
  for (const { file, bytes, count: records } of batches) {
    for (let r = 0; r < records; r++, k++) {
      const record = r * RECORD_BYTES;
      const label = bytes[record];
      if (label >= CLASSES) {
        throw new DataError(`record ${r} has label ${label}, CIFAR-10 labels are 0–9`, { file, hint: HINT });
      }
      y[k] = label;
      const out = k * IMAGE_BYTES;
      for (let c = 0; c < CHANNELS; c++) {
        const plane = record + 1 + c * SIDE * SIDE;
        for (let p = 0; p < SIDE * SIDE; p++) x[out + p * CHANNELS + c] = bytes[plane + p];
      }
    }
  }
  return { x, y, count };
}

/** Class names from batches.meta.txt when present (one per line), else the standard ones. */
async function classNames(dir: string): Promise<string[]> {
  try {
    const names = (await readFile(join(dir, "batches.meta.txt"), "utf8"))
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter(Boolean);
    return names.length === CLASSES ? names : [...CIFAR10_CLASS_NAMES];
  } catch {
    return [...CIFAR10_CLASS_NAMES];
  }
}

export async function loadCifar10(dir: string): Promise<RawDataset> {
  await requireDirectory(dir, HINT);
  const batchDir = findFirst(dir, [TEST_FILE]) ? dir : (findFirst(dir, ["cifar-10-batches-bin"]) ?? dir);
  const missing = [...TRAIN_FILES, TEST_FILE].filter((f) => !findFirst(batchDir, [f]));
  if (missing.length > 0) {
    throw new DataError(`missing ${missing.join(", ")}`, { file: batchDir, hint: HINT });
  }
  const train = await readBatches(TRAIN_FILES.map((f) => join(batchDir, f)));
  const test = await readBatches([join(batchDir, TEST_FILE)]);
  return {
    name: "cifar10",
    task: "classify",
    inputShape: [SIDE, SIDE, CHANNELS],
    classes: CLASSES,
    yShape: [],
    train,
    test,
    meta: {
      source: batchDir,
      description: `CIFAR-10 from ${batchDir}: ${train.count} train / ${test.count} test`,
      classNames: await classNames(batchDir),
    },
  };
}
