import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEval } from "../../cli/commands/eval.js";
import { runRuns } from "../../cli/commands/runs.js";
import { runTrain } from "../../cli/commands/train.js";
import { loadModel } from "../../api/load-model.js";
import { serializeIR } from "../../ir/serialize.js";
import { plainReporter } from "../../runtime/progress.js";
import { capture } from "./capture.js";
import type { StepRecord } from "../../runtime/train/types.js";

/** A small dense SIM (with a DEQ section for `--target deq`) that trains on 64 digits in a second. */
const SPEC = (activation = "relu") => `import { linear_head } from "std/heads";

model tiny {
  input: [28, 28, 1]
  task: classify(classes: 10)
  basis {
    flatten()
    dense(units: 16)
    ${activation}()
  }
  lift: koopman(m: 16, r: 8)
  surrogate {
    dense(units: 16)
    tanh()
  }
  head {
    linear_head(outputs: 10)
  }
  deq {
    solver: anderson(memory: 4, tol: 1e-4, max_iter: 30)
    backward: implicit(tol: 1e-4, max_iter: 30)
  }
  train {
    data: mnist
    batch: 32
    epochs: 2
    limit: 64
  }
}
`;

let dir: string;
let spec: string;
const cwd = process.cwd();

const lines = (path: string) => readFileSync(path, "utf8").trim().split("\n");
const json = <T = Record<string, unknown>>(path: string) => JSON.parse(readFileSync(path, "utf8")) as T;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "simc-runs-"));
  spec = join(dir, "tiny.sim");
  writeFileSync(spec, SPEC());
  // Default run directories are relative to the working directory.
  process.chdir(dir);
});

