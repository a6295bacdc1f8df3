import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runTune } from "../../cli/commands/tune.js";
import { capture } from "../train/capture.js";

const dir = mkdtempSync(join(tmpdir(), "simc-tune-input-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `simc tune` in this process, capturing what it writes. */
async function tune(file: string, options: Record<string, unknown>): Promise<{ code: number; stderr: string }> {
  return capture(() => runTune(file, { out: join(dir, "out"), ...options }));
}

describe("simc tune on bad input", () => {
  it("rejects --samples 0 and other bad counts", async () => {
    for (const [flag, value] of [["samples", 0], ["concurrency", -1], ["retrain", 1.5]] as const) {
      const result = await tune("test/search/fixtures/tiny.sim", { [flag]: value });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`--${flag} expects an integer ≥ 1, got '${value}'`);
    }
  });

  it("reports a search over an unknown parameter at its place", async () => {
    const spec = join(dir, "unknown.sim");
    writeFileSync(
      spec,
      `model m(width: int = 8) {
  input: [28, 28, 1]
  task: classify(classes: 10)
  basis {
    flatten()
    dense(units: width)
  }
  lift: koopman(m: width)
  surrogate { dense(units: 8) }
  train { data: mnist }
  search {
    depth: choice(1, 2)
  }
}
`,
    );
    const result = await tune(spec, {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error[SIM4061]");
    expect(result.stderr).toContain("unknown.sim:12:5");
    expect(result.stderr).toContain("the search varies 'depth', which is neither a parameter of model 'm' nor a searchable train setting");
  });

  it("says when the model has no search", async () => {
    const result = await tune("specs/mnist/sim-single.sim", {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error[SIM6503]: model 'mnist_sim_single' has no search section");
  });
});
