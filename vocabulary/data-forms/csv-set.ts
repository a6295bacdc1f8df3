/**
 * `csv(path, label | target, …)` and `tsv(…)`: one example per row. `label` names the class
 * column (any number of classes, named by their values); `target` names one or more numeric
 * columns to regress; the features are `features` or every other column. A `test` file gives
 * the test set; otherwise a fixed seeded fraction of the rows is held out.
 */
import { DataError } from "./errors.js";
import { classIndex } from "./classes.js";
import { columnIndex, defaultDelimiter, numericCell, readCsvTable, type CsvTable } from "./csv-table.js";
import { seededSplitText, type DataArgs, type DataExamples, type ReadDataSet } from "./types.js";

interface Columns {
  features: number[];
  label?: number;
  targets: number[];
}

const asList = (v: DataArgs[string] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

function chooseColumns(table: CsvTable, args: DataArgs): Columns {
  const label = args.label as string | undefined;
  const targets = asList(args.target);
  if ((label === undefined) === (targets.length === 0)) {
    throw new DataError(label === undefined ? "csv needs the column to predict" : "csv takes label or target, not both", {
      file: table.file,
      line: 1,
      hint: `classification: label: "<column>"; regression: target: "<column>" or target: ["a", "b"]; the header names: ${table.columns.join(", ")}`,
    });
  }
  const predicted = label !== undefined ? [columnIndex(table, label, "label")] : targets.map((t) => columnIndex(table, t, "target"));
  const named = asList(args.features);
  const features = named.length
    ? named.map((f) => columnIndex(table, f, "feature"))
    : table.columns.map((_, i) => i).filter((i) => !predicted.includes(i));
  const overlap = features.find((f) => predicted.includes(f));
  if (overlap !== undefined) {
    throw new DataError(`column '${table.columns[overlap]}' is both a feature and predicted`, { file: table.file, line: 1 });
  }
  if (features.length === 0) {
    throw new DataError("has no feature columns left", { file: table.file, line: 1, hint: "add columns besides the predicted one" });
  }
  return label !== undefined ? { features, label: predicted[0], targets: [] } : { features, targets: predicted };
}

function features(table: CsvTable, columns: Columns): Float32Array {
  const width = columns.features.length;
  const x = new Float32Array(table.rows.length * width);
  for (let r = 0; r < table.rows.length; r++) {
    for (let k = 0; k < width; k++) x[r * width + k] = numericCell(table, r, columns.features[k]);
  }
  return x;
}

function targets(table: CsvTable, columns: Columns): Float32Array {
  const y = new Float32Array(table.rows.length * columns.targets.length);
  for (let r = 0; r < table.rows.length; r++) {
    columns.targets.forEach((c, k) => (y[r * columns.targets.length + k] = numericCell(table, r, c)));
  }
  return y;
}

function checkSameHeader(train: CsvTable, test: CsvTable): void {
  if (train.columns.join("\0") !== test.columns.join("\0")) {
    throw new DataError(`header differs from ${train.file}'s`, {
      file: test.file,
      line: 1,
      hint: `expected the columns ${train.columns.join(", ")}`,
    });
  }
}

/** `fallbackDelimiter`: when `delimiter` is not given (default: by the file's extension). */
export function readCsvSet(args: DataArgs, fallbackDelimiter?: string): ReadDataSet {
  const path = args.path as string;
  const delimiter = (args.delimiter as string | undefined) ?? fallbackDelimiter ?? defaultDelimiter(path);
  const table = readCsvTable(path, delimiter);
  const columns = chooseColumns(table, args);
  const testTable = args.test !== undefined ? readCsvTable(args.test as string, delimiter) : undefined;
  if (testTable) checkSameHeader(table, testTable);
  const tables = testTable ? [table, testTable] : [table];
  const fraction = args.test_split as number;
  const split = testTable ? `the files' own train (${path}) and test (${testTable.file}) rows` : seededSplitText(fraction);
  const inputShape = [columns.features.length];
  const range = (sets: DataExamples[]): [number, number] => {
    let low = Infinity;
    let high = -Infinity;
    for (const { x } of sets) for (const v of x) (low = Math.min(low, v)), (high = Math.max(high, v));
    return [low, high];
  };

  if (columns.label !== undefined) {
    const labelColumn = columns.label;
    const classes = classIndex(tables.flatMap((t) => t.rows.map((row) => row[labelColumn])));
    const examples = (t: CsvTable): DataExamples => {
      const y = new Int32Array(t.rows.length);
      t.rows.forEach((row, r) => {
        if (row[labelColumn] === "") {
          throw new DataError(`label column '${t.columns[labelColumn]}' is empty`, { file: t.file, line: t.lines[r], column: labelColumn + 1 });
        }
        y[r] = classes.indexOf.get(row[labelColumn])!;
      });
      return { x: features(t, columns), y, count: t.rows.length };
    };
    const train = examples(table);
    const test = testTable ? examples(testTable) : undefined;
    return {
      description: { inputShape, task: { kind: "classify", classes: classes.names.length, classNames: classes.names }, yShape: [], range: range(test ? [train, test] : [train]), split },
      train,
      ...(test ? { test } : {}),
      testFraction: fraction,
      source: path,
    };
  }
  const outputs = columns.targets.length;
  const examples = (t: CsvTable): DataExamples => ({ x: features(t, columns), y: targets(t, columns), count: t.rows.length });
  const train = examples(table);
  const test = testTable ? examples(testTable) : undefined;
  return {
    description: { inputShape, task: { kind: "regress", outputs }, yShape: [outputs], range: range(test ? [train, test] : [train]), split },
    train,
    ...(test ? { test } : {}),
    testFraction: fraction,
    source: path,
  };
}
