import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function simc(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "test/check/simc-cli.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("simc analyze", () => {
  it("iterates the pcDEQ spec's cell on test digits, prints a versioned document and draws the spectrum", () => {
    const dir = mkdtempSync(join(tmpdir(), "simc-analyze-"));
    const plot = join(dir, "spectrum.svg");
    const run = simc("analyze", "specs/mnist/pcdeq.sim", "--samples", "24", "--steps", "12", "--rank", "8", "--backend", "cpu", "--plot", plot, "--json");
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout) as {
      version: number;
      model: string;
      target: string;
      data: { name: string; samples: number };
      spectrum: { dictionary: string; observables: number; eigen: { modulus: number; kept: boolean; residual: number | null }[]; verdict: { case: string; summary: string } };
      lift: unknown[];
    };
    expect(document.version).toBe(1);
    expect(document).toMatchObject({ model: "mnist_pcdeq", target: "deq", data: { name: "mnist", samples: 24 } });
    expect(document.spectrum.dictionary).toBe("state+input:8");
    expect(document.spectrum.eigen).toHaveLength(document.spectrum.observables);
    // The untrained cell is contractive: whatever is kept lies on or inside the unit circle.
    expect(document.spectrum.verdict.case).toBe("ii");
    expect(run.stderr).toContain(document.spectrum.verdict.summary);
    const svg = readFileSync(plot, "utf8");
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("Koopman eigenvalues");
    expect(svg.match(/aria-roledescription="point"/g)?.length ?? 0).toBe(document.spectrum.observables);
  });

  it("reports a run directory without a checkpoint and an unknown dictionary with codes, exit 1", () => {
    const empty = mkdtempSync(join(tmpdir(), "simc-analyze-empty-"));
    const noRun = simc("analyze", empty);
    expect(noRun.code).toBe(1);
    expect(noRun.stderr).toContain(`${empty}: error[SIM8001]: no checkpoint.json here, so no trained weights to analyse`);
    expect(noRun.stderr).toContain("help: train into it first");
    const badDictionary = simc("analyze", "specs/mnist/pcdeq.sim", "--dictionary", "cubic", "--json");
    expect(badDictionary.code).toBe(1);
    expect(badDictionary.stderr).toContain("error[SIM8004]: --dictionary cubic names no dictionary");
    expect(JSON.parse(badDictionary.stdout)).toMatchObject({ ok: false, diagnostics: [{ code: "SIM8004" }] });
  });
});
