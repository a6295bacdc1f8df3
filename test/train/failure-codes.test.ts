/**
 * Every runtime failure `simc train`/`simc eval` can report arrives as a coded diagnostic: the
 * stable code, the message, and with `--json` a document holding it exactly as `simc check
 * --json` holds the checker's.
 */
import { capture } from "./capture.js";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runEval } from "../../cli/commands/eval.js";
import { runTrain } from "../../cli/commands/train.js";
import { checkSource } from "../../compiler/check.js";
import { lowerModel } from "../../compiler/lower/index.js";
import { RUNTIME_CODES } from "../../core/codes/runtime.js";
import { DIAGNOSTIC_CODES } from "../../core/diagnostic-codes.js";
import type { Diagnostic } from "../../core/diagnostic.js";
import { serializeIR } from "../../ir/serialize.js";
import type { IRModule } from "../../ir/types.js";
import { runImplicit } from "../../runtime/deq/implicit.js";
import { resolveTrainConfig } from "../../runtime/train/config.js";
import { digitMlp } from "../runtime/ir-fixtures.js";

let dir: string;

const SPEC = `model tiny {
  input: [28, 28, 1]
  task: classify(classes: 10)
  deq {
    cell: dense(units: 8)
    solver: picard(max_iter: 30, patience: 2)
  }
  head { dense(units: 10) }
  train {
    data: mnist
    epochs: 1
  }
}
`;

function compiled(): IRModule {
  const checked = checkSource(SPEC, join(dir, "tiny.sim"));
  const module = lowerModel(checked.models[0], "deq", { seed: 0 }).module;
  if (!module) throw new Error("fixture did not lower");
  return module;
}

function writeIR(name: string, module: IRModule | string): string {
  const path = join(dir, name);
  writeFileSync(path, typeof module === "string" ? module : serializeIR(module));
  return path;
}


/** Runs a command with --json; it must fail with exit 1 and one diagnostic, returned. */
async function failure(run: () => Promise<number>): Promise<{ diagnostic: Diagnostic; stderr: string }> {
  const result = await capture(run);
  expect(result.code, result.stderr).toBe(1);
  const doc = JSON.parse(result.stdout) as { version: number; ok: boolean; diagnostics: Diagnostic[] };
  expect(doc).toMatchObject({ version: 1, ok: false });
  expect(doc.diagnostics.length).toBeGreaterThan(0);
  return { diagnostic: doc.diagnostics[0], stderr: result.stderr };
}

