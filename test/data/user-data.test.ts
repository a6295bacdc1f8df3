import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Value } from "../../core/values.js";
import { DataError } from "../../runtime/data/errors.js";
import { loadDataset } from "../../runtime/data/index.js";
import type { DataContext, Dataset } from "../../runtime/data/types.js";
import { pngBytes, pngColour, tempDir } from "./formats.js";
import { flowersCsv, jpegBytes, npyBytes, npzBytes, twoTargetCsv, writeUnder } from "./user-formats.js";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());
const ctx = (seed = 0): DataContext => ({ baseDir: dir, seed, validation: 0 });
const load = (spec: Value, seed = 0): Promise<Dataset> => loadDataset(spec, ctx(seed));

async function failure(spec: Value): Promise<DataError> {
  try {
    await load(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error("expected the load to fail");
}

const write = (name: string, content: string | Uint8Array) => writeUnder(dir, name, content);

describe("csv and tsv", () => {
  it("classifies by a named label column: any number of classes, names kept, a fixed seeded test split", async () => {
    write("flowers.csv", flowersCsv(30));
    const data = await load({ call: "csv", args: { path: "flowers.csv", label: "species" } });
    expect(data.task).toBe("classify");
    expect(data.classes).toBe(3);
    expect(data.meta?.classNames).toEqual(["setosa", "versicolor", "virginica"]);
    expect(data.inputShape).toEqual([4]);
    expect([data.train.count, data.test.count]).toEqual([24, 6]);
    expect(data.meta?.split).toContain("fixed seeded 20%");
    // Row 1 (versicolor, jitter 37 % 11 / 20 = 0.2) is in train or test, its features as written.
    const rows = [data.train, data.test].flatMap((split) => Array.from({ length: split.count }, (_, i) => Array.from(split.x.subarray(4 * i, 4 * i + 4))));
    expect(rows).toContainEqual([3.2, 2.2, 3, 1.2].map(Math.fround));
    // Another run seed leaves the test set as it is.
    const other = await load({ call: "csv", args: { path: "flowers.csv", label: "species" } }, 7);
    expect(Array.from(other.test.x)).toEqual(Array.from(data.test.x));
  });

  it("regresses any number of target columns", async () => {
    write("two.csv", twoTargetCsv(20));
    const data = await load({ call: "csv", args: { path: "two.csv", target: ["y1", "y2"], test_split: 0.25 } });
    expect(data.task).toBe("regress");
    expect(data.outputs).toBe(2);
    expect(data.train.yShape).toEqual([2]);
    expect(data.inputShape).toEqual([3]);
    expect([data.train.count, data.test.count]).toEqual([15, 5]);
    for (let i = 0; i < data.train.count; i++) {
      const [x1, x2, x3] = data.train.x.subarray(3 * i, 3 * i + 3);
      expect(data.train.y[2 * i]).toBeCloseTo(x1 + 0.5 * x2, 3);
      expect(data.train.y[2 * i + 1]).toBeCloseTo(x3 - x1, 3);
    }
  });

  it("reads tab-separated files (by extension or tsv(…)), chosen features and a test file of its own", async () => {
    write("train.tsv", flowersCsv(12, "\t"));
    write("test.tsv", flowersCsv(6, "\t"));
    const data = await load({ call: "tsv", args: { path: "train.tsv", label: "species", features: ["petal_length", "petal_width"], test: "test.tsv" } });
    expect(data.inputShape).toEqual([2]);
    expect([data.train.count, data.test.count]).toEqual([12, 6]);
    expect(Array.from(data.test.x.subarray(0, 2))).toEqual([0.5, 0.2].map(Math.fround));
    expect(data.meta?.split).toContain("own train");
    const byExtension = await load({ call: "csv", args: { path: "train.tsv", label: "species" } });
    expect(byExtension.inputShape).toEqual([4]);
  });

  it("numeric labels are ordered as numbers", async () => {
    write("n.csv", "x,grade\n1,10\n2,2\n3,1\n4,2\n5,10\n");
    const data = await load({ call: "csv", args: { path: "n.csv", label: "grade" } });
    expect(data.meta?.classNames).toEqual(["1", "2", "10"]);
  });

  it("malformed tables are located by line and column", async () => {
    const bad = write("bad.csv", "a,b,label\n1,2,x\n3,oops,y\n");
    let error = await failure({ call: "csv", args: { path: "bad.csv", label: "label" } });
    expect(error.format()).toContain(`${bad}:3:2: column 'b' holds "oops", expected a number`);
    write("ragged.csv", "a,b,label\n1,2,x\n3,4,y,extra\n");
    error = await failure({ call: "csv", args: { path: "ragged.csv", label: "label" } });
    expect([error.line, error.message]).toEqual([3, "a row has a different number of fields than the header (expect 3, got 4)"]);
    write("quote.csv", 'a,label\n1,"x\n');
    error = await failure({ call: "csv", args: { path: "quote.csv", label: "label" } });
    expect(error.line).toBe(2);
    error = await failure({ call: "csv", args: { path: "bad.csv", label: "species" } });
    expect([error.line, error.message, error.hint]).toEqual([1, "has no label column 'species'", "the header names: a, b, label"]);
    error = await failure("bad.csv");
    expect(error.message).toBe("a table needs the column to predict");
    expect(error.hint).toContain("a, b, label");
    write("empty.csv", "");
    expect((await failure({ call: "csv", args: { path: "empty.csv", label: "y" } })).format()).toContain(":1: is empty");
  });
});

describe("npy and npz", () => {
  const xs = Array.from({ length: 5 * 4 }, (_, i) => i / 10);

  it("pairs x (N, 2, 2) float32 with integer y: classes = largest label + 1; a test pair of its own", async () => {
    write("x.npy", npyBytes("<f4", [5, 2, 2], xs));
    write("y.npy", npyBytes("<i8", [5], [0, 3, 1, 3, 2]));
    write("xt.npy", npyBytes("<f4", [2, 2, 2], xs.slice(0, 8)));
    write("yt.npy", npyBytes("<i8", [2], [4, 0]));
    const data = await load({ call: "npy", args: { x: "x.npy", y: "y.npy", x_test: "xt.npy", y_test: "yt.npy" } });
    expect(data.inputShape).toEqual([2, 2]);
    expect(data.classes).toBe(5);
    expect(Array.from(data.train.y)).toEqual([0, 3, 1, 3, 2]);
    expect(Array.from(data.train.x).map((v) => Number(v.toFixed(5)))).toEqual(xs.map((v) => Number(v.toFixed(5))));
    expect(data.test.count).toBe(2);
  });

  it("float y (N, 2) is regression; uint8 x is scaled to [0, 1]; big-endian float64 is read", async () => {
    write("x.npy", npyBytes("|u1", [10, 3], Array.from({ length: 30 }, (_, i) => i * 8)));
    write("y.npy", npyBytes(">f8", [10, 2], Array.from({ length: 20 }, (_, i) => i / 4)));
    const data = await load({ call: "npy", args: { x: "x.npy", y: "y.npy", test_split: 0.3 } });
    expect(data.task).toBe("regress");
    expect(data.outputs).toBe(2);
    expect([data.train.count, data.test.count]).toEqual([7, 3]);
    const all = [...data.train.x, ...data.test.x];
    expect(Math.max(...all)).toBeLessThanOrEqual(1);
    expect(all).toContain(Math.fround(8 / 255));
    expect([...data.train.y, ...data.test.y].sort((a, b) => a - b)[19]).toBe(19 / 4);
  });

  it("an .npz with x and y, or with x_train/y_train/x_test/y_test (the split it ships)", async () => {
    const x = npyBytes("<f4", [6, 2], Array.from({ length: 12 }, (_, i) => i));
    const y = npyBytes("<i4", [6], [0, 1, 0, 1, 0, 1]);
    write("d.npz", npzBytes({ x, y }));
    const plain = await load("d.npz");
    expect([plain.name, plain.classes, plain.train.count + plain.test.count]).toEqual(["npz", 2, 6]);
    write("mnist.npz", npzBytes({ x_train: x, y_train: y, x_test: npyBytes("<f4", [1, 2], [5, 6]), y_test: npyBytes("<i4", [1], [1]) }));
    const split = await load({ call: "npz", args: { path: "mnist.npz" } });
    expect([split.train.count, split.test.count]).toEqual([6, 1]);
    expect(Array.from(split.test.x)).toEqual([5, 6]);
  });

  it("malformed arrays are located by byte", async () => {
    const x = write("x.npy", npyBytes("<f4", [4, 2], Array.from({ length: 8 }, (_, i) => i)));
    const labels = npyBytes("<i8", [4], [0, 1, -1, 1]);
    write("y.npy", labels);
    let error = await failure({ call: "npy", args: { x: "x.npy", y: "y.npy" } });
    expect(error.format()).toContain(`${join(dir, "y.npy")}: byte ${labels.length - 4 * 8 + 2 * 8}: label 2 is -1`);
    const whole = npyBytes("<f4", [4, 2], Array.from({ length: 8 }, (_, i) => i));
    const cut = whole.length - 10;
    write("short.npy", whole.subarray(0, cut));
    write("y2.npy", npyBytes("<i8", [4], [0, 1, 0, 1]));
    error = await failure({ call: "npy", args: { x: "short.npy", y: "y2.npy" } });
    expect([error.byte, error.message]).toEqual([cut, `shape (4, 2) of <f4 needs ${whole.length} bytes; the file has ${cut} (truncated)`]);
    write("header.npy", whole.subarray(0, 40));
    error = await failure({ call: "npy", args: { x: "header.npy", y: "y2.npy" } });
    expect([error.byte, error.message]).toEqual([40, `the .npy header needs ${whole.length - 32 - 10} bytes; the file ends before`]);
    write("text.npy", "not numpy at all");
    error = await failure({ call: "npy", args: { x: "text.npy", y: "y2.npy" } });
    expect([error.file, error.byte]).toEqual([join(dir, "text.npy"), 0]);
    write("y3.npy", npyBytes("<i8", [3], [0, 1, 0]));
    error = await failure({ call: "npy", args: { x: "x.npy", y: "y3.npy" } });
    expect(error.message).toBe("y has shape (3,), expected (4,) or (4, K) to match x (4, 2)");
    write("names.npz", npzBytes({ inputs: npyBytes("<f4", [1], [0]) }));
    error = await failure("names.npz");
    expect(error.message).toContain("it holds 'inputs'");
    write("broken.npz", "PK but not really a zip");
    expect((await failure("broken.npz")).message).toContain("is not a readable .npz (zip) archive");
    expect(x).toBeTruthy();
  });
});

describe("images: folders by class, JPEG and PNG", () => {
  const red = (): [number, number, number] => [220, 30, 30];
  const blue = (): [number, number, number] => [20, 40, 230];

  it("each sub-folder is a class; PNG and JPEG mixed; RGB in [0, 1]; a fixed seeded test split", async () => {
    for (let i = 0; i < 5; i++) write(`photos/cat/${i}.png`, pngBytes(4, 3, red));
    for (let i = 0; i < 5; i++) write(`photos/dog/${i}.jpg`, jpegBytes(4, 3, blue));
    const data = await load("photos");
    expect(data.name).toBe("images");
    expect(data.inputShape).toEqual([3, 4, 3]);
    expect(data.meta?.classNames).toEqual(["cat", "dog"]);
    expect([data.train.count, data.test.count]).toEqual([8, 2]);
    for (let i = 0; i < data.train.count; i++) {
      const r = data.train.x[i * 36];
      expect(data.train.y[i]).toBe(r > 0.5 ? 0 : 1);
      if (data.train.y[i] === 1) expect(data.train.x[i * 36 + 2]).toBeGreaterThan(0.85); // JPEG is lossy, blue stays blue
    }
  });

  it("size: resizes; gray: one channel; train/ and test/ folders are the split", async () => {
    write("set/train/a/1.png", pngBytes(8, 6));
    write("set/train/a/2.jpeg", jpegBytes(5, 5, pngColour));
    write("set/train/b/1.png", pngBytes(3, 3));
    write("set/test/a/1.png", pngBytes(2, 2));
    write("set/test/b/1.png", pngBytes(9, 4));
    const data = await load({ call: "images", args: { dir: "set", size: [4, 4], gray: true } });
    expect(data.inputShape).toEqual([4, 4, 1]);
    expect([data.train.count, data.test.count]).toEqual([3, 2]);
    expect(data.meta?.split).toContain("own train/ and test/");
  });

  it("a picture of another size, a corrupt JPEG and an empty class are named", async () => {
    write("p/a/1.png", pngBytes(4, 4));
    const odd = write("p/a/2.png", pngBytes(5, 4));
    let error = await failure("p");
    expect(error.file).toBe(odd);
    expect(error.message).toBe("is 5×4 pixels, but the first picture is 4×4");
    expect(error.hint).toContain("size: [4, 4]");
    const corrupt = write("q/a/1.jpg", jpegBytes(4, 4, pngColour).subarray(0, 40));
    error = await failure({ call: "images", args: { dir: "q" } });
    expect(error.file).toBe(corrupt);
    expect(error.message).toContain("is not a readable JPEG");
    mkdirSync(join(dir, "r", "empty"), { recursive: true });
    write("r/full/1.png", pngBytes(2, 2));
    error = await failure({ call: "images", args: { dir: "r" } });
    expect([error.file, error.message]).toEqual([join(dir, "r", "empty"), "class folder holds no .png, .jpg or .jpeg files"]);
  });

  it("a JPEG photograph is image regression, with colours close to the original", async () => {
    write("photo.jpg", jpegBytes(16, 12, pngColour));
    const data = await load("photo.jpg");
    expect([data.name, data.task, data.outputs]).toEqual(["image", "regress", 3]);
    expect(data.meta?.image).toMatchObject({ width: 16, height: 12 });
    const [r, g, b] = pngColour(0, 0);
    expect(Math.abs(data.train.y[0] - r / 255)).toBeLessThan(0.1);
    expect(Math.abs(data.train.y[1] - g / 255)).toBeLessThan(0.1);
    expect(Math.abs(data.train.y[2] - b / 255)).toBeLessThan(0.1);
  });
});

describe("one rule for data:", () => {
  it("a relative path without ./ resolves against the spec's directory", async () => {
    write("nested/flowers.csv", flowersCsv(10));
    const data = await load({ call: "csv", args: { path: "nested/flowers.csv", label: "species" } });
    expect(data.classes).toBe(3);
    for (let i = 0; i < 3; i++) write(`idx-like/c${i}/1.png`, pngBytes(2, 2));
    expect((await load("idx-like")).classes).toBe(3);
  });

  it("hyphenated names are the underscore names; misspellings suggest the right one", async () => {
    const fmnist = await failure("fmnist");
    expect(fmnist.message).toBe("unknown data set 'fmnist'");
    expect(fmnist.hint?.startsWith("did you mean fashion_mnist?")).toBe(true);
    expect((await failure({ call: "fashionmnist", args: {} })).hint?.startsWith("did you mean fashion_mnist?")).toBe(true);
    expect((await failure("cifar100")).hint?.startsWith("did you mean cifar10?")).toBe(true);
    const copy = await load({ call: "copy-memory", args: { T: 2, train: 3, test: 2 } });
    expect(copy.name).toBe("copy_memory");
  });
});
