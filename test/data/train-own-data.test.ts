/**
 * A user's own data trains end to end from a spec: `simc train` on a CSV with named classes, a
 * CSV with two targets, NumPy arrays, a folder of PNG and JPEG pictures, and a JPEG photograph.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runTrain } from "../../cli/commands/train.js";
import { pngBytes, pngColour, tempDir } from "./formats.js";
import { flowersCsv, jpegBytes, npyBytes, npzBytes, twoTargetCsv, writeUnder } from "./user-formats.js";

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const write = (name: string, content: string | Uint8Array) => writeUnder(dir, name, content);

function spec(name: string, data: string, input: string, task: string, outputs: number, epochs = 3): string {
  const file = join(dir, `${name}.sim`);
  const flatten = input.split(",").length > 1 ? "flatten() " : "";
  writeFileSync(
    file,
    `import { fcn } from "std/fcn";
import { linear_head } from "std/heads";

model ${name} {
  input: ${input}
  task: ${task}
  basis { ${flatten}fcn(hidden: 16, out: 16) }
  lift: koopman(m: 16, r: 8)
  surrogate { fcn(hidden: 16, out: 16) }
  head { linear_head(outputs: ${outputs}) }
  train {
    data: ${data}
    optimizer: adam(lr: 1e-2)
    batch: 16
    epochs: ${epochs}
    validation: 0
  }
}
`,
  );
  return file;
}

interface TrainDocument {
  metrics: { accuracy?: number; psnr?: number; loss: number };
  data: { name: string; train: number; test: number };
  epochs: number;
}

async function train(file: string, extra: Record<string, unknown> = {}): Promise<TrainDocument> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const code = await runTrain(file, { backend: "cpu", json: true, out: `${file}.run`, ...extra });
  vi.restoreAllMocks();
  expect(stderr.includes("simc train:") ? stderr : "", "no failure").toBe("");
  expect(code).toBe(0);
  return JSON.parse(stdout) as TrainDocument;
}

describe("simc train on a user's own data", () => {
  it("a CSV with three named classes", async () => {
    write("flowers.csv", flowersCsv(60));
    const doc = await train(spec("flowers", 'csv(path: "flowers.csv", label: "species")', "[4]", "classify(classes: 3)", 3, 8));
    expect(doc.data).toMatchObject({ name: "csv", train: 48, test: 12 });
    expect(doc.metrics.accuracy).toBeGreaterThan(0.6); // three well-separated classes; chance is 1/3
  });

  it("a regression CSV with two targets, the loss falling", async () => {
    write("two.csv", twoTargetCsv(80));
    const file = spec("two", 'csv(path: "two.csv", target: ["y1", "y2"])', "[3]", "regress(outputs: 2)", 2, 6);
    const doc = await train(file);
    expect(doc.data.test).toBe(16);
    const lines = readFileSync(join(`${file}.run`, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { trainLoss: number });
    expect(lines[lines.length - 1].trainLoss).toBeLessThan(lines[0].trainLoss);
  });

  it(".npy pairs and an .npz archive", async () => {
    const n = 40;
    const x = Array.from({ length: n * 2 }, (_, i) => ((i * 13) % 17) / 17);
    const y = Array.from({ length: n }, (_, i) => (x[2 * i] > x[2 * i + 1] ? 1 : 0));
    write("x.npy", npyBytes("<f4", [n, 2], x));
    write("y.npy", npyBytes("<i8", [n], y));
    const npy = await train(spec("arrays", 'npy(x: "x.npy", y: "y.npy")', "[2]", "classify(classes: 2)", 2, 2));
    expect(npy.data).toMatchObject({ name: "npy", train: 32, test: 8 });
    write("xy.npz", npzBytes({ x_train: npyBytes("<f4", [n, 2], x), y_train: npyBytes("<i8", [n], y), x_test: npyBytes("<f4", [4, 2], x.slice(0, 8)), y_test: npyBytes("<i8", [4], y.slice(0, 4)) }));
    const npz = await train(spec("archive", '"xy.npz"', "[2]", "classify(classes: 2)", 2, 2));
    expect(npz.data).toMatchObject({ name: "npz", train: 40, test: 4 });
  });

  it("a folder of PNG and JPEG pictures by class, resized to one size", async () => {
    for (let i = 0; i < 6; i++) write(`shapes/light/${i}.png`, pngBytes(6 + (i % 2), 6, () => [230 - i, 230, 220]));
    for (let i = 0; i < 6; i++) write(`shapes/dark/${i}.jpg`, jpegBytes(6, 5 + (i % 2), () => [20 + i, 30, 25]));
    const doc = await train(spec("shapes", 'images(dir: "shapes", size: [6, 6], gray: true)', "[6, 6, 1]", "classify(classes: 2)", 2, 3), { batch: 4 });
    expect(doc.data).toMatchObject({ name: "images", train: 10, test: 2 });
  });

  it("a JPEG photograph for image regression", async () => {
    write("photo.jpg", jpegBytes(16, 16, pngColour));
    const doc = await train(spec("photo", '"photo.jpg"', "[2]", "regress(outputs: 3)", 3, 2));
    expect(doc.data).toMatchObject({ name: "image", train: 64, test: 64 });
    expect(doc.metrics.psnr).toBeGreaterThan(0);
  });
});

describe("train --data, written as in a spec", () => {
  it("a call with arguments replaces the spec's data; a malformed call is an input error", async () => {
    write("cli/flowers.csv", flowersCsv(30));
    write("cli_small.csv", flowersCsv(9));
    const file = spec("cli_flowers", 'csv(path: "cli_small.csv", label: "species")', "[4]", "classify(classes: 3)", 3, 1);
    const path = join(dir, "cli", "flowers.csv");
    const doc = await train(file, { data: `csv(path: ${JSON.stringify(path)}, label: "species", test_split: 0.5)` });
    expect(doc.data).toMatchObject({ name: "csv", train: 15, test: 15 });

    let stderr = "";
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    const code = await runTrain(file, { backend: "cpu", out: `${file}.bad`, data: 'csv(path: "x.csv", label: )' });
    const misspelt = await runTrain(file, { backend: "cpu", out: `${file}.bad`, data: "fmnist" });
    vi.restoreAllMocks();
    expect(code).toBe(1);
    expect(stderr).toContain("simc train: error[SIM6001]: --data:");
    expect(stderr).toContain("help: write it as in a spec");
    expect(misspelt).toBe(1);
    expect(stderr).toContain("unknown data set 'fmnist'\n  help: did you mean fashion_mnist?");
  });
});
