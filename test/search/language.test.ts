import { describe, expect, it } from "vitest";
import { formatSim } from "../../grammar/format.js";
import { sampleTrials } from "../../search/space.js";
import { substitute } from "../../search/substitute.js";
import { check, codes, onlyModel } from "../compiler/helpers.js";

const model = (params: string, search: string, train = "optimizer: adam(lr: 3e-3)\n    epochs: 3") => `model m${params} {
  input: [4]
  task: classify(classes: 3)
  basis { dense(units: width) }
  lift: koopman(m: width)
  surrogate { dense(units: 8) }
  head { dense(units: 3) }
  train {
    data: mnist_idx(dir: "x")
    ${train}
  }
  search {
${search}
  }
}
`;

describe("model parameters", () => {
  it("bind their defaults in the model's items", () => {
    const m = onlyModel(check(model("(width: int = 6)", "    width: choice(4, 8)").replace('mnist_idx(dir: "x")', '"pts.png"')));
    expect(m.basis[0].args.units).toBe(6);
  });

  it("need a default", () => {
    const result = check(model("(width: int)", "    width: choice(4, 8)"));
    expect(codes(result)).toContain("SIM4060@1:9");
  });
});

describe("the search section", () => {
  const clean = (search: string, train?: string) => onlyModel(check(model("(width: int = 6)", search, train).replace('mnist_idx(dir: "x")', '"pts.png"')));

  it("reads distributions over parameters and train settings, and the search's own settings", () => {
    const m = clean(`    lr: loguniform(1e-4, 0.05)
    batch: choice(64, 128)
    schedule: choice(onecycle(), step, constant())
    width: qrandint(4, 16, 4)
    epochs: randint(2, 5)
    metric: val_loss
    mode: min
    scheduler: asha(grace: 1, reduction: 3)
    samples: 5
    seed: 9`);
    const s = m.search!;
    expect(s.metric).toBe("val_loss");
    expect(s.mode).toBe("min");
    expect(s.scheduler).toEqual({ kind: "asha", grace: 1, reduction: 3, brackets: 1 });
    expect(s.samples).toBe(5);
    expect(s.seed).toBe(9);
    expect(s.dimensions.map((d) => [d.name, d.target, d.integer, d.distribution.kind])).toEqual([
      ["lr", "train", false, "loguniform"],
      ["batch", "train", true, "choice"],
      ["schedule", "train", false, "choice"],
      ["width", "parameter", true, "qrandint"],
      ["epochs", "train", true, "randint"],
    ]);
    const schedule = s.dimensions[2].distribution;
    expect(schedule.kind === "choice" && schedule.values.map((v) => [v.text, v.value])).toEqual([
      ["onecycle()", "onecycle"],
      ["step", "step"],
      ["constant()", "constant"],
    ]);
  });

  it("fills defaults: fifo, val_accuracy, max, 10 samples, seed 0", () => {
    const s = clean("    lr: uniform(0.001, 0.01)").search!;
    expect([s.scheduler, s.metric, s.mode, s.samples, s.seed]).toEqual([{ kind: "fifo" }, "val_accuracy", "max", 10, 0]);
  });

  const problems = (search: string) => codes(check(model("(width: int = 6, act: relu | tanh = relu)", search)));

  it("reports an unknown parameter where it is written", () => {
    expect(problems("    depth: choice(1, 2)")).toContain("SIM4061@14:5");
  });

  it("reports empty ranges and empty choices", () => {
    expect(problems("    lr: uniform(0.01, 0.01)")).toContain("SIM4063@14:9");
    expect(problems("    width: qrandint(9, 4)")).toContain("SIM4063@14:12");
    expect(problems("    width: choice()")).toContain("SIM4063@14:12");
  });

  it("reports distributions that do not fit the value's type", () => {
    expect(problems("    width: uniform(2, 9)")).toContain("SIM4064@14:12");
    expect(problems("    act: randint(0, 3)")).toContain("SIM4064@14:10");
    expect(problems("    schedule: uniform(0.1, 0.2)")).toContain("SIM4064@14:15");
    expect(problems("    schedule: choice(onecycle(), sometimes)")).toContain("SIM4064@14:34");
    expect(problems("    lr: uniform(0, 0.1)")).toContain("SIM2011@14:9");
    expect(problems("    width: choice(4, 2.5)")).toContain("SIM2004@14:22");
  });

  it("reports a value that is not a distribution, a bad setting, a search over nothing", () => {
    expect(problems("    lr: 0.01")).toContain("SIM4062@14:9");
    expect(problems("    lr: uniform(0.001, 0.01)\n    samples: 0")).toContain("SIM2011@15:14");
    expect(problems("    lr: uniform(0.001, 0.01)\n    scheduler: hyperband")).toContain("SIM4061@15:16");
    expect(problems("    samples: 4")).toContain("SIM4062@13:3");
    expect(problems("    lr: uniform(0.001, 0.01)\n    metric: val_psnr")).toContain("SIM4065@15:13");
  });
});

describe("sampling and substitution", () => {
  const text = model("(width: int = 6)", `    lr: loguniform(1e-4, 0.05)
    batch: choice(64, 128)
    schedule: choice(onecycle(), step(every: 1))
    width: qrandint(4, 16, 4)`).replace('mnist_idx(dir: "x")', '"pts.png"');
  const search = onlyModel(check(text)).search!;

  it("draws the same trials from the same seed, inside their ranges", () => {
    const trials = sampleTrials(search.dimensions, 50, 3);
    expect(sampleTrials(search.dimensions, 50, 3)).toEqual(trials);
    expect(sampleTrials(search.dimensions, 50, 4)).not.toEqual(trials);
    for (const t of trials) {
      expect(Number(t.lr.value)).toBeGreaterThanOrEqual(1e-4);
      expect(Number(t.lr.value)).toBeLessThan(0.05);
      expect([64, 128]).toContain(t.batch.value);
      expect([4, 8, 12, 16]).toContain(t.width.value);
    }
    expect(new Set(trials.map((t) => t.width.value)).size).toBe(4);
    expect(new Set(trials.map((t) => t.schedule.text))).toEqual(new Set(["onecycle()", "step(every: 1)"]));
  });

  it("writes a trial's values into the spec, which checks with exactly those values", async () => {
    const [trial] = sampleTrials(search.dimensions, 1, 11);
    const written = substitute(text, "test.sim", "m", search.dimensions, trial);
    const m = onlyModel(check(written));
    expect(m.train.optimizer.args.lr).toBe(trial.lr.value);
    expect(m.train.batch).toBe(trial.batch.value);
    expect(m.train.schedule.call).toBe(trial.schedule.value);
    expect(m.basis[0].args.units).toBe(trial.width.value);
    const formatted = await formatSim(written, "test.sim");
    expect(formatted).toContain(`model m(width: int = ${trial.width.text}) {`);
    expect(formatted).toContain(`    batch: ${trial.batch.text}\n`);
    expect(await formatSim(formatted, "test.sim")).toBe(formatted);
  });

  it("adds the optimizer's lr when the spec leaves it to the default", () => {
    const bare = text.replace("optimizer: adam(lr: 3e-3)", "optimizer: adam");
    const written = substitute(bare, "test.sim", "m", search.dimensions, { lr: { text: "0.02", value: 0.02 } });
    expect(onlyModel(check(written)).train.optimizer.args.lr).toBe(0.02);
  });
});
