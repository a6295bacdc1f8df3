import { describe, expect, it } from "vitest";
import { makeSchedule } from "../../runtime/train/schedule.js";

const ctx = { lr: 0.1, stepsPerEpoch: 10, epochs: 10 };

describe("learning-rate schedules", () => {
  it("constant keeps the base rate", () => {
    const s = makeSchedule({ kind: "constant" }, ctx);
    expect([0, 57, 99].map(s)).toEqual([0.1, 0.1, 0.1]);
  });

  it("step decays by gamma every `every` epochs", () => {
    const s = makeSchedule({ kind: "step", every: 2, gamma: 0.1 }, ctx);
    expect(s(0)).toBeCloseTo(0.1, 12);
    expect(s(19)).toBeCloseTo(0.1, 12);
    expect(s(20)).toBeCloseTo(0.01, 12);
    expect(s(39)).toBeCloseTo(0.01, 12);
    expect(s(40)).toBeCloseTo(0.001, 12);
  });

  it("onecycle follows PyTorch's OneCycleLR (cosine, div 25, final div 1e4)", () => {
    const s = makeSchedule({ kind: "onecycle", maxLr: 0.1, pctStart: 0.3 }, ctx);
    expect(s(0)).toBeCloseTo(0.1 / 25, 12);
    expect(s(29)).toBeCloseTo(0.1, 12); // pct_start·total − 1
    expect(s(99)).toBeCloseTo(0.1 / 25 / 1e4, 12);
    // halfway up the warm-up the cosine sits at the mean of its ends
    expect(s(14.5)).toBeCloseTo((0.1 + 0.004) / 2, 12);
    for (let t = 1; t < 29; t++) expect(s(t)).toBeGreaterThan(s(t - 1));
    for (let t = 30; t < 100; t++) expect(s(t)).toBeLessThan(s(t - 1));
  });

  it("cosine warms up linearly, then decays to min_lr", () => {
    const s = makeSchedule({ kind: "cosine", minLr: 0.01, warmup: 1 }, ctx);
    expect(s(0)).toBeCloseTo(0.01, 12);
    expect(s(4)).toBeCloseTo(0.05, 12);
    expect(s(9)).toBeCloseTo(0.1, 12);
    expect(s(10)).toBeCloseTo(0.1, 12);
    expect(s(10 + 45)).toBeCloseTo((0.1 + 0.01) / 2, 12);
    expect(s(100)).toBeCloseTo(0.01, 12);
  });
});
