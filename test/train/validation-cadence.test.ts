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

describe("validation cadence on a measured image-regression run", () => {
  // `simc train specs/image-regression/rff-only.sim --epochs 30` on this project's 2-core machine
  // (load average 4–5): the first step 13.5 s, then a 5.8 s median step; the first validation
  // (65,536 pixels) 2.75 s, later ones 1.7–2.2 s. The default cadence validated after epochs 1,
  // 10, 17, 23 and 30: 10.6 s of 206.7 s, 5.1 %.
  const stepMs = (epoch: number) => (epoch === 1 ? 13_500 : 5_800);
  const validationMs = (pass: number) => (pass === 0 ? 2_750 : 1_900);

  function replay(epochs: number): { validated: number[]; share: number } {
    const cadence = new ValidationCadence(0, true);
    const validated: number[] = [];
    let training = 0;
    let validating = 0;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      cadence.trained(stepMs(epoch));
      training += stepMs(epoch);
      if (cadence.due(epoch, epochs)) {
        const ms = validationMs(validated.length);
        cadence.validated(ms);
        validating += ms;
        validated.push(epoch);
      }
    }
    return { validated, share: validating / (training + validating) };
  }

  it("keeps validation under 10 % of the wall time for the short run and the spec's 2,000 epochs", () => {
    const short = replay(30);
    expect(short.validated[0]).toBe(1);
    expect(short.validated.at(-1)).toBe(30);
    expect(short.validated.length).toBeLessThan(8);
    expect(short.share).toBeLessThan(0.1);
    const full = replay(2000);
    expect(full.share).toBeLessThan(0.1);
    // Whole steps overshoot the 19:1 ratio a little, so the share lands just under the aim.
    expect(full.share).toBeLessThanOrEqual(1 / (1 + VALIDATION_TIME_RATIO));
    expect(full.share).toBeGreaterThan(0.03);
  });

  it("describes its rule for the run's summary", () => {
    expect(new ValidationCadence(0, true).describe()).toBe("by time, aiming at 5 % of the wall time");
    expect(new ValidationCadence(0, false).describe()).toBe("every epoch");
    expect(new ValidationCadence(1, true).describe()).toBe("every epoch");
    expect(new ValidationCadence(4, true).describe()).toBe("every 4 epochs and the last");
  });
});