const quick = { backend: "cpu", limit: 64, json: true };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "simc-failures-"));
  writeFileSync(join(dir, "tiny.sim"), SPEC);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe("runtime failures are coded diagnostics", () => {
  it("every runtime code is in the catalogue", () => {
    for (const code of Object.values(RUNTIME_CODES)) expect(DIAGNOSTIC_CODES[code], code).toBeDefined();
  });

  it("a missing data file: SIM6001 at the file", async () => {
    const missing = join(dir, "nowhere.png");
    const { diagnostic } = await failure(() => runTrain(join(dir, "tiny.sim"), { ...quick, data: missing, out: join(dir, "r1") }));
    expect(diagnostic).toMatchObject({ code: "SIM6001", severity: "error", file: missing, message: "no such file or directory" });
    expect(diagnostic.hint).toContain("give a data set name");
  });

  it("data that does not fit the model: SIM6002", async () => {
    const { diagnostic } = await failure(() => runTrain(join(dir, "tiny.sim"), { ...quick, data: "copy_memory", out: join(dir, "r2") }));
    expect(diagnostic.code).toBe("SIM6002");
    expect(diagnostic.message).toMatch(/shape|input/);
  });

  it("a diverging solver: SIM6101 at the spec's solver line", async () => {
    const module = compiled();
    // W = all ones on a 8-unit state: f multiplies the state's sum by 8 each step.
    module.params.find((p) => p.name === "deq.W")!.init = { kind: "constant", value: 1 };
    const { diagnostic } = await failure(() => runTrain(writeIR("diverge.json", module), { ...quick, out: join(dir, "r3") }));
    expect(diagnostic.code).toBe("SIM6101");
    expect(diagnostic.message).toMatch(/picard failed at step \d+/);
    expect(diagnostic.file).toBe(join(dir, "tiny.sim"));
    expect(diagnostic.loc.line).toBe(5);
  });

  it("a NaN loss: SIM6102 naming the step", async () => {
    const module = digitMlp(8);
    module.train = { data: { call: "mnist", args: {} }, epochs: 1 } as IRModule["train"];
    module.params.find((p) => p.name === "out.weight")!.init = { kind: "constant", value: 3e38 };
    const { diagnostic } = await failure(() => runTrain(writeIR("nan.json", module), { ...quick, out: join(dir, "r4") }));
    expect(diagnostic.code).toBe("SIM6102");
    expect(diagnostic.message).toMatch(/training stopped at epoch 1, step 1/);
    expect(diagnostic.hint).toContain("lower the learning rate");
  });

  it("a corrupt checkpoint: SIM6201", async () => {
    const run = join(dir, "corrupt");
    mkdirSync(run);
    writeFileSync(join(run, "checkpoint.json"), "{ not json");
    const { diagnostic } = await failure(() => runEval(join(dir, "tiny.sim"), { checkpoint: run, backend: "cpu", json: true }));
    expect(diagnostic.code).toBe("SIM6201");
    expect(diagnostic.message).toContain("not a readable checkpoint manifest");
  });

  it("an unknown solver setting in hand-written IR: SIM5104 at its line in the file", async () => {
    const module = compiled();
    const node = module.graph.nodes.find((n) => n.op === "implicit")!;
    (node.attrs.solver as { settings: Record<string, unknown> }).settings.mem = 3;
    const file = writeIR("unknown-setting.json", module);
    const { diagnostic } = await failure(() => runTrain(file, { ...quick, out: join(dir, "r5") }));
    expect(diagnostic).toMatchObject({ code: "SIM5104", file });
    expect(diagnostic.message).toContain('solver picard has no setting "mem"');
  });

  it("an unknown train setting in hand-written IR: SIM5104", async () => {
    const module = compiled();
    (module.train as unknown as Record<string, unknown>).warmup_epochs = 2;
    const { diagnostic } = await failure(() => runTrain(writeIR("unknown-train.json", module), { ...quick, out: join(dir, "r6") }));
    expect(diagnostic.code).toBe("SIM5104");
    expect(diagnostic.message).toContain("train has no setting 'warmup_epochs'");
  });

  it("an unknown backend: SIM6401", async () => {
    const { diagnostic } = await failure(() => runTrain(join(dir, "tiny.sim"), { ...quick, backend: "tpu", out: join(dir, "r7") }));
    expect(diagnostic.code).toBe("SIM6401");
    expect(diagnostic.message).toContain("tpu");
  });

  it("settings refused by the runtime itself (programmatic callers): SIM6301, SIM6302", () => {
    const error = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        return e as { code?: string; message: string };
      }
      throw new Error("expected a failure");
    };
    const attrs = { cell: "dense" as const, cellArgs: { units: 4 }, solver: { name: "picard" as const, settings: { zzz: 1 } }, backward: { mode: "implicit" as const, settings: {} }, stateShape: [4] };
    expect(error(() => runImplicit({ label: "m", attrs, inputs: [], params: {}, training: false }))).toMatchObject({ code: "SIM6301" });
    expect(error(() => resolveTrainConfig({ data: "mnist", optimizer: "rmsprop" }))).toMatchObject({
      code: "SIM6302",
      message: "train.optimizer: unknown optimizer 'rmsprop' (valid: adam, adamw, sgd)",
    });
  });
});

describe("simc train --json reports the resolved settings", () => {
  it("a spec and its compiled IR with the train section's defaults left out train alike", async () => {
    const module = compiled();
    // Only what the spec wrote: every other setting comes from the vocabulary on both paths.
    module.train = { data: { call: "mnist", args: {} }, epochs: 1 } as IRModule["train"];
    const fromIR = await capture(() => runTrain(writeIR("minimal.json", module), { ...quick, out: join(dir, "s1") }));
    const fromSpec = await capture(() => runTrain(join(dir, "tiny.sim"), { ...quick, out: join(dir, "s2") }));
    expect(fromIR.code, fromIR.stderr).toBe(0);
    expect(fromSpec.code, fromSpec.stderr).toBe(0);
    const settings = (text: string) => JSON.parse(text).settings;
    expect(settings(fromIR.stdout)).toEqual(settings(fromSpec.stdout));
    expect(settings(fromSpec.stdout)).toMatchObject({ batch: 128, epochs: 1, loss: "cross_entropy", schedule: { kind: "constant" }, optimizer: { kind: "adam", lr: 1e-3 } });
  });
});
