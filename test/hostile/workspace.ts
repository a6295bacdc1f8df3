/**
 * A scratch directory of hostile inputs for the CLI tests: a tiny image-regression model (fast
 * to train, no MNIST load), broken specs, files that are not files, and a runner that calls
 * `main(argv)` in process with stdout and stderr captured.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import { vi } from "vitest";
import { main } from "../../cli/main.js";
import type { IRModule } from "../../ir/types.js";
import { serializeIR } from "../../ir/serialize.js";
import { moduleOf, node, param, trainRecord } from "../runtime/ir-fixtures.js";
import { capture } from "../train/capture.js";

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the CLI in this process; nothing reaches the terminal. */
export async function simc(argv: readonly string[]): Promise<Outcome> {
  // Help text and TensorFlow.js's notices go through the console (`capture` restores these spies).
  let consoleOut = "";
  let consoleErr = "";
  const toOut = (...parts: unknown[]) => void (consoleOut += `${parts.join(" ")}\n`);
  const toErr = (...parts: unknown[]) => void (consoleErr += `${parts.join(" ")}\n`);
  vi.spyOn(console, "log").mockImplementation(toOut);
  vi.spyOn(console, "info").mockImplementation(toOut);
  vi.spyOn(console, "warn").mockImplementation(toErr);
  vi.spyOn(console, "error").mockImplementation(toErr);
  const started = performance.now();
  const result = await capture(() => main([...argv]));
  return { code: result.code, stdout: result.stdout + consoleOut, stderr: result.stderr + consoleErr, ms: performance.now() - started };
}

/** The CLI from source in a child process (for inputs that would block this one, and for kills). */
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLI_ENTRY = ["--import", "tsx", join(REPO, "test", "check", "simc-cli.ts")];

export function simcChild(argv: readonly string[], timeoutMs: number): Outcome {
  const started = performance.now();
  const run = spawnSync(process.execPath, [...CLI_ENTRY, ...argv], { cwd: REPO, encoding: "utf8", timeout: timeoutMs, env: { ...process.env, NO_COLOR: "1" } });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr, ms: performance.now() - started };
}

