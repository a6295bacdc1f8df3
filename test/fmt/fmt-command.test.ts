import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runFmt } from "../../cli/commands/fmt.js";

const formatted = "model m {\n  input: [2]\n}\n";
const unformatted = "model   m{input:[2]}";
const broken = "model m {\n  input: [2\n}\n";

let dir: string;
let stdout: string;
let stderr: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "simc-fmt-"));
  stdout = "";
  stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe("simc fmt", () => {
  it("prints the formatted text by default and leaves the file alone", async () => {
    const path = file("a.sim", unformatted);
    expect(await runFmt([path], {})).toBe(0);
    expect(stdout).toBe(formatted);
    expect(readFileSync(path, "utf8")).toBe(unformatted);
  });

  it("--check lists unformatted files and exits 1", async () => {
    const good = file("good.sim", formatted);
    const bad = file("nested/bad.sim", unformatted);
    expect(await runFmt([dir], { check: true })).toBe(1);
    expect(stdout).toBe(`${bad}\n`);
    expect(stderr).toBe("1 file is not formatted; run 'simc fmt --write' on it\n");
    expect(readFileSync(bad, "utf8")).toBe(unformatted);
    expect(readFileSync(good, "utf8")).toBe(formatted);
  });

  it("--check exits 0 when everything is formatted", async () => {
    file("good.sim", formatted);
    expect(await runFmt([dir], { check: true })).toBe(0);
    expect(stdout).toBe("");
  });

  it("--write rewrites only changed files, atomically, and lists them", async () => {
    const good = file("good.sim", formatted);
    const bad = file("bad.sim", unformatted);
    expect(await runFmt([dir], { write: true })).toBe(0);
    expect(readFileSync(bad, "utf8")).toBe(formatted);
    expect(readFileSync(good, "utf8")).toBe(formatted);
    expect(stdout).toBe(`${bad}\n`);
    expect(readdirSync(dir).sort()).toEqual(["bad.sim", "good.sim"]);
  });

  it("recurses into directories for *.sim only, skipping node_modules and dot-folders", async () => {
    file("x/one.sim", unformatted);
    file("x/notes.txt", unformatted);
    file("x/node_modules/dep.sim", unformatted);
    file("x/.cache/c.sim", unformatted);
    expect(await runFmt([join(dir, "x")], { check: true })).toBe(1);
    expect(stdout).toBe(`${join(dir, "x", "one.sim")}\n`);
  });

  it("reports syntax errors as file:line:col diagnostics, exits 1, and still formats the other files", async () => {
    const bad = file("a-broken.sim", broken);
    const other = file("b-other.sim", unformatted);
    expect(await runFmt([dir], { write: true })).toBe(1);
    const [first] = stderr.split("\n");
    expect(first.startsWith(`${bad}:3:1: error`)).toBe(true);
    expect(first).toContain("SIM0006");
    expect(first).toContain("expected ']' to close the list (opened at 2:10), found '}'");
    expect(stderr).toContain("help: add ']'");
    expect(readFileSync(bad, "utf8")).toBe(broken);
    expect(readFileSync(other, "utf8")).toBe(formatted);
  });

  it("exits 1 for a missing path and for conflicting or missing arguments", async () => {
    expect(await runFmt([join(dir, "nope.sim")], {})).toBe(1);
    expect(stderr).toContain("cannot read");
    expect(stderr).toContain("no such file or directory");
    expect(await runFmt([dir], { check: true, write: true })).toBe(1);
    expect(await runFmt([], {})).toBe(1);
  });

  it("applies a .prettierrc found next to the files", async () => {
    file(".prettierrc", JSON.stringify({ tabWidth: 4 }));
    const path = file("a.sim", unformatted);
    expect(await runFmt([path], {})).toBe(0);
    expect(stdout).toBe("model m {\n    input: [2]\n}\n");
  });
});