afterAll(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

describe("run directories", () => {
  it("two runs of one spec leave two directories with their records; simc runs compares them", async () => {
    const first = await capture(() => runTrain(spec, { backend: "cpu" }));
    expect(first.code, first.stderr).toBe(0);
    const second = await capture(() => runTrain(spec, { backend: "cpu", set: "optimizer=adam(lr: 0.01)" }));
    expect(second.code, second.stderr).toBe(0);
    const a = join(dir, "runs", "tiny-sim");
    const b = join(dir, "runs", "tiny-sim-2");
    expect(first.stdout).toContain(`→ ${a}`);
    expect(second.stdout).toContain(`→ ${b}`);

    // What each run directory records.
    const settings = json<{
      settings: { optimizer: { lr: number }; batch: number; seed: number };
      backend: { name: string };
      spec: { sha256: string; copy: string };
    }>(join(b, "settings.json"));
    expect(settings.settings.optimizer.lr).toBe(0.01);
    expect(settings.settings).toMatchObject({ batch: 32, seed: 0 });
    expect(settings.backend.name).toBe("cpu");
    expect(settings.spec.sha256).toBe(createHash("sha256").update(SPEC()).digest("hex"));
    expect(readFileSync(join(b, settings.spec.copy), "utf8")).toBe(SPEC());
    expect(lines(join(b, "metrics.jsonl"))).toHaveLength(2);
    expect(lines(join(b, "metrics.csv"))[0]).toMatch(/^epoch,step,lr,train_loss,train_accuracy,val_loss,val_accuracy/);
    const steps = lines(join(b, "steps.jsonl")).map((l) => JSON.parse(l) as StepRecord);
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4]); // 58 training digits in batches of 32, two epochs
    expect(steps.every((s) => s.loss > 0 && s.lr === 0.01 && s.accuracy !== undefined)).toBe(true);
    expect(lines(join(b, "steps.csv"))).toHaveLength(5);
    const test = json<{ accuracy: number; count: number; epochs: number }>(join(b, "test.json"));
    expect(test.count).toBe(2000);
    expect(test.epochs).toBe(2);
    for (const plot of ["loss.svg", "accuracy.svg", "lr.svg"]) expect(readFileSync(join(b, plot), "utf8")).toMatch(/^<svg/);
    expect(existsSync(join(b, "solver-steps.svg"))).toBe(false); // a SIM solves nothing

    const table = await capture(() => runRuns(join(dir, "runs"), {}));
    expect(table.code).toBe(0);
    const rows = table.stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^run\s+model\s+target\s+optimizer\.lr\s+epochs\s+best validation\s+test\s+time$/);
    expect(rows[2]).toMatch(/^tiny-sim\s+tiny\s+sim\s+0\.001\s+2\/2\s+acc \d+\.\d\d% \(epoch \d\)\s+acc \d+\.\d\d%\s+\d/);
    expect(rows[3]).toMatch(/^tiny-sim-2\s+tiny\s+sim\s+0\.01\s+2\/2/);

    const listed = await capture(() => runRuns(join(dir, "runs"), { json: true }));
    const document = JSON.parse(listed.stdout) as { differing: string[]; runs: { name: string; test: { value: number } }[] };
    expect(document.differing).toEqual(["optimizer.lr"]);
    expect(document.runs.map((r) => r.name)).toEqual(["tiny-sim", "tiny-sim-2"]);
    expect(document.runs[1].test.value).toBeCloseTo(test.accuracy, 10);
  }, 120_000);

  it("eval refuses a spec whose model no longer matches the checkpoint, and accepts the original", async () => {
    const out = join(dir, "evaluated");
    expect((await capture(() => runTrain(spec, { backend: "cpu", epochs: 1, out }))).code).toBe(0);
    const changed = join(dir, "changed.sim");
    writeFileSync(changed, SPEC("sigmoid")); // same parameters, different function
    const refused = await capture(() => runEval(changed, { checkpoint: out, backend: "cpu" }));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `changed.sim does not describe the model the run in ${out} was trained with (node basis.2.relu is gone; node basis.2.sigmoid is new; node lift.B changed)`,
    );
    expect(refused.stderr).toContain(join(out, "spec.sim"));
    const accepted = await capture(() => runEval(spec, { checkpoint: out, backend: "cpu" }));
    expect(accepted.code, accepted.stderr).toBe(0);
  }, 60_000);

  it("an explicit --out holding a run is refused unless resumed or overwritten", async () => {
    const out = join(dir, "explicit");
    expect((await capture(() => runTrain(spec, { backend: "cpu", epochs: 1, out }))).code).toBe(0);
    const again = await capture(() => runTrain(spec, { backend: "cpu", epochs: 1, out }));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`error[SIM6204]: ${out} already holds a run of tiny (sim), 1 epoch trained`);
    expect(again.stderr).toContain("help: pass --resume to continue it, --overwrite to replace it, or choose another --out");
    const replaced = await capture(() => runTrain(spec, { backend: "cpu", epochs: 1, out, overwrite: true, set: "seed=3" }));
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(json<{ settings: { seed: number } }>(join(out, "settings.json")).settings.seed).toBe(3);
    expect(lines(join(out, "metrics.jsonl"))).toHaveLength(1);
  }, 60_000);

  it("records the DEQ's forward and backward solves per step, with absolute residuals", async () => {
    const out = join(dir, "deq");
    const result = await capture(() => runTrain(spec, { backend: "cpu", target: "deq", epochs: 1, out }));
    expect(result.code, result.stderr).toBe(0);
    const steps = lines(join(out, "steps.jsonl")).map((l) => JSON.parse(l) as StepRecord);
    expect(steps).toHaveLength(2);
    for (const s of steps) {
      expect(s.solver!.steps).toBeGreaterThan(0);
      expect(s.solver!.absResidual).toBeGreaterThan(0);
      expect(s.solver!.backward!.steps).toBeGreaterThan(0);
      expect(s.solver!.backward!.relResidual).toBeLessThan(1);
    }
    const epoch = JSON.parse(lines(join(out, "metrics.jsonl"))[0]) as { solver: { maxAbsResidual: number; backward: { calls: number } } };
    expect(epoch.solver.backward.calls).toBe(2);
    expect(epoch.solver.maxAbsResidual).toBe(Math.max(...steps.map((s) => s.solver!.absResidual)));
    expect(result.stdout).toMatch(/solver \d+\.\d steps, [\d.]+% not converged  backward \d+\.\d steps/);
    expect(readFileSync(join(out, "solver-steps.svg"), "utf8")).toContain("backward");
    expect(readFileSync(join(out, "solver-residual.svg"), "utf8")).toContain("backward absolute");
  }, 60_000);
});

