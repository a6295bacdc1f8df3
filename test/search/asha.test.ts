import { describe, expect, it } from "vitest";
import { Asha, Bracket, percentile } from "../../search/asha.js";

describe("percentile", () => {
  it("interpolates linearly between order statistics, as NumPy's default does", () => {
    expect(percentile([1, 2, 3, 4], 50)).toBeCloseTo(2.5, 12);
    expect(percentile([4, 1, 3], 75)).toBeCloseTo(3.5, 12);
    expect(percentile([10, 20, 30], 66.66666666666667)).toBeCloseTo(23.333333333333, 9);
    expect(percentile([5], 50)).toBe(5);
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([NaN, 2, 4], 50)).toBe(3);
  });
});

describe("ASHA bracket", () => {
  it("lays its rungs at grace · reduction^(k + s), highest first", () => {
    expect(new Bracket(1, 10, 2, 0).rungs.map((r) => r.milestone)).toEqual([8, 4, 2, 1]);
    expect(new Bracket(1, 10, 2, 1).rungs.map((r) => r.milestone)).toEqual([8, 4, 2]);
    expect(new Bracket(1, 4, 2, 0).rungs.map((r) => r.milestone)).toEqual([4, 2, 1]);
    expect(new Bracket(2, 54, 3, 0).rungs.map((r) => r.milestone)).toEqual([54, 18, 6, 2]);
  });

  it("follows the example of Ray Tune's _Bracket", () => {
    const b = new Bracket(1, 10, 2, 0);
    expect(b.onResult("t1", 1, 2)).toBe("continue");
    expect(b.onResult("t2", 1, 4)).toBe("continue");
    const first = b.rungs[b.rungs.length - 1];
    expect(b.cutoff(first)).toBe(3);
    expect(b.onResult("t3", 1, 1)).toBe("stop");
    expect(b.cutoff(first)).toBe(2);
  });
});

describe("ASHA, a worked example by hand", () => {
  // grace 1, reduction 2, max_t 4: rungs at epochs 1, 2 and 4; the cut is the median.
  it("stops the trials below the median of what their rung has seen", () => {
    const asha = new Asha({ grace: 1, reduction: 2, brackets: 1, maxT: 4, mode: "max", seed: 0 });
    for (const t of ["a", "b", "c", "d"]) expect(asha.addTrial(t, 4)).toBe(0);
    // rung 1 is empty: a continues and is recorded (rung 1: 0.5)
    expect(asha.onResult("a", 1, 0.5)).toBe("continue");
    // cutoff = median{0.5} = 0.5; 0.7 ≥ 0.5 (rung 1: 0.5, 0.7)
    expect(asha.onResult("b", 1, 0.7)).toBe("continue");
    // cutoff = median{0.5, 0.7} = 0.6; 0.55 < 0.6: stop (rung 1: 0.5, 0.7, 0.55)
    expect(asha.onResult("c", 1, 0.55)).toBe("stop");
    // rung 2 is empty (rung 2: 0.6)
    expect(asha.onResult("a", 2, 0.6)).toBe("continue");
    // cutoff = median{0.5, 0.7, 0.55} = 0.55; 0.65 ≥ 0.55
    expect(asha.onResult("d", 1, 0.65)).toBe("continue");
    // cutoff = median{0.6} = 0.6; 0.8 ≥ 0.6 (rung 2: 0.6, 0.8)
    expect(asha.onResult("b", 2, 0.8)).toBe("continue");
    // cutoff = median{0.6, 0.8} = 0.7; 0.5 < 0.7: stop
    expect(asha.onResult("d", 2, 0.5)).toBe("stop");
    // epoch 3 is no rung, and a has results at rungs 1 and 2 already
    expect(asha.onResult("a", 3, 0.1)).toBe("continue");
    // epoch 4 = max_t: the trial ends; its result is recorded when it completes
    expect(asha.onResult("a", 4, 0.9)).toBe("stop");
    asha.onComplete("a", 4, 0.9);
    const rungs = asha.brackets[0].rungs;
    expect([...rungs[0].recorded]).toEqual([["a", 0.9]]);
    expect([...rungs[1].recorded]).toEqual([["a", 0.6], ["b", 0.8], ["d", 0.5]]);
    expect([...rungs[2].recorded]).toEqual([["a", 0.5], ["b", 0.7], ["c", 0.55], ["d", 0.65]]);
  });

  it("negates the metric when smaller is better", () => {
    const asha = new Asha({ grace: 1, reduction: 2, brackets: 1, maxT: 4, mode: "min", seed: 0 });
    asha.addTrial("a", 4);
    asha.addTrial("b", 4);
    asha.addTrial("c", 4);
    expect(asha.onResult("a", 1, 0.3)).toBe("continue");
    expect(asha.onResult("b", 1, 0.1)).toBe("continue");
    // cutoff of {−0.3, −0.1} is −0.2; −0.4 < −0.2: a loss of 0.4 is worse
    expect(asha.onResult("c", 1, 0.4)).toBe("stop");
  });

  it("ends each trial at its own epochs when a search varies them", () => {
    const asha = new Asha({ grace: 1, reduction: 2, brackets: 1, maxT: 8, mode: "max", seed: 0 });
    asha.addTrial("short", 2);
    asha.addTrial("long", 8);
    expect(asha.onResult("short", 1, 0.5)).toBe("continue");
    expect(asha.onResult("short", 2, 0.6)).toBe("stop");
    expect(asha.onResult("long", 1, 0.7)).toBe("continue");
    expect(asha.onResult("long", 2, 0.7)).toBe("continue");
  });

  it("draws brackets with probability ∝ e^(rungs), reproducibly from its seed", () => {
    const draw = (seed: number) => {
      const asha = new Asha({ grace: 1, reduction: 2, brackets: 3, maxT: 16, mode: "max", seed });
      return Array.from({ length: 3000 }, (_, i) => asha.addTrial(`t${i}`, 16));
    };
    const counts = [0, 0, 0];
    const draws = draw(7);
    for (const b of draws) counts[b] += 1;
    expect(draw(7)).toEqual(draws);
    // 5, 4 and 3 rungs: weights 1, e^-1, e^-2 → 0.665, 0.245, 0.090
    const z = 1 + Math.exp(-1) + Math.exp(-2);
    [1, Math.exp(-1), Math.exp(-2)].forEach((w, i) => expect(Math.abs(counts[i] / 3000 - w / z)).toBeLessThan(0.03));
  });
});

describe("ASHA stops exactly the trials below the rung quantile", () => {
  it("agrees with the quantile of the results recorded before each arrival", () => {
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const reduction of [2, 3, 4]) {
      const asha = new Asha({ grace: 1, reduction, brackets: 1, maxT: reduction, mode: "max", seed: 1 });
      const seen: number[] = [];
      for (let i = 0; i < 60; i++) {
        const id = `t${i}`;
        asha.addTrial(id, reduction);
        const metric = Math.round(random() * 1000) / 1000;
        const sorted = [...seen].sort((a, b) => a - b);
        // the (1 − 1/reduction) quantile, by hand
        const position = (1 - 1 / reduction) * (sorted.length - 1);
        const lo = Math.floor(position);
        const cutoff = sorted.length === 0 ? -Infinity : sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (position - lo);
        expect(asha.onResult(id, 1, metric), `trial ${i}, reduction ${reduction}`).toBe(metric < cutoff ? "stop" : "continue");
        seen.push(metric);
      }
    }
  });
});
