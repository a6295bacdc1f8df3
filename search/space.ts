/**
 * Sampling a search space: trial i's values are the i-th draw of one stream seeded by the
 * search's seed, so the same spec and seed give the same trials on any machine, in any order
 * of execution. Sampled floats keep four significant digits: the value a trial trains with is
 * exactly the one written into its spec and its results table.
 */
import type { Candidate, Distribution, SearchDimension } from "../compiler/search-spec.js";
import { formatFloat } from "../compiler/values.js";
import { mixSeed, uniformStream } from "../runtime/rng.js";

/** One trial's values, by dimension name, in the order the search declares them. */
export type Assignment = Record<string, Candidate>;

const SIGNIFICANT_DIGITS = 4;

function realCandidate(x: number): Candidate {
  const value = Number(x.toPrecision(SIGNIFICANT_DIGITS));
  return { text: formatFloat(value), value };
}

function intCandidate(x: number): Candidate {
  return { text: String(x), value: x };
}

/** One draw from a distribution, given uniform numbers in [0, 1). */
export function draw(distribution: Distribution, integer: boolean, next: () => number): Candidate {
  switch (distribution.kind) {
    case "choice":
      return distribution.values[Math.min(distribution.values.length - 1, Math.floor(next() * distribution.values.length))];
    case "uniform": {
      const x = distribution.low + next() * (distribution.high - distribution.low);
      return integer ? intCandidate(Math.floor(x)) : realCandidate(x);
    }
    case "loguniform": {
      const [a, b] = [Math.log(distribution.low), Math.log(distribution.high)];
      return realCandidate(Math.exp(a + next() * (b - a)));
    }
    case "randint": {
      const x = distribution.low + Math.floor(next() * (distribution.high - distribution.low));
      return integer ? intCandidate(x) : realCandidate(x);
    }
    case "qrandint": {
      const { low, high, q } = distribution;
      // Uniform on [low, high], rounded to a multiple of q and kept inside the range.
      let x = Math.round((low + next() * (high - low)) / q) * q;
      while (x > high) x -= q;
      while (x < low) x += q;
      return integer ? intCandidate(x) : realCandidate(x);
    }
  }
}

/** The values of trials 0 … count − 1. */
export function sampleTrials(dimensions: readonly SearchDimension[], count: number, seed: number): Assignment[] {
  const next = uniformStream(mixSeed(seed, 0x5ea4c4));
  const trials: Assignment[] = [];
  for (let i = 0; i < count; i++) {
    const assignment: Assignment = {};
    for (const dimension of dimensions) assignment[dimension.name] = draw(dimension.distribution, dimension.integer, next);
    trials.push(assignment);
  }
  return trials;
}

/** `lr=0.003 batch=128 schedule=onecycle()` — one line per trial in tables and logs. */
export function describeAssignment(assignment: Assignment): string {
  return Object.entries(assignment)
    .map(([name, candidate]) => `${name}=${candidate.text}`)
    .join(" ");
}
