/**
 * `npy(x, y, x_test, y_test)` and `npz(path, x, y)`: NumPy arrays. `x` is (N, …) — one example
 * per row, uint8 scaled to [0, 1], every other dtype taken as it is; `y` is (N) or (N, K).
 * Integer `y` means classification (classes = largest label + 1), float `y` regression with K
 * outputs; `task` overrides. The test set is `x_test`/`y_test` (`npy`), the `x_test`/`y_test`
 * members next to `x_train`/`y_train` (`npz`), or a fixed seeded fraction of the examples.
 * Inspection reads the header of `x` and all of `y` (for the class count).
 */
import { DataError } from "./errors.js";
import { isIntegerDtype, readNpyFile, readNpyHeaderFile, readNpz, type NpyArray, type NpyHeader } from "./npy.js";
import { seededSplitText, type DataArgs, type DataDescription, type DataExamples, type ReadDataSet } from "./types.js";

interface Pair {
  x: { file: string; header: NpyHeader; array?: NpyArray };
  y: NpyArray;
}

const shapeText = (shape: number[]) => `(${shape.join(", ")}${shape.length === 1 ? "," : ""})`;

function checkPair(pair: Pair): void {
  const n = pair.x.header.shape[0];
  if (pair.x.header.shape.length === 0) {
    throw new DataError(`x is a scalar, expected one example per row (N, …)`, { file: pair.x.file, byte: 0 });
  }
  const ys = pair.y.header.shape;
  if (ys.length === 0 || ys.length > 2 || ys[0] !== n) {
    throw new DataError(`y has shape ${shapeText(ys)}, expected (${n},) or (${n}, K) to match x ${shapeText(pair.x.header.shape)}`, {
      file: pair.y.file,
      byte: 0,
      hint: "x and y need the same number of rows, one target (or K targets) per example",
    });
  }
}

function describePairs(pairs: Pair[], args: DataArgs, split: string): DataDescription {
  for (const pair of pairs) checkPair(pair);
  const [first, ...rest] = pairs;
  const inputShape = first.x.header.shape.slice(1);
  for (const other of rest) {
    const shape = other.x.header.shape.slice(1);
    if (shape.join() !== inputShape.join()) {
      throw new DataError(`test examples have shape ${shapeText(shape)}, training examples ${shapeText(inputShape)}`, {
        file: other.x.file,
        byte: 0,
      });
    }
  }
  const integer = isIntegerDtype(first.y.header.dtype);
  const task = (args.task as string | undefined) ?? (integer ? "classify" : "regress");
  const range: [number, number] | undefined = pairs.every((p) => p.x.header.dtype.kind === "u" && p.x.header.dtype.size === 1) ? [0, 1] : undefined;
  const base = { inputShape: inputShape.length ? inputShape : [1], split, ...(range ? { range } : {}) };
  if (task === "regress") {
    const outputs = first.y.header.shape[1] ?? 1;
    return { ...base, task: { kind: "regress", outputs }, yShape: [outputs] };
  }
  let classes = 0;
  for (const { y } of pairs) {
    if (y.header.shape.length === 2 && y.header.shape[1] !== 1) {
      throw new DataError(`class labels have shape ${shapeText(y.header.shape)}, expected (N,)`, {
        file: y.file,
        byte: 0,
        hint: 'one label per example; for several targets use task: "regress"',
      });
    }
    for (let i = 0; i < y.count; i++) {
      const label = y.at(i);
      if (!Number.isInteger(label) || label < 0) {
        throw new DataError(`label ${i} is ${label}, expected a class index 0, 1, 2, …`, {
          file: y.file,
          byte: y.byteOf(i),
          hint: 'classification labels are whole numbers from 0; for real-valued targets use task: "regress"',
        });
      }
      classes = Math.max(classes, label + 1);
    }
  }
  return { ...base, task: { kind: "classify", classes }, yShape: [] };
}

function examples(pair: Pair, description: DataDescription): DataExamples {
  const x = pair.x.array!;
  const bytes = description.range !== undefined;
  const xs = bytes ? new Uint8Array(x.count) : new Float32Array(x.count);
  for (let i = 0; i < x.count; i++) xs[i] = x.at(i);
  const y = description.task.kind === "classify" ? new Int32Array(pair.y.count) : new Float32Array(pair.y.count);
  for (let i = 0; i < pair.y.count; i++) y[i] = pair.y.at(i);
  return { x: xs, y, count: x.header.shape[0] };
}

function assemble(pairs: Pair[], args: DataArgs, ownSplit: string | undefined, source: string, withInputs: boolean): ReadDataSet {
  const fraction = args.test_split as number;
  const description = describePairs(pairs, args, ownSplit ?? seededSplitText(fraction));
  const empty: DataExamples = { x: new Float32Array(0), y: new Int32Array(0), count: 0 };
  const read = (pair: Pair) => (withInputs ? examples(pair, description) : empty);
  return { description, train: read(pairs[0]), ...(pairs[1] ? { test: read(pairs[1]) } : {}), testFraction: fraction, source };
}

/** `withInputs: false` reads only the headers of the x files (for inspection). */
export function readNpySet(args: DataArgs, withInputs: boolean): ReadDataSet {
  const xPath = args.x as string;
  const side = (path: string) => (withInputs ? { file: path, ...withArray(readNpyFile(path)) } : { file: path, header: readNpyHeaderFile(path) });
  const pairs: Pair[] = [{ x: side(xPath), y: readNpyFile(args.y as string) }];
  const hasTest = args.x_test !== undefined || args.y_test !== undefined;
  if (hasTest) {
    if (args.x_test === undefined || args.y_test === undefined) {
      throw new DataError("npy needs both x_test and y_test, or neither", { hint: 'e.g. npy(x: "x.npy", y: "y.npy", x_test: "xt.npy", y_test: "yt.npy")' });
    }
    pairs.push({ x: side(args.x_test as string), y: readNpyFile(args.y_test as string) });
  }
  return assemble(pairs, args, hasTest ? `the files' own test arrays (${args.x_test as string})` : undefined, xPath, withInputs);
}

function withArray(array: NpyArray): { header: NpyHeader; array: NpyArray } {
  return { header: array.header, array };
}

export function readNpzSet(args: DataArgs, withInputs: boolean): ReadDataSet {
  const path = args.path as string;
  const arrays = readNpz(path);
  const xName = args.x as string;
  const yName = args.y as string;
  const member = (name: string): NpyArray | undefined => arrays.get(name);
  const pairOf = (x: string, y: string): Pair | undefined => {
    const xa = member(x);
    const ya = member(y);
    return xa && ya ? { x: { file: xa.file, header: xa.header, array: xa }, y: ya } : undefined;
  };
  const whole = pairOf(xName, yName);
  if (whole) return assemble([whole], args, undefined, path, withInputs);
  const train = pairOf(`${xName}_train`, `${yName}_train`);
  const test = pairOf(`${xName}_test`, `${yName}_test`);
  if (train && test) return assemble([train, test], args, `the archive's own ${xName}_test/${yName}_test arrays`, path, withInputs);
  const names = [...arrays.keys()];
  throw new DataError(
    `holds no arrays '${xName}' and '${yName}' (nor ${xName}_train/${yName}_train with ${xName}_test/${yName}_test); it holds ${names.length ? names.map((n) => `'${n}'`).join(", ") : "none"}`,
    { file: path, byte: 0, hint: `name the arrays: npz(path: "…", x: "<inputs>", y: "<targets>")` },
  );
}

