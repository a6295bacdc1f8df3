/**
 * The one rule for `data:` as `simc check` applies it: catalogue names (hyphenated too), calls,
 * and paths with or without `./`, inspected by the same code the loader uses.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkEntry } from "../../compiler/check.js";
import { parseDataArgument } from "../../compiler/data-argument.js";
import { idxBytes, tempDir } from "./formats.js";
import { npyBytes } from "./user-formats.js";

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

function check(data: string, input = "[28, 28, 1]", task = "classify(classes: 10)") {
  const file = join(dir, "m.sim");
  writeFileSync(file, `model m {\n  input: ${input}\n  task: ${task}\n  deq { cell: dense(units: 8) }\n  train { data: ${data} }\n}\n`);
  const result = checkEntry(file);
  return {
    result,
    codes: result.diagnostics.map((d) => `${d.code}@${d.loc.line}:${d.loc.column}`),
    messages: result.diagnostics.map((d) => d.message),
    hints: result.diagnostics.map((d) => d.hint ?? ""),
  };
}

describe("data: in a spec", () => {
  it("fashion-mnist and fashion-mnist(dir: …) are names, not subtractions", () => {
    const plain = check("fashion-mnist");
    expect(plain.codes).toEqual([]);
    expect(plain.result.models[0].train.data).toEqual({ call: "fashion_mnist", args: { dir: "/usr/share/datasets/fashion-mnist" } });
    const call = check('copy-memory(T: 5)', "[25, 1]");
    expect(call.codes).toEqual([]);
    expect(call.result.models[0].train.data).toEqual({ call: "copy_memory", args: { T: 5, train: 4500, test: 500 } });
    // With spaces it is a subtraction, as everywhere else.
    expect(check("fashion - mnist").codes.length).toBeGreaterThan(0);
  });

  it("a misspelt name suggests the right one: fmnist → fashion_mnist", () => {
    const { codes, messages } = check("fmnist");
    expect(codes).toEqual(["SIM4020@5:17"]);
    expect(messages[0]).toBe("unknown data set 'fmnist'");
    expect(check("fmnist(dir: \"x\")").messages[0]).toBe("unknown data set 'fmnist'; did you mean fashion_mnist?");
    expect(check("cifar100").hints[0].startsWith("did you mean cifar10?")).toBe(true);
  });

  it("a relative path without ./ is inspected like one with it, and both agree with the files", () => {
    mkdirSync(join(dir, "idx-u8"));
    const write = (name: string, bytes: Uint8Array) => writeFileSync(join(dir, "idx-u8", name), bytes);
    write("train-images-idx3-ubyte", idxBytes([2, 1, 2], [1, 2, 3, 4]));
    write("train-labels-idx1-ubyte", idxBytes([2], [0, 1]));
    write("t10k-images-idx3-ubyte", idxBytes([1, 1, 2], [5, 6]));
    write("t10k-labels-idx1-ubyte", idxBytes([1], [1]));
    for (const data of ['"idx-u8"', '"./idx-u8"', 'mnist_idx(dir: "idx-u8")']) {
      expect(check(data, "[1, 2, 1]", "classify(classes: 2)").codes, data).toEqual([]);
      const wrong = check(data);
      expect(wrong.hints, data).toEqual(["set input: [1, 2, 1]", "set task: classify(classes: 2)"]);
    }
  });

  it("a malformed file is an error at check time, located in the file; a missing one waits for train", () => {
    writeFileSync(join(dir, "bad.csv"), "a,label\n1,x\nnope,y\n");
    const bad = check('csv(path: "bad.csv", label: "label")', "[1]", "classify(classes: 2)");
    expect(bad.codes).toEqual(["SIM4029@5:17"]);
    expect(bad.messages[0]).toBe(`${join(dir, "bad.csv")}:3:1: column 'a' holds "nope", expected a number`);
    writeFileSync(join(dir, "y.npy"), npyBytes("<f4", [3], [0.5, 1, 2]));
    writeFileSync(join(dir, "x.npy"), npyBytes("<f4", [3, 2], [1, 2, 3, 4, 5, 6]));
    const regress = check('npy(x: "x.npy", y: "y.npy")', "[2]", "classify(classes: 2)");
    expect(regress.hints).toEqual(["set task: regress(outputs: 1)"]);
    // Float labels that are whole numbers classify when asked to.
    writeFileSync(join(dir, "yc.npy"), npyBytes("<f4", [3], [0, 1, 2]));
    expect(check('npy(x: "x.npy", y: "yc.npy", task: classify)', "[2]", "classify(classes: 3)").codes).toEqual([]);
    expect(check('npy(x: "x.npy", y: "y.npy", task: classify)', "[2]", "classify(classes: 3)").messages[0]).toContain("label 0 is 0.5, expected a class index");
    const table = check('"bad.csv"', "[1]");
    expect(table.messages[0]).toBe(`${join(dir, "bad.csv")}:1: a table needs the column to predict`);
    expect(check('csv(path: "gone.csv", label: "y")', "[1]").codes).toEqual([]);
  });
});

describe("--data", () => {
  it("parses names, calls and paths as a spec would", () => {
    expect(parseDataArgument("fashion-mnist")).toBe("fashion-mnist");
    expect(parseDataArgument("./idx-u8")).toBe("./idx-u8");
    expect(parseDataArgument('csv(path: "x.csv", label: "y")')).toEqual({ call: "csv", args: { path: "x.csv", label: "y" } });
    expect(parseDataArgument('tsv("x.tsv", target: ["a", "b"])')).toEqual({ call: "tsv", args: { "0": "x.tsv", target: ["a", "b"] } });
    expect(parseDataArgument("copy-memory(T: 5)")).toEqual({ call: "copy-memory", args: { T: 5 } });
    expect(() => parseDataArgument('csv(path: "x.csv",, label: "y")')).toThrow(/--data: .*column/);
  });
});

