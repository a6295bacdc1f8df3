/**
 * Every vocabulary entry, checked twice: by the checker (a spec) and by the runtime (the same
 * settings in hand-written IR). Both must accept and reject exactly the same names, settings and
 * values, and fill in the same defaults.
 */
import type { DataDescription } from "../../vocabulary/data-forms/types.js";
import { describe, expect, it } from "vitest";
import { checkSource } from "../../compiler/check.js";
import type { CheckedModel } from "../../compiler/checked-model.js";
import type { Task, Value } from "../../core/values.js";
import { resolveTrainSection } from "../../ir/train-section.js";
import { bindDataArguments as bindArguments } from "../../vocabulary/data-forms/arguments.js";
import { checkCellSettings } from "../../runtime/deq/cells/params.js";
import { readBackwardSpec, readSolverSpec } from "../../runtime/deq/settings.js";
import { resolveTrainConfig } from "../../runtime/train/config.js";
import { CELL_ENTRIES, type CellFamily } from "../../vocabulary/cell-families.js";
import { DATA_SET_ENTRIES } from "../../vocabulary/data-sets.js";
import type { SettingDef } from "../../vocabulary/settings.js";
import { backwardModeEntries, SOLVER_ENTRIES, solverCellProblem } from "../../vocabulary/solvers.js";
import { OPTIMIZER_ENTRIES, scheduleEntries, TRAIN_SETTINGS } from "../../vocabulary/training.js";

