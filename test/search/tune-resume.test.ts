import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { journalOf, simc, simcSync, stop, waitFor } from "./cli-helpers.js";

const SPEC = "test/search/fixtures/tiny.sim";
const dir = mkdtempSync(join(tmpdir(), "simc-tune-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("simc tune, killed and resumed", () => {
  it("finishes every trial exactly once", { timeout: 240_000 }, async () => {
    const out = join(dir, "search");
    const first = simc(["tune", SPEC, "--concurrency", "2", "--out", out, "--backend", "cpu"]);
    try {
      await waitFor(() => (journalOf(out)?.trials ?? []).some((t) => t.status === "finished"), "a finished trial");
    } finally {
      await stop(first, "SIGKILL");
    }
    const before = journalOf(out)!;
    const finishedBefore = before.trials.filter((t) => t.status === "finished");
    expect(finishedBefore.length).toBeGreaterThan(0);
    expect(before.trials.some((t) => t.status !== "finished")).toBe(true);

    const again = simcSync(["tune", SPEC, "--concurrency", "2", "--out", out, "--backend", "cpu"]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already holds a search; pass --resume");

    const resumed = simcSync(["tune", SPEC, "--concurrency", "2", "--out", out, "--backend", "cpu", "--resume", "--json"], 200_000);
    expect(resumed.stderr).not.toContain("internal error");
    expect(resumed.status).toBe(0);
    const document = JSON.parse(resumed.stdout) as { trials: { id: string; status: string; metric: number }[]; best: { spec: string } };
    expect(document.trials.map((t) => t.id).sort()).toEqual(["t000", "t001", "t002"]);
    expect(document.trials.every((t) => t.status === "finished")).toBe(true);

    const after = journalOf(out)!;
    // Each epoch of each trial reached the scheduler once, and each trial ended once.
    const results = after.events.filter((e) => !("end" in e)).map((e) => `${e.trial}@${(e as { epoch: number }).epoch}`);
    expect(new Set(results).size).toBe(results.length);
    expect(results.length).toBe(3 * 2);
    const ends = after.events.filter((e) => "end" in e).map((e) => e.trial);
    expect(ends.sort()).toEqual(["t000", "t001", "t002"]);
    // The trials finished before the kill kept their results and were not trained again.
    for (const t of finishedBefore) {
      const now = after.trials.find((u) => u.id === t.id)!;
      expect(now.results).toEqual(t.results);
      expect(now.outcome).toEqual(t.outcome);
    }
    // The best spec checks clean.
    const checked = simcSync(["check", document.best.spec]);
    expect(checked.status).toBe(0);
  });
});
