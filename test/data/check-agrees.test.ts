/**
 * For every data set in the table, what `simc check` infers from the files (example shape,
 * class count or outputs) is what the loader yields: the checker is asked about a model that
 * fits nothing, and its SIM4023 hints are compared with the loaded set; then a model that
 * takes exactly the loaded shape checks clean.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkEntry } from "../../compiler/check.js";
import { loadDataset } from "../../runtime/data/index.js";
import { DATA_SET_ENTRIES } from "../../vocabulary/data-sets.js";
import { cifarBatch, idxBytes, idxSplit, matFile, pngBytes, svhnVariables, tempDir, writeIdxSet } from "./formats.js";
import { flowersCsv, jpegBytes, npyBytes, npzBytes, twoTargetCsv, writeUnder } from "./user-formats.js";

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const write = (name: string, content: string | Uint8Array) => writeUnder(dir, name, content);

/** An IDX images file of big-endian float32 (type 0x0d): the float IDX files users write. */
function floatIdx(dims: number[], values: number[]): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + 4 * values.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, (0x0d << 8) | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  values.forEach((v, i) => view.setFloat32(4 + 4 * dims.length + 4 * i, v, false));
  return bytes;
}

/** Per data set: the `data:` text of a spec in `dir`, after writing the files it reads. */
const FIXTURES: Record<string, () => string> = {
  mnist: () => "mnist",
  fashion_mnist: () => {
    mkdirSync(join(dir, "fashion"));
    writeIdxSet(join(dir, "fashion"), idxSplit(4, 5, 3, (n) => n), idxSplit(2, 5, 3, (n) => 9 - n), { gzip: true });
    return 'fashion-mnist(dir: "fashion")';
  },
  mnist_idx: () => {
    // The shape the issue was about: features as [1, 2] float images, 13 classes.
    write("idx-f32/train-images-idx3-ubyte", floatIdx([3, 1, 2], [0.5, -1, 2, 3, 4.25, 5]));
    write("idx-f32/train-labels-idx1-ubyte", idxBytes([3], [0, 12, 3]));
    write("idx-f32/t10k-images-idx3-ubyte", floatIdx([1, 1, 2], [7, 8]));
    write("idx-f32/t10k-labels-idx1-ubyte", idxBytes([1], [1]));
    return '"idx-f32"';
  },
  cifar10: () => {
    for (let b = 1; b <= 5; b++) write(`cifar/data_batch_${b}.bin`, cifarBatch([b], b));
    write("cifar/test_batch.bin", cifarBatch([0], 0));
    return 'cifar10(dir: "cifar")';
  },
  svhn: () => {
    write("svhn/train_32x32.mat", matFile(svhnVariables([1, 10, 3])));
    write("svhn/test_32x32.mat", matFile(svhnVariables([2])));
    return '"./svhn"';
  },
  copy_memory: () => "copy_memory(T: 3, train: 4, test: 2)",
  image: () => {
    write("tiny.png", pngBytes(4, 4));
    return 'image(path: "tiny.png", gray: true)';
  },
  csv: () => {
    write("flowers.csv", flowersCsv(15));
    return 'csv(path: "flowers.csv", label: "species")';
  },
  tsv: () => {
    write("two.tsv", twoTargetCsv(10).replace(/,/g, "\t"));
    return 'tsv(path: "two.tsv", target: ["y1", "y2"])';
  },
  npy: () => {
    write("x.npy", npyBytes("<f4", [6, 3, 2], Array.from({ length: 36 }, (_, i) => i)));
    write("y.npy", npyBytes("<i8", [6], [0, 1, 4, 1, 0, 2]));
    return 'npy(x: "x.npy", y: "y.npy")';
  },
  npz: () => {
    write("reg.npz", npzBytes({ inputs: npyBytes("<f8", [5, 4], Array.from({ length: 20 }, (_, i) => i)), targets: npyBytes("<f4", [5, 3], Array.from({ length: 15 }, (_, i) => i)) }));
    return 'npz(path: "reg.npz", x: "inputs", y: "targets")';
  },
  images: () => {
    write("pics/a/1.png", pngBytes(6, 4));
    write("pics/b/1.jpg", jpegBytes(6, 4, () => [1, 2, 3]));
    write("pics/c/1.png", pngBytes(6, 4));
    write("pics/c/2.png", pngBytes(6, 4));
    write("pics/c/3.png", pngBytes(6, 4));
    return "pics";
  },
};

const spec = (data: string, input: string, task: string) => `model m {
  input: ${input}
  task: ${task}
  deq { cell: dense(units: 8) }
  train {
    data: ${data}
    validation: 0
  }
}
`;

function showTask(data: { task: string; classes?: number; outputs?: number }): string {
  return data.task === "classify" ? `classify(classes: ${data.classes})` : `regress(outputs: ${data.outputs})`;
}

describe("simc check infers what the loader yields", () => {
  it("has a fixture for every data set in the table", () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(DATA_SET_ENTRIES.map((e) => e.name).sort());
  });

  it.each(DATA_SET_ENTRIES.map((e) => [e.name]))("%s", async (name) => {
    const data = FIXTURES[name]();

    // A model that fits nothing: the checker says what the data yields.
    const wrongFile = join(dir, `${name}-wrong.sim`);
    writeFileSync(wrongFile, spec(data, "[999]", "regress(outputs: 999)"));
    const hints = checkEntry(wrongFile)
      .diagnostics.filter((d) => d.code === "SIM4023")
      .map((d) => d.hint ?? "");
    const input = hints.find((h) => h.startsWith("set input: "))?.slice("set input: ".length);
    const task = hints.find((h) => h.startsWith("set task: "))?.slice("set task: ".length) ?? "regress(outputs: 999)";
    expect(input).toMatch(/^\[\d+(, \d+)*\]$/);

    // The model the checker asks for checks clean, and training loads exactly that.
    const rightFile = join(dir, `${name}-right.sim`);
    writeFileSync(rightFile, spec(data, input!, task));
    const right = checkEntry(rightFile);
    expect(right.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const loaded = await loadDataset(right.models[0].train.data, { baseDir: dir, seed: 0, validation: 0 });
    expect(`[${loaded.inputShape.join(", ")}]`).toBe(input);
    expect(showTask(loaded)).toBe(task);

    // What check reports about the data: shape, classes and their names, the value range.
    const described = right.models[0].data!;
    expect(described.inputShape).toEqual(loaded.inputShape);
    if (described.task.kind === "classify" && described.task.classNames) expect(described.task.classNames).toEqual(loaded.meta?.classNames);
    if (described.range) {
      const [low, high] = described.range;
      for (const split of [loaded.train, loaded.test]) for (const v of split.x) if (v < low || v > high) expect(v).toBeGreaterThanOrEqual(low);
    }
  });
});
