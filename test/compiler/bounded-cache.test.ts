import { describe, expect, it } from "vitest";
import { BoundedCache, numberKey } from "../../core/bounded-cache.js";
import { backwardModes } from "../../compiler/deq-catalogue.js";
import { schedules } from "../../compiler/train-catalogue.js";

describe("BoundedCache", () => {
  it("computes a key once, and starts over past its limit", () => {
    const cache = new BoundedCache<number>(2);
    let computed = 0;
    const get = (key: string) => cache.get(key, () => ++computed);
    expect([get("a"), get("a"), get("b"), get("a")]).toEqual([1, 1, 2, 1]);
    expect(get("c")).toBe(3); // the third key: everything before is forgotten
    expect(get("a")).toBe(4);
  });

  it("keys numbers exactly, -0 apart from 0", () => {
    expect(numberKey(0.1 + 0.2)).not.toBe(numberKey(0.3));
    expect(numberKey(-0)).not.toBe(numberKey(0));
  });
});

const at = { file: "f.sim", loc: { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 } };

describe("catalogue tables by context", () => {
  it("gives schedule defaults of the context asked for", () => {
    const maxLr = (epochs: number, lr: number) => {
      const onecycle = schedules({ epochs, lr }).get("onecycle")!;
      return onecycle.settings.find((s) => s.name === "max_lr")!.default!({}, at);
    };
    expect(maxLr(10, 0.01)).toMatchObject({ kind: "float", value: 0.01 });
    expect(maxLr(10, 0.02)).toMatchObject({ kind: "float", value: 0.02 });
    expect(maxLr(10, 0.01)).toMatchObject({ kind: "float", value: 0.01 });
    expect(schedules({ epochs: 10, lr: 0.01 })).toBe(schedules({ epochs: 10, lr: 0.01 }));
  });

  it("gives each forward solver its own backward-mode table", () => {
    const implicitSolver = (forward: string) =>
      backwardModes(forward).get("implicit")!.settings.find((s) => s.name === "solver")!.default!({}, at);
    expect(implicitSolver("peaceman_rachford")).toMatchObject({ name: "peaceman_rachford" });
    expect(implicitSolver("anderson")).toMatchObject({ name: "anderson" });
  });
});