export function spawnSimc(argv: readonly string[]) {
  return spawn(process.execPath, [...CLI_ENTRY, ...argv], { cwd: REPO, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
}

/** Coordinates → colour: input [2], dense(16), `activation`, dense(3); mse on a PNG. */
export function pixelModel(activation = "relu", settings: Partial<NonNullable<IRModule["train"]>> = {}): IRModule {
  const params = [
    param("h.weight", [2, 16], { kind: "torch_default", fanIn: 2 }),
    param("h.bias", [16], { kind: "torch_default", fanIn: 2 }),
    param("out.weight", [16, 3], { kind: "torch_default", fanIn: 16 }),
    param("out.bias", [3], { kind: "torch_default", fanIn: 16 }),
  ];
  const nodes = [
    node("h", "dense", ["input"], [16], {}, ["h.weight", "h.bias"]),
    node("act", "activation", ["h"], [16], { fn: activation }),
    node("out", "dense", ["act"], [3], {}, ["out.weight", "out.bias"]),
  ];
  const module = moduleOf([2], nodes, params, { kind: "regress", outputs: 3 });
  module.model = "pixels";
  module.train = trainRecord(0.01, { data: "picture.png", loss: "mse", batch: 16, epochs: 2, validation: 0, ...settings });
  return module;
}

function writePng(path: string, size: number): void {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = 4 * (y * size + x);
      png.data[i] = (255 * x) / size;
      png.data[i + 1] = (255 * y) / size;
      png.data[i + 2] = ((x * y) % 7) * 36;
      png.data[i + 3] = 255;
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}

export const GOOD_SPEC = `model tiny {
  input: [2]
  task: regress(outputs: 3)
  basis {
    dense(units: 8)
    relu()
  }
  lift: koopman(m: 8, r: 4)
  surrogate {
    dense(units: 8)
  }
  head {
    dense(units: 3)
  }
}
`;

/**
 * Paths of the hostile workspace, created once per test file. The process works inside it, so
 * default outputs (`runs/…`) and relative paths from random command lines land there, not in
 * the repository; `leave()` goes back and removes it.
 */
export function makeWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), "simc-hostile-"));
  const at = (...parts: string[]) => join(dir, ...parts);
  writeFileSync(at("package.json"), "{}\n");
  writePng(at("picture.png"), 16);
  writeFileSync(at("pixels.json"), serializeIR(pixelModel()));
  writeFileSync(at("pixels-tanh.json"), serializeIR(pixelModel("tanh")));
  writeFileSync(at("pixels-sgd.json"), serializeIR(pixelModel("relu", { optimizer: { call: "sgd", args: { lr: 40 } }, epochs: 5 })));
  writeFileSync(at("big-seed.sim"), GOOD_SPEC.replace("\n}\n", "\n  train { data: image(path: \"picture.png\") seed: 5000000000 }\n}\n"));
  writeFileSync(at("good.sim"), GOOD_SPEC);
  writeFileSync(at("latin1.sim"), Buffer.from("model m {\n  // caf\xe9\n}\n", "latin1"));
  writeFileSync(at("binary.sim"), Buffer.from([0x6d, 0x6f, 0x64, 0x0a, 0x00, 0x01, 0x02, 0xff, 0x00]));
  writeFileSync(at("bom.sim"), `\uFEFF${GOOD_SPEC.replace("dense(units: 8)\n    relu()", "dense(units: 8)\n    frobnicate()")}`);
  writeFileSync(at("long-name.sim"), GOOD_SPEC.replace("relu()", `${"x".repeat(5000)}()`));
  writeFileSync(at("long-line.sim"), GOOD_SPEC.replace("relu()", `relu() ${"// ".padEnd(20000, "y")}\n    nope()`));
  writeFileSync(at("empty.sim"), "");
  writeFileSync(
    at("huge.sim"),
    GOOD_SPEC.replace("dense(units: 8)\n    relu()", "dense(units: 1000000000)\n    dense(units: 8)\n    relu()"),
  );
  writeFileSync(at("two-models.sim"), `${GOOD_SPEC}\n${GOOD_SPEC.replace("model tiny", "model other")}`);
  mkdirSync(at("blocks"));
  mkdirSync(at("no-specs"));
  writeFileSync(at("no-specs", "readme.txt"), "nothing here\n");
  writeFileSync(at("blocks", "mlp.sim"), "block mlp(n: int) {\n  dense(units: n)\n}\n");
  writeFileSync(at("blocks", "latin.sim"), Buffer.from("block b() {\n  // \xe9\n  relu()\n}\n", "latin1"));
  writeFileSync(at("blocks", "binary.sim"), Buffer.from([0x00, 0xff, 0x00, 0x10]));
  writeFileSync(at("data.json"), "{}\n");
  const importing = (spec: string) => `import { mlp } from "${spec}"\n${GOOD_SPEC}`;
  writeFileSync(at("import-dir.sim"), importing("./blocks"));
  writeFileSync(at("import-json.sim"), importing("./data.json"));
  writeFileSync(at("import-latin.sim"), importing("./blocks/latin.sim"));
  writeFileSync(at("import-binary.sim"), importing("./blocks/binary.sim"));
  writeFileSync(at("import-loop.sim"), importing("./loop-a.sim"));
  writeFileSync(at("import-fifo.sim"), importing("./pipe.sim"));
  writeFileSync(at("import-missing.sim"), importing("./blocks/nope.sim"));
  writeFileSync(at("uses-mlp.sim"), importing("./blocks/mlp.sim"));
  symlinkSync("loop-b.sim", at("loop-a.sim"));
  symlinkSync("loop-a.sim", at("loop-b.sim"));
  symlinkSync("nowhere.sim", at("dangling.sim"));
  symlinkSync("good.sim", at("link-to-good.sim"));
  spawnSync("mkfifo", [at("pipe.sim")]);
  spawnSync("mkfifo", [at("pipe.json")]);
  writeFileSync(at("readonly.sim"), "model   m {}\n");
  chmodSync(at("readonly.sim"), 0o444);
  writeFileSync(at("readonly.json"), "{}\n");
  chmodSync(at("readonly.json"), 0o444);
  writeFileSync(at("a-file"), "not a directory\n");
  writeFileSync(at("garbage.json"), "{ this is not json");
  const home = process.cwd();
  process.chdir(dir);
  const leave = () => {
    process.chdir(home);
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, at, leave };
}
