/**
 * What a data form is: its parameters, and a description of the examples it yields that the
 * checker reads (before any training) and the loader must match exactly. Pure types.
 */

/** A `data:` value as written: a name, a path, or a call with (named or positional) arguments. */
export type DataValue = number | string | boolean | DataValue[] | DataCall;

export interface DataCall {
  call: string;
  args: Record<string, DataValue>;
}

/** Bound arguments: defaults filled in, paths absolute; an optional argument left out is absent. */
export type DataArgs = Record<string, number | boolean | string | string[] | number[]>;

export type DataTaskDescription =
  | { kind: "classify"; classes: number; classNames?: string[] }
  | { kind: "regress"; outputs: number };

/** What the examples of a data set look like: what `simc check` infers and the loader yields. */
export interface DataDescription {
  /** Per-example input shape (without the batch dimension). */
  inputShape: number[];
  task: DataTaskDescription;
  /** Per-example target shape: `[]` for one label, `[L]` per position, `[outputs]` for regression. */
  yShape: number[];
  /** Inputs lie in this closed range, when the format says so (pixels: [0, 1]). */
  range?: [number, number];
  /** How the test (and validation) examples are chosen, in words. */
  split: string;
}

/** Examples as a reader produced them (row-major inputs; bytes are scaled to [0, 1] on loading). */
export interface DataExamples {
  x: Float32Array | Uint8Array;
  y: Int32Array | Float32Array;
  count: number;
}

/**
 * A user's data set as read from its files: `test` when the files hold their own test set;
 * otherwise the loader holds out `testFraction` of `train` with a fixed seed.
 */
export interface ReadDataSet {
  description: DataDescription;
  train: DataExamples;
  test?: DataExamples;
  testFraction: number;
  /** Where the examples came from, for reports. */
  source: string;
}

/** The seed of every held-out test set: fixed, so runs with different seeds share one test set. */
export const TEST_SPLIT_SEED = 0x7e57;

export function seededSplitText(fraction: number): string {
  return `test: a fixed seeded ${Math.round(fraction * 1000) / 10}% of the examples (the same for every run); train: the rest`;
}
