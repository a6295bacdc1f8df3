import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooseRunDir, RunDirError, seriesMembers } from "../../runtime/run-dir.js";

let root: string;
let base: string;

/** Makes `dir` look like a finished run (its settings file) plus a file that is not the run's. */
function fakeRun(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "settings.json"), "{}");
  writeFileSync(join(dir, "metrics.jsonl"), "");
  writeFileSync(join(dir, "weights-0003.bin"), "");
  writeFileSync(join(dir, "notes.txt"), "mine");
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "simc-run-dir-"));
  base = join(root, "runs", "m-sim");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("choosing a run directory", () => {
  it("numbers new runs after the highest existing one and claims each directory once", () => {
    const pick = () => chooseRunDir({ base, resume: false, overwrite: false }).dir;
    expect(pick()).toBe(base); // claimed (created) even before the run writes into it
    fakeRun(base);
    expect(pick()).toBe(`${base}-2`);
    expect(pick()).toBe(`${base}-3`); // -2 was claimed by the previous call
    fakeRun(join(root, "runs", "m-sim-7"));
    expect(pick()).toBe(`${base}-8`);
    expect(seriesMembers(base).map((m) => m.number)).toEqual([1, 2, 3, 7, 8]);
    // Another model's series and look-alike names are not members.
    mkdirSync(join(root, "runs", "m-sim-x"));
    mkdirSync(join(root, "runs", "m-simple"));
    expect(seriesMembers(base).map((m) => m.number)).toEqual([1, 2, 3, 7, 8]);
  });

  it("--resume without --out continues the latest run of the series", () => {
    fakeRun(base);
    fakeRun(`${base}-2`);
    mkdirSync(`${base}-3`); // claimed but empty: not a run
    expect(chooseRunDir({ base, resume: true, overwrite: false }).dir).toBe(`${base}-2`);
  });

  it("refuses an explicit directory holding a run, and --overwrite removes only the run's files", () => {
    const out = join(root, "mine");
    fakeRun(out);
    expect(() => chooseRunDir({ out, base, resume: false, overwrite: false })).toThrow(RunDirError);
    expect(() => chooseRunDir({ out, base, resume: false, overwrite: false })).toThrow(`${out} already holds a run`);
    expect(chooseRunDir({ out, base, resume: true, overwrite: false })).toEqual({ dir: out, replaced: false });
    expect(chooseRunDir({ out, base, resume: false, overwrite: true })).toEqual({ dir: out, replaced: true });
    expect(readdirSync(out)).toEqual(["notes.txt"]);
  });
});
