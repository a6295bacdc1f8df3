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

/**
 * `path`: a string resolved against the spec's directory; `string`: any text; `strings`: one
 * string or a list of them; `fraction`: a number in [0, 1); `shape`: a list of positive integers.
 */
export type DataParamKind = "integer" | "fraction" | "boolean" | "path" | "string" | "strings" | "shape";

export interface DataParam {
  name: string;
  kind: DataParamKind;
  /** Absent (and not `optional`): the argument is required. */
  default?: number | boolean | string;
  /** The argument may be left out, with no default. */
  optional?: boolean;
  /** Smallest accepted value (integers). */
  min?: number;
  /** Accepted values (strings). */
  oneOf?: readonly string[];
  doc: string;
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

export interface DataFormDef {
  name: string;
  summary: string;
  params: readonly DataParam[];
  /** A `data:` line that uses the form, for docs and hints. */
  example: string;
  /**
   * The description, from file headers (or the label column, for the class count) where the
   * form reads files; throws `DataError` for a missing or malformed file.
   */
  describe(args: DataArgs): DataDescription;
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
