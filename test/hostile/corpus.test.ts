/**
 * The hostile-input corpus: specs, command lines, data, checkpoints, output paths and encodings
 * that a careless or unlucky user produces. Every case must finish within its time limit, exit
 * 0 or 1 (never 2, the code for simc's own bugs), print no stack trace, and name the expected
 * diagnostic code. They run in process through `main(argv)` (fast); two that would block a
 * process if the defence failed (reading a device, opening a FIFO) also run in a child with a
 * timeout, so the defence itself is proven without risking the test run.
 */
import { chmodSync, copyFileSync, cpSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWorkspace, simc, simcChild, type Outcome } from "./workspace.js";

type Workspace = ReturnType<typeof makeWorkspace>;

interface Case {
  name: string;
  argv: (w: Workspace) => string[];
  exit: 0 | 1;
  /** A diagnostic code the output must name. */
  code?: string;
  /** More assertions on the outcome and the files left behind. */
  then?: (o: Outcome, w: Workspace) => void;
  /** Run in a child process (the input would block this one if the defence failed). */
  child?: boolean;
  /** Per-case limit in milliseconds. */
  limit?: number;
}

let w: Workspace;
const cpu = ["--backend", "cpu"];
const unchanged = (path: string, text: string) => expect(readFileSync(path, "utf8")).toBe(text);

/** Float32 NaN in every parameter of a copy of the trained run. */
function poisonWeights(run: string): void {
  const manifest = JSON.parse(readFileSync(`${run}/checkpoint.json`, "utf8")) as { weights: string };
  const bytes = readFileSync(`${run}/${manifest.weights}`);
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  floats[3] = Number.NaN;
  writeFileSync(`${run}/${manifest.weights}`, new Uint8Array(floats.buffer));
}

function copyRun(name: string): string {
  const target = w.at(name);
  cpSync(w.at("base-run"), target, { recursive: true });
  rmSync(`${target}/run.lock`, { force: true });
  return target;
}

beforeAll(async () => {
  w = makeWorkspace();
  const base = await simc(["train", w.at("pixels.json"), ...cpu, "--out", w.at("base-run")]);
  expect(base.code, base.stderr).toBe(0);
  poisonWeights(copyRun("nan-run"));
  writeFileSync(`${copyRun("garbled-run")}/checkpoint.json`, "{ not json");
  const missing = copyRun("missing-weights-run");
  const manifest = JSON.parse(readFileSync(`${missing}/checkpoint.json`, "utf8")) as { weights: string };
  rmSync(`${missing}/${manifest.weights}`);
  const truncated = copyRun("truncated-run");
  writeFileSync(`${truncated}/${manifest.weights}`, readFileSync(`${truncated}/${manifest.weights}`).subarray(0, 10));
  copyRun("other-graph-run");
  copyRun("anyway-run");
  mkdirSync(w.at("locked-run"));
  // Held by a live process: this one (pid 1 may be outside this container's view).
  writeFileSync(w.at("locked-run", "run.lock"), JSON.stringify({ pid: process.pid, host: (await import("node:os")).hostname(), command: "simc train", since: "now" }));
  mkdirSync(w.at("stale-run"));
  writeFileSync(w.at("stale-run", "run.lock"), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import("node:os")).hostname(), command: "simc train", since: "then" }));
  mkdirSync(w.at("fifo-manifest-run"));
  symlinkSync(w.at("pipe.json"), w.at("fifo-manifest-run", "checkpoint.json"));
  symlinkSync("loop-out-b", w.at("loop-out-a"));
  symlinkSync("loop-out-a", w.at("loop-out-b"));
  copyFileSync(w.at("good.sim"), w.at("target.sim"));
  symlinkSync("target.sim", w.at("fmt-link.sim"));
  writeFileSync(w.at("unformatted.sim"), "model   m {\n input: [2]\n}\n");
  chmodSync(w.at("unformatted.sim"), 0o640);
  writeFileSync(w.at("bom-unformatted.sim"), "\uFEFFmodel   m {\n input: [2]\n}\n");
  writeFileSync(w.at("json-out.json"), "{}\n");
  writeFileSync(w.at("not-a.png"), "just text\n");
  writeFileSync(w.at("truncated.png"), readFileSync(w.at("picture.png")).subarray(0, 60));
  symlinkSync("json-out.json", w.at("link-out.json"));
}, 60_000);

