/**
 * `svhn(dir)`: the Street View House Numbers "cropped digits" format, train_32x32.mat and
 * test_32x32.mat. Each holds `X`, 32×32×3×N uint8 (column-major: row, column, channel,
 * example) and `y`, N×1 labels 1–10 where 10 stands for the digit 0.
 */
import { join } from "node:path";
import { DataError } from "./errors.js";
import { readBytes, requireDirectory } from "./files.js";
import { readMat5, type MatArray } from "./mat5.js";
import type { RawDataset, RawSplit } from "./split.js";

const SIDE = 32;
const CHANNELS = 3;
const IMAGE_BYTES = SIDE * SIDE * CHANNELS;
const HINT =
  "svhn(dir) reads train_32x32.mat and test_32x32.mat (the cropped digits from ufldl.stanford.edu/housenumbers)";

function fail(file: string, message: string): never {
  throw new DataError(message, { file, hint: HINT });
}

function variable(arrays: Map<string, MatArray>, name: string, file: string): MatArray {
  const array = arrays.get(name);
  if (!array) {
    const found = [...arrays.keys()];
    fail(
      file,
      `expected a numeric variable '${name}'; found ${found.length ? found.map((n) => `'${n}'`).join(", ") : "none"}`,
    );
  }
  return array;
}

async function readSplit(file: string): Promise<RawSplit> {
  const arrays = await readMat5(await readBytes(file, HINT), file);
  const images = variable(arrays, "X", file);
  const labels = variable(arrays, "y", file);
  const [h, w, c, n = 1] = images.dims;
  if (h !== SIDE || w !== SIDE || c !== CHANNELS || images.dims.length > 4) {
    fail(file, `expected X to be 32×32×3×N, got ${images.dims.join("×")}`);
  }
  if (labels.data.length !== n) fail(file, `X holds ${n} images but y holds ${labels.data.length} labels`);

  const source = images.data;
  if (!(source instanceof Uint8Array)) {
    // Stored as another class (e.g. double): every value must still be a byte.
    const bad = source.findIndex((v) => !(Number.isInteger(v) && v >= 0 && v <= 255));
    if (bad >= 0) fail(file, `X holds ${source[bad]} at element ${bad + 1}, expected integers 0–255`);
  }
  // Column-major (row, col, channel, example) → row-major (example, row, col, channel).
  const x = new Uint8Array(n * IMAGE_BYTES);
  for (let i = 0; i < n; i++) {
    const image = i * IMAGE_BYTES;
    for (let ch = 0; ch < CHANNELS; ch++) {
      for (let col = 0; col < SIDE; col++) {
        const from = image + ch * SIDE * SIDE + col * SIDE;
        const to = image + col * CHANNELS + ch;
        for (let row = 0; row < SIDE; row++) x[to + row * SIDE * CHANNELS] = source[from + row];
      }
    }
  }
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels.data[i];
    if (!Number.isInteger(label) || label < 0 || label > 10)
      fail(file, `y(${i + 1}) is ${label}, expected a label 1–10 (10 = digit 0)`);
    y[i] = label % 10;
  }
  return { x, y, count: n };
}

export async function loadSvhn(dir: string): Promise<RawDataset> {
  await requireDirectory(dir, HINT);
  const train = await readSplit(join(dir, "train_32x32.mat"));
  const test = await readSplit(join(dir, "test_32x32.mat"));
  return {
    name: "svhn",
    task: "classify",
    inputShape: [SIDE, SIDE, CHANNELS],
    classes: 10,
    yShape: [],
    train,
    test,
    meta: {
      source: dir,
      description: `SVHN cropped digits from ${dir}: ${train.count} train / ${test.count} test`,
      classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    },
  };
}