/** A setting value as source text: names bare, strings quoted. */
function literal(value: Value, def?: SettingDef): string {
  if (typeof value === "string") return def?.type.kind === "string" ? JSON.stringify(value) : value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

const args = (settings: Record<string, Value>, defs: readonly SettingDef[] = []) =>
  Object.entries(settings)
    .map(([k, v]) => `${k}: ${literal(v, defs.find((d) => d.name === k))}`)
    .join(", ");

/** Values each type must refuse (out of range, wrong type). */
function invalidValues(def: SettingDef): Value[] {
  const t = def.type;
  switch (t.kind) {
    case "int": {
      const bad: Value[] = [2.5, "\"x\""];
      if (t.min !== undefined) bad.push(t.min - 1);
      if (t.max !== undefined) bad.push(t.max + 1);
      if (t.odd) bad.push(4);
      return bad;
    }
    case "float": {
      const bad: Value[] = ["\"x\""];
      if (t.min !== undefined) bad.push(t.minExclusive ? t.min : t.min - 1);
      if (t.max !== undefined) bad.push(t.maxExclusive ? t.max : t.max + 1);
      return bad;
    }
    case "enum":
      return ["bogus", 3];
    case "number-or":
      return ["bogus", t.number.min !== undefined ? t.number.min - 1 : -1];
    case "bool":
      return [3];
    case "string":
      return [3];
    default:
      return [];
  }
}

/** The value the runtime sees for a probe written as source (`"x"` is the string x). */
const runtimeValue = (v: Value): Value => (typeof v === "string" && v.startsWith('"') ? JSON.parse(v) : v);

function checkerErrors(text: string): { ok: boolean; model?: CheckedModel; messages: string } {
  const result = checkSource(text, "cross.sim");
  // A data set whose examples do not fit this test's model (SIM4023) is beside the point here.
  const errors = result.diagnostics.filter((d) => d.severity === "error" && d.code !== "SIM4023");
  return { ok: errors.length === 0, model: result.models[0], messages: errors.map((d) => `${d.code} ${d.message}`).join("; ") };
}

const accepts = (run: () => unknown) => {
  try {
    run();
    return true;
  } catch {
    return false;
  }
};

/**
 * Both sides refuse every invalid value of every setting, and an unknown setting. `spec` writes
 * settings (over the entry's required ones) as source; `runtime` hands them over as IR values.
 */
function expectSameVerdicts(
  label: string,
  settings: readonly SettingDef[],
  spec: (settings: Record<string, Value>) => string,
  runtime: (settings: Record<string, Value>) => boolean,
  base: Record<string, Value> = {},
): void {
  for (const def of settings) {
    for (const bad of invalidValues(def)) {
      const where = `${label}(${def.name}: ${String(bad)})`;
      expect(checkerErrors(spec({ ...base, [def.name]: bad })).ok, where).toBe(false);
      expect(runtime({ ...base, [def.name]: runtimeValue(bad) }), where).toBe(false);
    }
  }
  expect(checkerErrors(spec({ ...base, zzz: 1 })).ok, `${label}(zzz)`).toBe(false);
  expect(runtime({ ...base, zzz: 1 }), `${label}(zzz)`).toBe(false);
}

// ── DEQ: cells, solvers, backward modes ─────────────────────────────────────────────────────

const CELL_BASE: Record<CellFamily, { input: string; args: Record<string, Value> }> = {
  dense: { input: "[4]", args: { units: 4 } },
  conv: { input: "[4, 4, 1]", args: { channels: 2 } },
  monotone: { input: "[4]", args: { units: 4 } },
  pcdeq: { input: "[4]", args: { units: 4 } },
  linf: { input: "[4]", args: { units: 4 } },
};

function deqSpec(input: string, cell: string, solver = "", backward = ""): string {
  return `model m {
  input: ${input}
  task: classify(classes: 2)
  deq {
    cell: ${cell}
    ${solver ? `solver: ${solver}` : ""}
    ${backward ? `backward: ${backward}` : ""}
  }
  head { flatten() dense(units: 2) }
}
`;
}

/** A cell family every solver can run on with its defaults. */
function cellFor(solver: string): CellFamily {
  return (["dense", "monotone", "linf"] as const).find((c) => !solverCellProblem(solver, c, solver === "averaged" ? "auto" : undefined))!;
}

describe("cells: checker and runtime agree", () => {
  for (const entry of CELL_ENTRIES) {
    const base = CELL_BASE[entry.name];
    const spec = (settings: Record<string, Value>) => deqSpec(base.input, `${entry.name}(${args(settings, entry.settings)})`);
    const runtime = (settings: Record<string, Value>) => accepts(() => checkCellSettings("c", entry.name, settings));

    it(`${entry.name}: same defaults`, () => {
      const checked = checkerErrors(spec(base.args));
      expect(checked.messages).toBe("");
      expect(checkCellSettings("c", entry.name, base.args)).toEqual(checked.model!.deq!.cell!.args);
    });

    it(`${entry.name}: same verdict on every invalid value and on an unknown setting`, () => {
      expectSameVerdicts(entry.name, entry.settings, spec, runtime, base.args);
    });
  }
});

describe("solvers and backward modes: checker and runtime agree", () => {
  for (const entry of SOLVER_ENTRIES) {
    const cell = cellFor(entry.name);
    const base = CELL_BASE[cell];
    const spec = (settings: Record<string, Value>) =>
      deqSpec(base.input, `${cell}(${args(base.args)})`, `${entry.name}(${args(settings, entry.settings)})`);
    const runtime = (settings: Record<string, Value>) => accepts(() => readSolverSpec("s", { name: entry.name, settings }));

    it(`${entry.name}: same defaults`, () => {
      const checked = checkerErrors(spec({}));
      expect(checked.messages).toBe("");
      const settings = checked.model!.deq!.solver.settings;
      // Read back with every default the checker wrote, then with none: the same typed settings.
      expect(readSolverSpec("s", { name: entry.name, settings: {} })).toEqual(readSolverSpec("s", { name: entry.name, settings }));
      expect(Object.keys(settings).sort()).toEqual(entry.settings.map((s) => s.name).sort());
    });

    it(`${entry.name}: same verdict on every invalid value and on an unknown setting`, () => {
      expectSameVerdicts(entry.name, entry.settings, spec, runtime);
    });
  }

  it("an unknown solver or backward mode is refused by both", () => {
    expect(checkerErrors(deqSpec("[4]", "dense(units: 4)", "newton()")).ok).toBe(false);
    expect(accepts(() => readSolverSpec("s", { name: "newton", settings: {} }))).toBe(false);
    expect(checkerErrors(deqSpec("[4]", "dense(units: 4)", "", "adjoint()")).ok).toBe(false);
    expect(accepts(() => readBackwardSpec("s", { mode: "adjoint", settings: {} }))).toBe(false);
  });

  for (const forward of ["anderson", "peaceman_rachford"]) {
    for (const entry of backwardModeEntries(forward)) {
      const cell = cellFor(forward);
      const base = CELL_BASE[cell];
      const spec = (settings: Record<string, Value>) =>
        deqSpec(base.input, `${cell}(${args(base.args)})`, `${forward}()`, `${entry.name}(${args(settings, entry.settings)})`);
      const runtime = (settings: Record<string, Value>) => accepts(() => readBackwardSpec("b", { mode: entry.name, settings }, forward));

      it(`${entry.name} after ${forward}: same defaults and verdicts`, () => {
        const checked = checkerErrors(spec({}));
        expect(checked.messages).toBe("");
        expect(readBackwardSpec("b", { mode: entry.name, settings: {} }, forward)).toEqual(
          readBackwardSpec("b", { mode: entry.name, settings: checked.model!.deq!.backward.settings }, forward),
        );
        expectSameVerdicts(entry.name, entry.settings, spec, runtime);
      });
    }
  }
});

// ── Training: optimizers, schedules, train settings, data sets ──────────────────────────────

function trainSpec(train: string, input = "[4]", task: Task = { kind: "classify", classes: 2 }): string {
  const width = task.kind === "classify" ? task.classes : task.outputs;
  return `model m {
  input: [${input.replace(/[[\]]/g, "")}]
  task: ${task.kind === "classify" ? `classify(classes: ${width})` : `regress(outputs: ${width})`}
  deq { cell: dense(units: 4) }
  head { flatten() dense(units: ${width}) }
  train {
${train}
  }
}
`;
}

/** The checked train section as the IR carries it (what lowering writes). */
function checkedTrain(model: CheckedModel): Record<string, unknown> {
  const { origin: _o, extra, data: _d, clip, ...rest } = model.train;
  return { ...extra, ...rest, ...(clip === undefined ? {} : { clip }) };
}

describe("optimizers, schedules and train settings: checker and runtime agree", () => {
  const runtime = (record: Record<string, unknown>) => accepts(() => resolveTrainConfig({ data: "mnist", ...record } as never));

  for (const [what, entries] of [
    ["optimizer", OPTIMIZER_ENTRIES],
    ["schedule", scheduleEntries({ epochs: 10, lr: 1e-3 })],
  ] as const) {
    for (const entry of entries) {
      const spec = (settings: Record<string, Value>) => trainSpec(`    ${what}: ${entry.name}(${args(settings, entry.settings)})`);
      const call = (settings: Record<string, unknown>) => ({ [what]: { call: entry.name, args: settings } });

      it(`${what} ${entry.name}: same defaults and verdicts`, () => {
        const checked = checkerErrors(spec({}));
        expect(checked.messages).toBe("");
        const fromChecker = checkedTrain(checked.model!);
        // The runtime fills a bare hand-written section exactly as the checker filled the spec.
        expect(resolveTrainSection({ [what]: entry.name }).train).toEqual(resolveTrainSection(fromChecker).train);
        expect((fromChecker[what] as { args: unknown }).args).toEqual(resolveTrainSection({ [what]: entry.name }).train![what].args);
        expectSameVerdicts(entry.name, entry.settings, spec, (settings) => runtime(call(settings)));
      });
    }
  }

  it("plain train settings: same defaults and verdicts", () => {
    const bare = checkerErrors(trainSpec("    seed: 0"));
    expect(bare.messages).toBe("");
    expect(resolveTrainSection({}).train).toEqual(resolveTrainSection(checkedTrain(bare.model!)).train);
    for (const def of TRAIN_SETTINGS) {
      for (const bad of invalidValues(def)) {
        const label = `${def.name}: ${String(bad)}`;
        expect(checkerErrors(trainSpec(`    ${def.name}: ${literal(bad, def)}`)).ok, label).toBe(false);
        expect(runtime({ [def.name]: runtimeValue(bad) }), label).toBe(false);
      }
    }
    expect(checkerErrors(trainSpec("    zzz: 1")).ok).toBe(false);
    expect(runtime({ zzz: 1 })).toBe(false);
    expect(checkerErrors(trainSpec("    optimizer: rmsprop()")).ok).toBe(false);
    expect(runtime({ optimizer: "rmsprop" })).toBe(false);
    expect(checkerErrors(trainSpec("    loss: hinge")).ok).toBe(false);
    expect(runtime({ loss: "hinge" })).toBe(false);
  });
});

function describeOrAny(describe: () => DataDescription): { inputShape: number[]; task: Task } {
  try {
    return describe();
  } catch {
    return { inputShape: [4], task: { kind: "classify", classes: 2 } };
  }
}

describe("data sets: checker and data loader agree", () => {
  const REQUIRED: Record<string, Record<string, Value>> = {
    mnist_idx: { dir: "d" },
    cifar10: { dir: "d" },
    svhn: { dir: "d" },
    image: { path: "p.png" },
    csv: { path: "t.csv", label: "y" },
    tsv: { path: "t.tsv", label: "y" },
    npy: { x: "x.npy", y: "y.npy" },
    npz: { path: "a.npz" },
    images: { dir: "d" },
  };
  for (const entry of DATA_SET_ENTRIES) {
    const base = REQUIRED[entry.name] ?? {};
    // The files named here do not exist: the checker then compares no shapes, and any model fits.
    const fits = describeOrAny(() => entry.describe(bindArguments(entry, base, "/")));
    const spec = (settings: Record<string, Value>) =>
      trainSpec(`    data: ${entry.name}(${args(settings, entry.settings)})`, fits.inputShape.join(", "), fits.task);
    const loader = (settings: Record<string, Value>) => accepts(() => bindArguments(entry, settings, "/"));

    it(`${entry.name}: same defaults and verdicts`, () => {
      const checked = checkerErrors(spec(base));
      expect(checked.messages).toBe("");
      const data = checked.model!.train.data as { call: string; args: Record<string, Value> };
      const bound = bindArguments(entry, base, "/");
      for (const def of entry.settings) if (!def.path) expect(bound[def.name], def.name).toEqual(data.args[def.name]);
      expectSameVerdicts(entry.name, entry.settings, spec, loader, base);
    });
  }
});
