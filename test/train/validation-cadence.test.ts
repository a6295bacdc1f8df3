import { describe, expect, it } from "vitest";
import { resolveTrainConfig } from "../../runtime/train/config.js";
import { VALIDATION_TIME_RATIO, ValidationCadence } from "../../runtime/train/validation-cadence.js";

/** Epochs at which a cadence validates, given each epoch's training and validation times. */
function validatedEpochs(cadence: ValidationCadence, epochs: number, trainMs: number, validateMs: number): number[] {
  const done: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    cadence.trained(trainMs);
    if (cadence.due(epoch, epochs)) {
      cadence.validated(validateMs);
      done.push(epoch);
    }
  }
  return done;
}

describe("validation cadence", () => {
  it("every N epochs and after the last when set", () => {
    expect(validatedEpochs(new ValidationCadence(3, true), 10, 100, 1000)).toEqual([3, 6, 9, 10]);
    expect(validatedEpochs(new ValidationCadence(1, false), 3, 100, 1000)).toEqual([1, 2, 3]);
  });

  it("by default, every epoch of mini-batch training", () => {
    expect(validatedEpochs(new ValidationCadence(0, false), 4, 100, 1000)).toEqual([1, 2, 3, 4]);
  });

  it("by default, full-batch training spends about 1/(1 + ratio) of its time validating", () => {
    // Image regression's shape: a 4.8 s step, a 2.6 s validation (as long as half a step).
    const trainMs = 4800;
    const validateMs = 2600;
    const epochs = 2000;
    const done = validatedEpochs(new ValidationCadence(0, true), epochs, trainMs, validateMs);
    expect(done[0]).toBe(1);
    expect(done[done.length - 1]).toBe(epochs);
    const share = (done.length * validateMs) / (done.length * validateMs + epochs * trainMs);
    expect(share).toBeLessThan(0.1);
    expect(share).toBeGreaterThan(0.5 / (1 + VALIDATION_TIME_RATIO));
    // A validation far cheaper than a step still runs every epoch.
    expect(validatedEpochs(new ValidationCadence(0, true), 5, 1000, 10)).toEqual([1, 2, 3, 4, 5]);
  });

  it("is a train setting, validate_every, overridable from the command line", () => {
    const record = { data: "image", epochs: 30, batch: 0, validate_every: 5 };
    expect(resolveTrainConfig(record).validateEvery).toBe(5);
    expect(resolveTrainConfig({ data: "image" }).validateEvery).toBe(0);
    expect(resolveTrainConfig(record, { validateEvery: 2 }).validateEvery).toBe(2);
    expect(() => resolveTrainConfig({ data: "image", validate_every: 1.5 })).toThrow(/"validate_every" must be an integer, got 1.5/);
    expect(() => resolveTrainConfig({ data: "image", validate_every: -1 })).toThrow(/"validate_every"/);
  });
});