afterAll(() => w.leave());

const CASES: Case[] = [
  // ── check: files that are not readable text ───────────────────────────────────────────
  { name: "check a missing file", argv: (w) => ["check", w.at("nope.sim")], exit: 1, code: "SIM1001" },
  { name: "check /dev/zero (a device) returns at once", argv: () => ["check", "/dev/zero"], exit: 1, code: "SIM7002", child: true },
  { name: "check /dev/null", argv: () => ["check", "/dev/null"], exit: 1, code: "SIM7002" },
  { name: "check a FIFO", argv: (w) => ["check", w.at("pipe.sim")], exit: 1, code: "SIM7003" },
  { name: "check a symbolic-link loop", argv: (w) => ["check", w.at("loop-a.sim")], exit: 1, code: "SIM7004" },
  { name: "check a dangling link", argv: (w) => ["check", w.at("dangling.sim")], exit: 1, code: "SIM1001", then: (o) => expect(o.stdout).toContain("symbolic link") },
  {
    name: "check Latin-1 text names line, column and byte",
    argv: (w) => ["check", w.at("latin1.sim")],
    exit: 1,
    code: "SIM7005",
    then: (o) => {
      expect(o.stdout).toContain("latin1.sim:2:9:");
      expect(o.stdout).toContain("byte 0xE9 at line 2, column 9");
      expect(o.stdout).not.toContain("U+FFFD");
    },
  },
  { name: "check a binary file", argv: (w) => ["check", w.at("binary.sim")], exit: 1, code: "SIM7006", then: (o) => expect(o.stdout.length).toBeLessThan(2000) },
  {
    name: "check a file with a byte-order mark: columns not shifted",
    argv: (w) => ["check", w.at("bom.sim")],
    exit: 1,
    code: "SIM2001",
    then: (o) => expect(o.stdout).toContain("bom.sim:6:5:"),
  },
  {
    name: "check a 5000-character name: the message is clipped",
    argv: (w) => ["check", w.at("long-name.sim")],
    exit: 1,
    code: "SIM2001",
    then: (o) => {
      expect(o.stdout).toContain("…");
      for (const line of o.stdout.split("\n")) expect(line.length).toBeLessThan(400);
    },
  },
  {
    name: "check a 20000-character line: the frame is clipped",
    argv: (w) => ["check", w.at("long-line.sim")],
    exit: 1,
    code: "SIM2001",
    then: (o) => {
      for (const line of o.stdout.split("\n")) expect(line.length).toBeLessThan(400);
    },
  },
  { name: "check an empty file", argv: (w) => ["check", w.at("empty.sim")], exit: 1, code: "SIM1010" },
  { name: "check a directory with no specs", argv: (w) => ["check", w.at("no-specs")], exit: 0, then: (o) => expect(o.stdout).toContain("0 files") },
  { name: "check through a symlink to a good spec", argv: (w) => ["check", w.at("link-to-good.sim")], exit: 0 },
  { name: "check --json on a binary file", argv: (w) => ["check", "--json", w.at("binary.sim")], exit: 1, code: "SIM7006", then: (o) => expect(JSON.parse(o.stdout).version).toBe(1) },
  // ── imports ───────────────────────────────────────────────────────────────────────────
  { name: "import a directory", argv: (w) => ["check", w.at("import-dir.sim")], exit: 1, code: "SIM7001", then: (o) => expect(o.stdout).toContain("import-dir.sim:1:") },
  { name: "import a JSON file", argv: (w) => ["check", w.at("import-json.sim")], exit: 1, code: "SIM7007" },
  { name: "import Latin-1 text", argv: (w) => ["check", w.at("import-latin.sim")], exit: 1, code: "SIM7005", then: (o) => expect(o.stdout).toContain("import-latin.sim:1:") },
  {
    name: "import a binary file: one error at the import line",
    argv: (w) => ["check", w.at("import-binary.sim")],
    exit: 1,
    code: "SIM7006",
    then: (o) => {
      expect(o.stdout).toContain("import-binary.sim:1:");
      expect(o.stdout.length).toBeLessThan(3000);
    },
  },
  { name: "import a symbolic-link loop", argv: (w) => ["check", w.at("import-loop.sim")], exit: 1, code: "SIM7004", then: (o) => expect(o.stdout).not.toContain("did you mean") },
  { name: "import a FIFO", argv: (w) => ["check", w.at("import-fifo.sim")], exit: 1, code: "SIM7003" },
  { name: "import a missing module", argv: (w) => ["check", w.at("import-missing.sim")], exit: 1, code: "SIM1002" },
  { name: "import a good module (unused import is only a warning)", argv: (w) => ["check", w.at("uses-mlp.sim")], exit: 0 },
  // ── resources ─────────────────────────────────────────────────────────────────────────
  {
    name: "check a 10⁹-unit layer: estimate and warning",
    argv: (w) => ["check", w.at("huge.sim")],
    exit: 0,
    code: "SIM7302",
    then: (o) => expect(o.stdout).toMatch(/memory \(estimate, float32\): parameters \d/),
  },
  {
    name: "check --json carries the memory estimate",
    argv: (w) => ["check", "--json", w.at("good.sim")],
    exit: 0,
    then: (o) => {
      // No frozen parameters or buffers here: the parameter bytes are the trainable count in float32.
      const [model] = JSON.parse(o.stdout).models as { trainableParams: number; memory: { parameters: number; activationsPerExample: number } }[];
      expect(model.memory.parameters).toBe(4 * model.trainableParams);
      expect(model.memory.activationsPerExample).toBeGreaterThan(4 * (2 + 8 + 3));
    },
  },
  { name: "check prints the memory estimate of a small model", argv: (w) => ["check", w.at("good.sim")], exit: 0, then: (o) => expect(o.stdout).toContain("memory (estimate, float32)") },
  { name: "train a 10⁹-unit layer is refused before allocation", argv: (w) => ["train", w.at("huge.sim"), ...cpu, "--data", w.at("picture.png"), "--out", w.at("huge-run")], exit: 1, code: "SIM7301", limit: 15_000 },
  { name: "train over a 1 KB budget", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--memory", "1KB", "--out", w.at("budget-run")], exit: 1, code: "SIM7301", then: (o) => expect(o.stderr).toContain("--memory") },
  { name: "eval over a 1 KB budget", argv: (w) => ["eval", w.at("pixels.json"), ...cpu, "--checkpoint", w.at("base-run"), "--memory", "1KB"], exit: 1, code: "SIM7301" },
  { name: "--memory 0", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--memory", "0"], exit: 1, code: "SIM7201" },
  { name: "--memory lots", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--memory", "lots"], exit: 1, code: "SIM7201" },
  { name: "--memory -5GB", argv: (w) => ["eval", w.at("pixels.json"), "--checkpoint", w.at("base-run"), "--memory", "-5GB"], exit: 1, code: "SIM7201" },
  // ── compile outputs ───────────────────────────────────────────────────────────────────
  {
    name: "compile -o the spec itself leaves the spec alone",
    argv: (w) => ["compile", w.at("good.sim"), "-o", w.at("good.sim")],
    exit: 1,
    code: "SIM7101",
    then: (_, w) => unchanged(w.at("good.sim"), readFileSync(w.at("target.sim"), "utf8")),
  },
  { name: "compile -o a symlink to the spec", argv: (w) => ["compile", w.at("good.sim"), "-o", w.at("link-to-good.sim")], exit: 1, code: "SIM7101" },
  { name: "compile -o an imported module", argv: (w) => ["compile", w.at("uses-mlp.sim"), "-o", w.at("blocks", "mlp.sim")], exit: 1, code: "SIM7101" },
  { name: "compile -o a directory", argv: (w) => ["compile", w.at("good.sim"), "-o", w.at("blocks")], exit: 1, code: "SIM7102" },
  { name: "compile -o below a file", argv: (w) => ["compile", w.at("good.sim"), "-o", w.at("a-file", "x.json")], exit: 1, code: "SIM7102" },
  { name: "compile -o under /proc does not loop", argv: (w) => ["compile", w.at("good.sim"), "-o", "/proc/simc-x/y.json"], exit: 1, code: "SIM7103" },
  { name: "compile -o a device", argv: (w) => ["compile", w.at("good.sim"), "-o", "/dev/null"], exit: 1, code: "SIM7102" },
  { name: "compile -o a read-only file", argv: (w) => ["compile", w.at("good.sim"), "-o", w.at("readonly.json")], exit: 1, code: "SIM7103", then: (_, w) => unchanged(w.at("readonly.json"), "{}\n") },
  { name: "compile -o a symbolic-link loop", argv: (w) => ["compile", w.at("good.sim"), "-o", w.at("loop-out-a")], exit: 1, code: "SIM7004" },
  {
    name: "compile -o a symlink writes through it",
    argv: (w) => ["compile", w.at("good.sim"), "-o", w.at("link-out.json")],
    exit: 0,
    then: (_, w) => {
      expect(lstatSync(w.at("link-out.json")).isSymbolicLink()).toBe(true);
      expect(readlinkSync(w.at("link-out.json"))).toBe("json-out.json");
      expect(JSON.parse(readFileSync(w.at("json-out.json"), "utf8")).model).toBe("tiny");
    },
  },
  { name: "compile -o without a value", argv: (w) => ["compile", w.at("good.sim"), "-o"], exit: 1, code: "SIM7204" },
  { name: "compile --seed -1", argv: (w) => ["compile", w.at("good.sim"), "--seed", "-1"], exit: 1, code: "SIM7201", then: (o) => expect(o.stderr).toContain("got '-1'") },
  { name: "compile --seed 2³²", argv: (w) => ["compile", w.at("good.sim"), "--seed", "4294967296"], exit: 1, code: "SIM7201" },
  { name: "compile --seed 1.5", argv: (w) => ["compile", w.at("good.sim"), "--seed", "1.5"], exit: 1, code: "SIM7201" },
  { name: "compile --seed twice", argv: (w) => ["compile", w.at("good.sim"), "--seed", "1", "--seed", "2"], exit: 1, code: "SIM7202", then: (o) => expect(o.stderr).not.toContain("1,2") },
  { name: "compile --target gpu", argv: (w) => ["compile", w.at("good.sim"), "--target", "gpu"], exit: 1, code: "SIM7201" },
  { name: "compile --model nope", argv: (w) => ["compile", w.at("good.sim"), "--model", "nope"], exit: 1, code: "SIM7205" },
  { name: "compile a two-model file without --model", argv: (w) => ["compile", w.at("two-models.sim")], exit: 1, code: "SIM7205" },
  { name: "compile a missing file", argv: (w) => ["compile", w.at("nope.sim")], exit: 1, code: "SIM1001" },
  { name: "compile Latin-1 text", argv: (w) => ["compile", w.at("latin1.sim")], exit: 1, code: "SIM7005" },
  { name: "compile a device", argv: () => ["compile", "/dev/null"], exit: 1, code: "SIM7002" },
  { name: "compile a directory", argv: (w) => ["compile", w.at("blocks")], exit: 1, code: "SIM7001" },
  // ── fmt ───────────────────────────────────────────────────────────────────────────────
  {
    name: "fmt --write on Latin-1 text keeps every byte",
    argv: (w) => ["fmt", "--write", w.at("latin1.sim")],
    exit: 1,
    code: "SIM7005",
    then: (_, w) => expect(readFileSync(w.at("latin1.sim"))).toEqual(Buffer.from("model m {\n  // caf\xe9\n}\n", "latin1")),
  },
  {
    name: "fmt --write on a read-only file leaves it read-only and unchanged",
    argv: (w) => ["fmt", "--write", w.at("readonly.sim")],
    exit: 1,
    code: "SIM7103",
    then: (_, w) => {
      unchanged(w.at("readonly.sim"), "model   m {}\n");
      expect(statSync(w.at("readonly.sim")).mode & 0o777).toBe(0o444);
    },
  },
  {
    name: "fmt --write through a symlink keeps the link",
    argv: (w) => ["fmt", "--write", w.at("fmt-link.sim")],
    exit: 0,
    then: (_, w) => expect(lstatSync(w.at("fmt-link.sim")).isSymbolicLink()).toBe(true),
  },
  {
    name: "fmt --write keeps the file's permissions",
    argv: (w) => ["fmt", "--write", w.at("unformatted.sim")],
    exit: 0,
    then: (_, w) => {
      expect(statSync(w.at("unformatted.sim")).mode & 0o777).toBe(0o640);
      expect(readFileSync(w.at("unformatted.sim"), "utf8")).toContain("model m {");
    },
  },
  {
    name: "fmt --write keeps a byte-order mark",
    argv: (w) => ["fmt", "--write", w.at("bom-unformatted.sim")],
    exit: 0,
    then: (_, w) => expect(readFileSync(w.at("bom-unformatted.sim"), "utf8").startsWith("\uFEFFmodel m {")).toBe(true),
  },
  { name: "fmt --check --write", argv: (w) => ["fmt", "--check", "--write", w.at("good.sim")], exit: 1, code: "SIM7204" },
  { name: "fmt without paths", argv: () => ["fmt"], exit: 1, code: "SIM7204" },
  { name: "fmt a FIFO", argv: (w) => ["fmt", w.at("pipe.sim")], exit: 1, code: "SIM7003" },
  { name: "fmt a symbolic-link loop", argv: (w) => ["fmt", w.at("loop-a.sim")], exit: 1, code: "SIM7004" },
  { name: "fmt a missing file", argv: (w) => ["fmt", w.at("nope.sim")], exit: 1, code: "SIM7009" },
  { name: "fmt a binary file", argv: (w) => ["fmt", w.at("binary.sim")], exit: 1, code: "SIM7006" },
  { name: "fmt a device", argv: () => ["fmt", "/dev/zero"], exit: 1, code: "SIM7002" },
  // ── lint, doc ─────────────────────────────────────────────────────────────────────────
  { name: "lint a missing path", argv: (w) => ["lint", w.at("nope")], exit: 1, code: "SIM7009" },
  { name: "lint a FIFO", argv: (w) => ["lint", w.at("pipe.sim")], exit: 1, code: "SIM7003" },
  { name: "lint a device", argv: () => ["lint", "/dev/zero"], exit: 1, code: "SIM7002" },
  { name: "lint without paths", argv: () => ["lint"], exit: 1, code: "SIM7204" },
  { name: "lint a directory without specs", argv: (w) => ["lint", w.at("no-specs")], exit: 1, code: "SIM7009" },
  { name: "lint Latin-1 text", argv: (w) => ["lint", w.at("latin1.sim")], exit: 1, code: "SIM7005" },
  { name: "doc of an unknown module", argv: () => ["doc", "std/nope"], exit: 1, code: "SIM7203" },
  { name: "doc --json twice", argv: () => ["doc", "--json", "--json"], exit: 1, code: "SIM7202" },
  // ── the command line itself ───────────────────────────────────────────────────────────
  { name: "no arguments", argv: () => [], exit: 1 },
  { name: "an unknown command", argv: () => ["trian", "x.sim"], exit: 1, code: "SIM7203" },
  { name: "an unknown option", argv: (w) => ["check", "--frobnicate", w.at("good.sim")], exit: 1, code: "SIM7203" },
  { name: "check --json twice", argv: (w) => ["check", "--json", "--json", w.at("good.sim")], exit: 1, code: "SIM7202" },
  { name: "check with no files", argv: () => ["check"], exit: 1, code: "SIM7204" },
  { name: "--help", argv: () => ["--help"], exit: 0 },
  { name: "--version", argv: () => ["--version"], exit: 0 },
  { name: "train without a file", argv: () => ["train"], exit: 1, code: "SIM7204" },
  { name: "train --epochs without a value", argv: (w) => ["train", w.at("pixels.json"), "--epochs"], exit: 1, code: "SIM7204" },
  // ── train flags: one rule ─────────────────────────────────────────────────────────────
  { name: "--limit 0", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--limit", "0"], exit: 1, code: "SIM7201", then: (o) => expect(o.stderr).toContain("leave --limit out") },
  { name: "--limit -1 reaches the validator", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--limit", "-1"], exit: 1, code: "SIM7201", then: (o) => expect(o.stderr).toContain("got '-1'") },
  { name: "--limit=-1", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--limit=-1"], exit: 1, code: "SIM7201" },
  { name: "--epochs 0", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--epochs", "0"], exit: 1, code: "SIM7201" },
  { name: "--epochs -3", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--epochs", "-3"], exit: 1, code: "SIM7201" },
  { name: "--epochs 1.5", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--epochs", "1.5"], exit: 1, code: "SIM7201" },
  { name: "--epochs abc", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--epochs", "abc"], exit: 1, code: "SIM7201" },
  { name: "--epochs 1e999", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--epochs", "1e999"], exit: 1, code: "SIM7201" },
  { name: "--batch -1", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--batch", "-1"], exit: 1, code: "SIM7201" },
  { name: "--seed 2³²", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--seed", "4294967296"], exit: 1, code: "SIM7201", then: (o) => expect(o.stderr).toContain("32-bit") },
  { name: "--seed -5", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--seed", "-5"], exit: 1, code: "SIM7201" },
  { name: "--seed twice", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--seed", "1", "--seed", "2"], exit: 1, code: "SIM7202" },
  { name: "--lr 0", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--lr", "0"], exit: 1, code: "SIM7201" },
  { name: "--lr -0.1", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--lr", "-0.1"], exit: 1, code: "SIM7201" },
  { name: "--lr NaN", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--lr", "NaN"], exit: 1, code: "SIM7201" },
  { name: "--lr -inf", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--lr", "-inf"], exit: 1, code: "SIM7201" },
  { name: "--target gpu", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--target", "gpu"], exit: 1, code: "SIM7201" },
  { name: "--backend nosuch", argv: (w) => ["train", w.at("pixels.json"), "--backend", "nosuch"], exit: 1, code: "SIM6401" },
  { name: "--limit 12abc", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--limit", "12abc"], exit: 1, code: "SIM7201" },
  // ── train outputs: checked before any work ────────────────────────────────────────────
  { name: "--out names a file", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--out", w.at("a-file")], exit: 1, code: "SIM7102", then: (o) => expect(o.stdout).not.toContain("epoch") },
  { name: "--out below a file", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--out", w.at("a-file", "run")], exit: 1, code: "SIM7102" },
  { name: "--out under /proc", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--out", "/proc/simc-x"], exit: 1, code: "SIM7103" },
  { name: "--out a symbolic-link loop", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--out", w.at("loop-out-a")], exit: 1, code: "SIM7004" },
  {
    name: "--out a directory a live run holds",
    argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--out", w.at("locked-run")],
    exit: 1,
    code: "SIM7104",
    then: (o) => expect(o.stderr).toContain(`process ${process.pid}`),
  },
  { name: "--out a directory a dead run left locked", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--epochs", "1", "--out", w.at("stale-run")], exit: 0 },
  // ── train inputs ──────────────────────────────────────────────────────────────────────
  { name: "train a missing spec", argv: (w) => ["train", w.at("nope.sim"), ...cpu], exit: 1, code: "SIM1001" },
  { name: "train a FIFO as IR", argv: (w) => ["train", w.at("pipe.json"), ...cpu], exit: 1, code: "SIM7003", child: true },
  { name: "train a binary IR file", argv: (w) => ["train", w.at("binary.sim").replace(/\.sim$/, ".sim"), ...cpu], exit: 1, code: "SIM7006" },
  { name: "train garbage JSON", argv: (w) => ["train", w.at("garbage.json"), ...cpu], exit: 1, code: "SIM5" },
  { name: "train a directory", argv: (w) => ["train", w.at("blocks"), ...cpu], exit: 1, code: "SIM7001" },
  { name: "--data that does not exist", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--data", w.at("nope.png")], exit: 1, code: "SIM600" },
  { name: "--data a device", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--data", "/dev/zero"], exit: 1, code: "SIM600" },
  { name: "--data a text file named .png", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--data", w.at("not-a.png")], exit: 1, code: "SIM6001" },
  { name: "--data a truncated PNG", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--data", w.at("truncated.png")], exit: 1, code: "SIM6001" },
  { name: "--data a directory with nothing known in it", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--data", w.at("no-specs")], exit: 1, code: "SIM6001" },
  { name: "--data that does not fit the model", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--data", "copy_memory(T: 5, train: 10, test: 10)"], exit: 1, code: "SIM600" },
  {
    name: "a run that diverges stops with a code",
    argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--lr", "1e12", "--epochs", "3", "--out", w.at("diverged-run")],
    exit: 1,
    code: "SIM610",
    then: (o) => expect(o.stderr).toMatch(/error\[SIM610[23]\]: training stopped at epoch/),
  },
  {
    name: "a loss that grows without becoming Inf stops at the bound",
    argv: (w) => ["train", w.at("pixels-sgd.json"), ...cpu, "--out", w.at("grown-run")],
    exit: 1,
    code: "SIM6103",
    then: (o) => expect(o.stderr).toMatch(/the loss grew to [\d.e+]+, past the divergence bound/),
  },
  { name: "a spec seed of 5·10⁹ (past the 32-bit generator)", argv: (w) => ["check", w.at("big-seed.sim")], exit: 1, code: "SIM2011" },
  // ── checkpoints ───────────────────────────────────────────────────────────────────────
  { name: "--resume NaN weights", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--resume", "--epochs", "3", "--out", w.at("nan-run")], exit: 1, code: "SIM6202", then: (o) => expect(o.stderr).not.toContain("learning rate") },
  { name: "eval NaN weights", argv: (w) => ["eval", w.at("pixels.json"), ...cpu, "--checkpoint", w.at("nan-run")], exit: 1, code: "SIM6202", then: (o) => expect(o.stdout).not.toContain("loss NaN") },
  { name: "--resume a garbled manifest", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--resume", "--out", w.at("garbled-run")], exit: 1, code: "SIM6201" },
  { name: "--resume with the weights file gone", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--resume", "--out", w.at("missing-weights-run")], exit: 1, code: "SIM6201" },
  { name: "--resume a truncated weights file", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--resume", "--out", w.at("truncated-run")], exit: 1, code: "SIM6201" },
  {
    name: "--resume a different graph with the same shapes",
    argv: (w) => ["train", w.at("pixels-tanh.json"), ...cpu, "--resume", "--out", w.at("other-graph-run")],
    exit: 1,
    code: "SIM6203",
    then: (o) => expect(o.stderr).toContain("--resume-anyway"),
  },
  { name: "--resume-anyway a different graph", argv: (w) => ["train", w.at("pixels-tanh.json"), ...cpu, "--resume-anyway", "--out", w.at("anyway-run")], exit: 0, then: (o) => expect(o.stdout).toContain("resuming anyway") },
  { name: "--resume the same graph", argv: (w) => ["train", w.at("pixels.json"), ...cpu, "--resume", "--out", w.at("base-run")], exit: 0 },
  { name: "eval without --checkpoint", argv: (w) => ["eval", w.at("pixels.json"), ...cpu], exit: 1, code: "SIM7204" },
  { name: "eval a missing run directory", argv: (w) => ["eval", w.at("pixels.json"), ...cpu, "--checkpoint", w.at("no-run")], exit: 1, code: "SIM6201" },
  { name: "eval a file as run directory", argv: (w) => ["eval", w.at("pixels.json"), ...cpu, "--checkpoint", w.at("a-file")], exit: 1, code: "SIM6201" },
  { name: "eval a manifest that is a FIFO", argv: (w) => ["eval", w.at("pixels.json"), ...cpu, "--checkpoint", w.at("fifo-manifest-run")], exit: 1, code: "SIM7003" },
  { name: "eval --checkpoint twice", argv: (w) => ["eval", w.at("pixels.json"), "--checkpoint", "a", "--checkpoint", "b"], exit: 1, code: "SIM7202" },
  { name: "eval a good run", argv: (w) => ["eval", w.at("pixels.json"), ...cpu, "--checkpoint", w.at("base-run")], exit: 0, then: (o) => expect(o.stdout).toMatch(/PSNR \d/) },
];

describe("hostile input", () => {
  it("has at least 100 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    const limit = c.limit ?? (c.child ? 30_000 : 10_000);
    it(c.name, async () => {
      const outcome = c.child ? simcChild(c.argv(w), limit) : await simc(c.argv(w));
      const output = outcome.stdout + outcome.stderr;
      expect(outcome.code, output).toBe(c.exit);
      expect(outcome.ms).toBeLessThan(limit);
      expect(output).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
      expect(output).not.toContain("internal error");
      if (c.code) expect(output).toContain(c.code);
      c.then?.(outcome, w);
    }, limit + 5_000);
  }
});
