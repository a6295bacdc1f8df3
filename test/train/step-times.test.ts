import { describe, expect, it } from "vitest";
import { summarizeStepTimes } from "../../runtime/train/step-times.js";

describe("step times as simc train reports them", () => {
  it("keeps the first step apart: median of the others, mean of all", () => {
    // A first step slowed by kernel compilation, then a steady state with one outlier.
    expect(summarizeStepTimes([900, 100, 104, 98, 300, 101])).toEqual({ firstStepMs: 900, medianStepMs: 101, meanStepMs: 267.1666666666667 });
  });

  it("takes the mean of the two middle steps for an even count, not the larger", () => {
    expect(summarizeStepTimes([500, 90, 110]).medianStepMs).toBe(100);
    expect(summarizeStepTimes([500, 120, 90, 100, 110]).medianStepMs).toBe(105);
  });

  it("reports a single step as both first and median, and no step as zeros", () => {
    expect(summarizeStepTimes([42])).toEqual({ firstStepMs: 42, medianStepMs: 42, meanStepMs: 42 });
    expect(summarizeStepTimes([])).toEqual({ firstStepMs: 0, medianStepMs: 0, meanStepMs: 0 });
  });
});
