import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
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

interface CheckJson {
  version: number;
  files: string[];
  models: { name: string; file: string; variant: string; defaultTarget: string; trainableParams: number; frozenParams: number; targets: Record<string, unknown>; layers: { part: string; trainable: number }[] }[];
  diagnostics: { code: string; file: string; loc: { line: number; column: number } }[];
}

describe("simc check", () => {
  it("--json prints only a versioned document with every spec's exact counts, exit 0", () => {
    const run = simc("check", "--json", "specs/mnist/sim-single.sim", "specs/mnist/sim-two.sim", "specs/copy-memory", "specs/cifar10/sim-single.sim");
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as CheckJson;
    expect(doc.version).toBe(1);
    expect(doc.files).toEqual([
      "specs/mnist/sim-single.sim",
      "specs/mnist/sim-two.sim",
      "specs/copy-memory/deq.sim",
      "specs/copy-memory/sim-single.sim",
      "specs/copy-memory/sim-two.sim",
      "specs/cifar10/sim-single.sim",
    ]);
    expect(doc.diagnostics).toEqual([]);
    expect(doc.models.map((m) => [m.name, m.trainableParams, m.frozenParams])).toEqual([
      ["mnist_sim_single", 81_480, 0],
      ["mnist_sim_two", 80_466, 2_600],
      ["copy_memory_deq", 18_318, 0],
      ["copy_memory_sim_single", 17_294, 0],
      ["copy_memory_sim_two", 17_294, 512],
      ["cifar10_sim_single", 168_694, 0],
    ]);
    const first = doc.models[0];
    expect(first).toMatchObject({ file: "specs/mnist/sim-single.sim", variant: "single", defaultTarget: "sim", targets: { sim: { trainable: 81_480, frozen: 0 } } });
    // The layer rows of the default target's parts add up to its total.
    const simParts = first.layers.filter((l) => l.part !== "deq").reduce((sum, l) => sum + l.trainable, 0);
    expect(simParts).toBe(81_480);
  });

  it("prints code frames and exits 1 for problems in the input", () => {
    const run = simc("check", "test/fixtures/bad/dense-on-image.sim");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "test/fixtures/bad/dense-on-image.sim:7:5: error[SIM3001]: dense expects a vector [n] or a sequence [length, n], got [28, 28, 8]",
    );
    expect(run.stdout).toContain("  7 |     dense(units: 50)\n    |     ^^^^^^^^^^^^^^^^\n  help: add flatten() before it");
    expect(run.stdout).toContain("1 file, 0 models: 1 error");
    expect(run.stdout).not.toMatch(/\u001b\[/);
    expect(run.stderr).toBe("");
  });

  it("exits 1 (the user's input) without files, or for a path it cannot read, without a stack trace", () => {
    const none = simc("check");
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no files given");
    const missing = simc("check", "--json", "no/such/file.sim");
    expect(missing.code).toBe(1);
    const doc = JSON.parse(missing.stdout) as CheckJson;
    expect(doc.diagnostics.map((d) => `${d.code} ${d.file}`)).toEqual(["SIM1001 no/such/file.sim"]);
    for (const run of [none, missing]) expect(run.stderr + run.stdout).not.toMatch(/\n\s+at /);
  });

  it("prints a summary table grouped by part, and exits 0 with warnings only", () => {
    const dir = mkdtempSync(join(tmpdir(), "simc-check-"));
    const file = join(dir, "warn.sim");
    writeFileSync(file, "model w {\n  input: [4]\n  task: regress(outputs: 2)\n  deq { cell: dense(units: 3) }\n}\n");
    const run = simc("check", file);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("warning[SIM4026]");
    expect(run.stdout).toContain("model w — DEQ");
    // U [4, 3] + b [3] + W [3, 3], then the default head dense 3 → 2
    expect(run.stdout).toMatch(/DEQ cell\s+cell dense \(3 units\)\s+\[3\]\s+24\nhead g\s+dense\s+\[2\]\s+8\n/);
    expect(run.stdout).toContain("deq target (default): 32 trainable, 0 frozen");
  });
});
