import { describe, expect, it } from "vitest";
import { initialValues } from "../../ir/initialize.js";
import { Random } from "../../ir/random.js";
import { fnv1a32, parameterSeed } from "../../ir/seed.js";
import type { IRParam } from "../../ir/types.js";

const draw = (rng: Random, count: number, f: (r: Random) => number) => Array.from({ length: count }, () => f(rng));
const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: ArrayLike<number>) => {
  const mu = mean(xs);
  return Math.sqrt(Array.from(xs).reduce((s, x) => s + (x - mu) ** 2, 0) / xs.length);
};
const min = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => Math.min(a, b), Infinity);
const max = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => Math.max(a, b), -Infinity);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * xs.length)];

describe("Random (xoshiro128** seeded by splitmix32)", () => {
  it("produces the integer stream of the reference C implementation", () => {
    // From the published xoshiro128** and splitmix32 algorithms in C (uint32_t arithmetic).
    expect(draw(new Random(0), 5, (r) => r.nextUint32())).toEqual([3809008728, 1133695204, 53579671, 2891528803, 139681546]);
    expect(draw(new Random(42), 5, (r) => r.nextUint32())).toEqual([2837322924, 544945897, 479756282, 3500138142, 339756180]);
    expect(draw(new Random(4294967295), 5, (r) => r.nextUint32())).toEqual([835879718, 1921286648, 2356205009, 1885780724, 980451116]);
  });

  it("is deterministic per seed and differs across seeds", () => {
    expect(draw(new Random(9), 100, (r) => r.normal())).toEqual(draw(new Random(9), 100, (r) => r.normal()));
    expect(draw(new Random(9), 10, (r) => r.uniform())).not.toEqual(draw(new Random(10), 10, (r) => r.uniform()));
    // seeds are taken modulo 2^32
    expect(draw(new Random(2 ** 32 + 5), 5, (r) => r.nextUint32())).toEqual(draw(new Random(5), 5, (r) => r.nextUint32()));
  });

  it("uniform values lie in [0, 1) with mean ½ and variance 1/12", () => {
    const xs = draw(new Random(1), 200_000, (r) => r.uniform());
    expect(min(xs)).toBeGreaterThanOrEqual(0);
    expect(max(xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 2);
    expect(std(xs) ** 2).toBeCloseTo(1 / 12, 3);
  });

  it("normal values have mean 0, std 1 and normal tails", () => {
    const xs = draw(new Random(2), 200_000, (r) => r.normal());
    expect(mean(xs)).toBeCloseTo(0, 2);
    expect(std(xs)).toBeCloseTo(1, 2);
    const beyond2 = xs.filter((x) => Math.abs(x) > 2).length / xs.length;
    expect(beyond2).toBeGreaterThan(0.043); // 4.55% for N(0, 1)
    expect(beyond2).toBeLessThan(0.048);
  });

  it("Cauchy values have median 0 and quartiles ±1", () => {
    const xs = draw(new Random(3), 50_000, (r) => r.cauchy());
    expect(quantile(xs, 0.5)).toBeCloseTo(0, 1);
    expect(quantile(xs, 0.25)).toBeCloseTo(-1, 1);
    expect(quantile(xs, 0.75)).toBeCloseTo(1, 1);
  });
});

describe("parameter seeds", () => {
  it("FNV-1a matches the published test vectors", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  it("depend on both the model seed and the name, and stay unsigned 32-bit", () => {
    const names = ["lift.B", "lift.C", "basis.0.conv2d.weight", "basis.0.conv2d.bias", "embed.omega"];
    const seeds = names.flatMap((n) => [0, 1, 2].map((s) => parameterSeed(s, n)));
    expect(new Set(seeds).size).toBe(seeds.length);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s <= 0xffffffff).toBe(true);
    expect(parameterSeed(7, "lift.B")).toBe(parameterSeed(7, "lift.B"));
  });
});

describe("initialValues", () => {
  const param = (init: IRParam["init"], shape: number[], seed = 11): IRParam => ({ name: "p", shape, kind: "trainable", init, seed });

  it("is a pure function of the parameter (same input → same Float32Array)", () => {
    const p = param({ kind: "normal", mean: 0, std: 1 }, [64, 32]);
    expect(initialValues(p)).toEqual(initialValues(p));
    expect(initialValues({ ...p, seed: 12 })).not.toEqual(initialValues(p));
  });

  it("implements every initialiser kind", () => {
    expect(Array.from(initialValues(param({ kind: "zeros" }, [3])))).toEqual([0, 0, 0]);
    expect(Array.from(initialValues(param({ kind: "ones" }, [2, 2])))).toEqual([1, 1, 1, 1]);
    expect(Array.from(initialValues(param({ kind: "constant", value: 0.25 }, [2])))).toEqual([0.25, 0.25]);

    const normal = initialValues(param({ kind: "normal", mean: 3, std: 0.01 }, [100, 100]));
    expect(mean(normal)).toBeCloseTo(3, 3);
    expect(std(normal)).toBeCloseTo(0.01, 3);

    const uniform = initialValues(param({ kind: "uniform", low: 0, high: 2 * Math.PI }, [10000]));
    expect(min(uniform)).toBeGreaterThanOrEqual(0);
    expect(max(uniform)).toBeLessThanOrEqual(Math.fround(2 * Math.PI));
    expect(mean(uniform)).toBeCloseTo(Math.PI, 1);

    const torch = initialValues(param({ kind: "torch_default", fanIn: 25 }, [25, 40]));
    expect(max(torch.map(Math.abs))).toBeLessThanOrEqual(Math.fround(0.2));
    expect(max(torch.map(Math.abs))).toBeGreaterThan(0.19);
    expect(std(torch)).toBeCloseTo(0.2 / Math.sqrt(3), 2);

    const glorot = initialValues(param({ kind: "glorot_uniform", fanIn: 30, fanOut: 20 }, [30, 20]));
    expect(max(glorot.map(Math.abs))).toBeLessThanOrEqual(Math.fround(Math.sqrt(6 / 50)));

    const cauchy = Array.from(initialValues(param({ kind: "cauchy", scale: 0.5 }, [20000])));
    expect(quantile(cauchy, 0.75)).toBeCloseTo(0.5, 1);

    const identity = initialValues(param({ kind: "identity", std: 0 }, [3, 3]));
    expect(Array.from(identity)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const kernel = initialValues(param({ kind: "identity", std: 0 }, [3, 3, 2, 2]));
    // centre tap (1, 1) is the identity, every other tap zero
    const centre = (1 * 3 + 1) * 4;
    expect(Array.from(kernel.slice(centre, centre + 4))).toEqual([1, 0, 0, 1]);
    expect(kernel.reduce((a, b) => a + b, 0)).toBe(2);
  });
});
