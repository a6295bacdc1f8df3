import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Value } from "../../compiler/checked-model.js";
import { DataError } from "../../runtime/data/errors.js";
import { DATA_SET_ENTRIES as DATASETS, loadDataset } from "../../runtime/data/index.js";
import type { DataContext } from "../../runtime/data/types.js";
import { cifarBatch, idxSplit, pngBytes, tempDir, writeIdxSet } from "./formats.js";

async function failure(spec: Value, ctx: DataContext): Promise<DataError> {
  try {
    await loadDataset(spec, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error("expected the load to fail");
}

describe("loadDataset: names, calls and arguments", () => {
  const ctx: DataContext = { baseDir: process.cwd(), seed: 0, validation: 0 };

  it("an unknown name lists every valid data set", async () => {
    const error = await failure("cifar100", ctx);
    expect(error.message).toBe("unknown data set 'cifar100'");
    for (const d of DATASETS) expect(error.hint).toContain(d.name);
  });

  it("an unknown call name lists every valid data set too", async () => {
    const error = await failure({ call: "imagenet", args: {} }, ctx);
    expect(error.message).toBe("unknown data set 'imagenet'");
    expect(error.hint).toContain("copy_memory(T, train, test)");
  });

  it("an unknown argument names the valid ones", async () => {
    const error = await failure({ call: "copy_memory", args: { length: 3 } }, ctx);
    expect(error.message).toBe("copy_memory has no argument 'length'");
    expect(error.hint).toBe("valid arguments: copy_memory(T = 500, train = 4500, test = 500)");
  });

  it("a missing required argument", async () => {
    const error = await failure("cifar10", ctx);
    expect(error.message).toBe("cifar10 needs the argument 'dir' (directory holding the .bin batches)");
  });

  it("arguments of the wrong type", async () => {
    expect((await failure({ call: "image", args: { path: 3 } }, ctx)).message).toBe(
      "image(path) must be a path in quotes, got 3",
    );
    expect((await failure({ call: "image", args: { path: "x.png", gray: "yes" } }, ctx)).message).toBe(
      'image(gray) must be true or false, got "yes"',
    );
    expect((await failure({ call: "copy_memory", args: { train: 2.5 } }, ctx)).message).toBe(
      "copy_memory(train) must be an integer ≥ 1, got 2.5",
    );
  });

  it("positional arguments bind in catalogue order; the hyphenated name is accepted", async () => {
    const data = await loadDataset({ call: "copy-memory", args: { "0": 5, "1": 12, "2": 4 } }, ctx);
    expect(data.name).toBe("copy_memory");
    expect(data.inputShape).toEqual([25, 1]);
    expect([data.train.count, data.test.count]).toEqual([12, 4]);
  });

  it("a value that is neither a name nor a call", async () => {
    const error = await failure(42, ctx);
    expect(error.message).toBe("data must be a data set name or call, got 42");
  });

  it("an out-of-range validation fraction or limit is rejected", async () => {
    expect((await failure("copy_memory", { ...ctx, validation: 1 })).message).toBe(
      "validation fraction 1 is out of range",
    );
    expect((await failure("copy_memory", { ...ctx, limit: -3 })).message).toBe(
      "limit -3 is not a whole number of examples",
    );
  });
});

describe("loadDataset: validation hold-out and limit", () => {
  const spec = { call: "copy_memory", args: { T: 4, train: 200, test: 30 } };
  const rows = (x: Float32Array, length: number) => {
    const out: string[] = [];
    for (let i = 0; i < x.length / length; i++) out.push(Array.from(x.subarray(i * length, (i + 1) * length)).join());
    return out;
  };

  it("holds out round(fraction · N) examples, disjoint from train, together all of train", async () => {
    const all = await loadDataset(spec, { baseDir: ".", seed: 4, validation: 0 });
    const split = await loadDataset(spec, { baseDir: ".", seed: 4, validation: 0.25 });
    expect(split.train.count).toBe(150);
    expect(split.validation!.count).toBe(50);
    const train = rows(split.train.x, 24);
    const validation = rows(split.validation!.x, 24);
    expect(new Set([...train, ...validation])).toEqual(new Set(rows(all.train.x, 24)));
    expect(train.filter((r) => validation.includes(r))).toEqual([]);
    expect(all.validation).toBeUndefined();
  });

  it("limit caps training examples, keeps validation in proportion, leaves test whole", async () => {
    const data = await loadDataset(spec, { baseDir: ".", seed: 4, validation: 0.1, limit: 45 });
    expect(data.train.count).toBe(45);
    expect(data.validation!.count).toBe(Math.ceil((20 * 45) / 180));
    expect(data.test.count).toBe(30);
    const full = await loadDataset(spec, { baseDir: ".", seed: 4, validation: 0.1 });
    const fullTrain = new Set(rows(full.train.x, 24));
    for (const r of rows(data.train.x, 24)) expect(fullTrain.has(r)).toBe(true);
  });

  it("a limit above the training size keeps everything", async () => {
    const data = await loadDataset(spec, { baseDir: ".", seed: 4, validation: 0, limit: 10_000 });
    expect(data.train.count).toBe(200);
  });
});

describe("loadDataset: a bare path picks the loader from what it finds", () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());
  const ctx = (baseDir: string): DataContext => ({ baseDir, seed: 0, validation: 0 });

  it("a PNG is image regression", async () => {
    writeFileSync(join(dir, "tiny.png"), pngBytes(4, 4));
    const data = await loadDataset("./tiny.png", ctx(dir));
    expect(data.name).toBe("image");
    expect(data.train.count).toBe(4);
  });

  it("a directory of IDX files is mnist_idx; of CIFAR batches, cifar10", async () => {
    mkdirSync(join(dir, "idx"));
    writeIdxSet(
      join(dir, "idx"),
      idxSplit(3, 2, 2, (n) => n),
      idxSplit(2, 2, 2, (n) => n),
      { gzip: true },
    );
    expect((await loadDataset("idx/", ctx(dir))).name).toBe("mnist_idx");
    mkdirSync(join(dir, "cifar"));
    for (let b = 1; b <= 5; b++) writeFileSync(join(dir, "cifar", `data_batch_${b}.bin`), cifarBatch([b], b));
    writeFileSync(join(dir, "cifar", "test_batch.bin"), cifarBatch([0], 0));
    const cifar = await loadDataset(join(dir, "cifar"), ctx("/"));
    expect(cifar.name).toBe("cifar10");
    expect(Array.from(cifar.train.y)).toEqual([1, 2, 3, 4, 5]);
  });

  it("an unrecognised directory or a missing path says what was expected", async () => {
    mkdirSync(join(dir, "empty"));
    const unknown = await failure("empty/", ctx(dir));
    expect(unknown.file).toBe(join(dir, "empty"));
    expect(unknown.message).toBe("cannot tell which data set this directory holds");
    const missing = await failure("nowhere/data", ctx(dir));
    expect(missing.file).toBe(join(dir, "nowhere", "data"));
    expect(missing.message).toBe("no such file or directory");
  });
});
