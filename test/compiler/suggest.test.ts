import { describe, expect, it } from "vitest";
import { closest, editDistance, listAnd, listOr } from "../../core/suggest.js";

describe("suggestions", () => {
  it("counts insertions, deletions, substitutions and transpositions", () => {
    expect(editDistance("dense", "dense")).toBe(0);
    expect(editDistance("dens", "dense")).toBe(1);
    expect(editDistance("smae", "same")).toBe(1);
    expect(editDistance("conv2d", "conv1d")).toBe(1);
    expect(editDistance("Relu", "relu")).toBe(0);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("suggests only plausible typos", () => {
    expect(closest("mnsit", ["mnist", "svhn", "cifar10"])).toBe("mnist");
    expect(closest("andersen", ["picard", "anderson", "broyden"])).toBe("anderson");
    expect(closest("surogate", ["basis", "surrogate", "head"])).toBe("surrogate");
    expect(closest("optimiser", ["optimizer", "schedule"])).toBe("optimizer");
    expect(closest("banana", ["dense", "conv2d"])).toBeUndefined();
    expect(closest("x", ["y", "z"])).toBeUndefined();
    expect(closest("T", ["t"])).toBe("t");
    expect(closest("units", ["units"])).toBeUndefined();
  });

  it("joins lists for messages", () => {
    expect(listOr(["a", "b", "c"])).toBe("a, b or c");
    expect(listAnd(["'a'", "'b'"])).toBe("'a' and 'b'");
    expect(listAnd(["x"])).toBe("x");
  });
});
