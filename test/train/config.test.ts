import { describe, expect, it } from "vitest";
import { resolveTrainConfig, TrainConfigError } from "../../runtime/train/config.js";

const spec = {
  data: "mnist",
  loss: "cross_entropy",
  optimizer: { call: "adam", args: { lr: 3e-3, eps: 1e-5 } },
  schedule: { call: "onecycle", args: {} },
  batch: 128,
  epochs: 3,
  validation: 0.1,
  seed: 0,
  extra: { limit: 500 },
};

describe("training configuration", () => {
  it("fills the vocabulary's defaults and reads settings from the IR's train record", () => {
    const c = resolveTrainConfig(spec);
    expect(c.optimizer).toEqual({ kind: "adam", lr: 3e-3, eps: 1e-5, beta1: 0.9, beta2: 0.999, weightDecay: 0 });
    expect(c.schedule).toEqual({ kind: "onecycle", maxLr: 3e-3, pctStart: 0.3 });
    expect(c).toMatchObject({ batch: 128, epochs: 3, limit: 500, seed: 0, validation: 0.1, clip: undefined });
    const adamw = resolveTrainConfig({ ...spec, optimizer: { call: "adamw", args: {} }, schedule: { call: "step", args: {} } });
    expect(adamw.optimizer).toMatchObject({ kind: "adamw", lr: 1e-3, weightDecay: 0.01 });
    // The checker's default period: ⌊epochs / 2⌋, at least one epoch.
    expect(adamw.schedule).toEqual({ kind: "step", every: 1, gamma: 0.1 });
  });

  it("lets command-line flags override the spec (lr also sets onecycle's peak)", () => {
    const c = resolveTrainConfig(spec, { epochs: 7, batch: 0, lr: 0.01, seed: 4, limit: 0, data: "fashion_mnist" });
    expect(c).toMatchObject({ epochs: 7, batch: 0, seed: 4, limit: 0, data: "fashion_mnist" });
    expect(c.optimizer.lr).toBe(0.01);
    expect(c.schedule).toEqual({ kind: "onecycle", maxLr: 0.01, pctStart: 0.3 });
  });

  it("rejects what it cannot honour, naming the valid choices", () => {
    expect(() => resolveTrainConfig({ ...spec, optimizer: { call: "rmsprop", args: {} } })).toThrow(
      /unknown optimizer 'rmsprop' \(valid: adam, adamw, sgd\)/,
    );
    expect(() => resolveTrainConfig({ ...spec, optimizer: { call: "sgd", args: { betas: 1 } } })).toThrow(
      /train.optimizer sgd\(\) has no setting "betas" \(valid settings: lr, momentum, nesterov, weight_decay\)/,
    );
    expect(() => resolveTrainConfig({ ...spec, schedule: "warm" })).toThrow(TrainConfigError);
    expect(() => resolveTrainConfig({ ...spec, clip: -1 })).toThrow(/train setting "clip" must be > 0, got -1/);
    const { data: _data, ...withoutData } = spec;
    expect(() => resolveTrainConfig(withoutData)).toThrow(/no data set/);
  });
});