describe("train settings from the command line", () => {
  it("--set is checked like the spec, located in the argument; --json prints an error document", async () => {
    const result = await capture(() => runTrain(spec, { backend: "cpu", json: true, set: ["epochs=1", "schedule=cosin(min_lr: 1e-5)"] }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--set schedule:1:10");
    expect(result.stderr).toContain("unknown schedule 'cosin'; did you mean 'cosine'?");
    const document = JSON.parse(result.stdout) as { ok: boolean; diagnostics: { code: string; file: string }[] };
    expect(document.ok).toBe(false);
    expect(document.diagnostics.map((d) => [d.code, d.file])).toEqual([["SIM4021", "--set schedule"]]);

    const bad = await capture(() => runTrain(spec, { backend: "cpu", set: ["batch=-1", "epoch=3"] }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("unknown train setting 'epoch'; did you mean 'epochs'?");
    expect(bad.stderr).toMatch(/batch/);

    const usage = await capture(() => runTrain(spec, { json: true, set: "schedule" }));
    expect(usage.code).toBe(1);
    const usageDocument = JSON.parse(usage.stdout) as { ok: boolean; diagnostics: { code: string; message: string }[] };
    expect(usageDocument.ok).toBe(false);
    expect(usageDocument.diagnostics.map((d) => d.code)).toEqual(["SIM7201"]);
    expect(usage.stderr).toContain("--set expects KEY=VALUE");
  });

  it("a valid --set reaches the run's settings with the defaults the checker fills", async () => {
    const out = join(dir, "cosine");
    const result = await capture(() => runTrain(spec, { backend: "cpu", out, set: ["schedule=cosine(min_lr: 1e-5)", "epochs=1"] }));
    expect(result.code, result.stderr).toBe(0);
    const settings = json<{ settings: { schedule: unknown; epochs: number }; commandLine: Record<string, string> }>(
      join(out, "settings.json"),
    );
    expect(settings.settings.schedule).toEqual({ kind: "cosine", minLr: 1e-5, warmup: 0 });
    expect(settings.settings.epochs).toBe(1);
    expect(settings.commandLine).toEqual({ schedule: "cosine(min_lr: 1e-5)", epochs: "1" });
  }, 60_000);
});

describe("--set on compiled IR", () => {
  it("writes the settings over the IR's train section; the runtime's vocabulary checks them", async () => {
    const loaded = loadModel(spec);
    if (!loaded.ok) throw new Error("the test spec must load");
    const ir = join(dir, "tiny.json");
    writeFileSync(ir, serializeIR(loaded.module));
    const out = join(dir, "from-ir");
    const result = await capture(() => runTrain(ir, { backend: "cpu", out, set: ["schedule=step(gamma: 0.5)", "epochs=1"] }));
    expect(result.code, result.stderr).toBe(0);
    expect(json<{ settings: { schedule: unknown; epochs: number } }>(join(out, "settings.json")).settings).toMatchObject({
      schedule: { kind: "step", every: 1, gamma: 0.5 },
      epochs: 1,
    });
    const wrong = await capture(() => runTrain(ir, { backend: "cpu", json: true, set: "schedule=cosin()" }));
    expect(wrong.code).toBe(1);
    const document = JSON.parse(wrong.stdout) as { diagnostics: { code: string; message: string }[] };
    expect(document.diagnostics.map((d) => d.code)).toEqual(["SIM6302"]);
    expect(document.diagnostics[0].message).toContain("cosin");
  });
});

describe("simc runs without runs", () => {
  it("a missing directory is an error; a directory without runs lists none", async () => {
    const missing = await capture(() => runRuns(join(dir, "nowhere"), {}));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${join(dir, "nowhere")} does not exist`);
    const empty = join(dir, "empty");
    mkdirSync(empty);
    const none = await capture(() => runRuns(empty, {}));
    expect(none.code).toBe(0);
    expect(none.stderr).toContain(`no runs under ${empty}`);
    const listed = await capture(() => runRuns(empty, { json: true }));
    expect(JSON.parse(listed.stdout)).toEqual({ version: 1, root: empty, differing: [], runs: [] });
  });
});

describe("progress without a terminal", () => {
  it("prints a progress line once every N seconds between epoch lines", () => {
    let clock = 0;
    const written: string[] = [];
    const reporter = plainReporter(
      (line) => written.push(line),
      30,
      () => clock,
    );
    reporter.begin({ epochs: 2, startEpoch: 0, stepsPerEpoch: 100 });
    for (let step = 1; step <= 100; step++) {
      clock += 1000; // one second per step
      reporter.step(1, step, 2 / step);
    }
    expect(written).toEqual([
      "epoch 1/2  step 30/100  loss 0.0667  elapsed 30s",
      "epoch 1/2  step 60/100  loss 0.0333  elapsed 1m00s",
      "epoch 1/2  step 90/100  loss 0.0222  elapsed 1m30s",
    ]);
  });
});
