/**
 * CSV and TSV tables (parsed by csv-parse): a header row of column names, then one example
 * per row. The columns a data set uses are chosen by name; every feature cell must be a
 * number, and each problem names the file, line and column.
 */
import { parse } from "csv-parse/sync";
import { extname } from "node:path";
import { DataError } from "./errors.js";
import { fileStamp, readFileBytes } from "./file-bytes.js";

export interface CsvTable {
  file: string;
  columns: string[];
  rows: string[][];
  /** 1-based line of each row in the file. */
  lines: number[];
}

interface CsvParseError {
  code?: string;
  lines?: number;
  message: string;
}

/** Tab for `.tsv`/`.tab` files, comma otherwise. */
export function defaultDelimiter(path: string): string {
  const ext = extname(path).toLowerCase();
  return ext === ".tsv" || ext === ".tab" ? "\t" : ",";
}

const cache = new Map<string, CsvTable>();

export function readCsvTable(path: string, delimiter: string): CsvTable {
  const key = `${fileStamp(path)}\0${delimiter}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const table = parseCsvTable(path, delimiter);
  cache.clear(); // keep one table: a spec reads one data set at a time
  cache.set(key, table);
  return table;
}

function parseCsvTable(path: string, delimiter: string): CsvTable {
  const bytes = readFileBytes(path, "paths in data: are relative to the spec's directory");
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      delimiter,
      bom: true,
      info: true,
      trim: true,
      skip_empty_lines: true,
      comment: "#",
      comment_no_infix: true,
    }) as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as CsvParseError;
    const detail = e.message.replace(/^Invalid Record Length: /, "").replace(/\s*(?:at|on) line \d+.*$/, "");
    throw new DataError(
      e.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH" ? `a row has a different number of fields than the header (${detail})` : detail,
      {
        file: path,
        ...(e.lines !== undefined ? { line: e.lines } : {}),
        hint:
          delimiter === "\t"
            ? "every row needs one tab-separated field per header column"
            : `every row needs one ${JSON.stringify(delimiter)}-separated field per header column; quote fields that contain the delimiter`,
      },
    );
  }
  if (records.length === 0) {
    throw new DataError("is empty: expected a header row of column names", { file: path, line: 1 });
  }
  const [header, ...body] = records;
  const columns = header.record;
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    if (name === "") throw new DataError(`header column ${i + 1} has no name`, { file: path, line: header.info.lines, column: i + 1 });
    if (seen.has(name)) {
      throw new DataError(`header names column '${name}' twice`, { file: path, line: header.info.lines, column: i + 1 });
    }
    seen.add(name);
  });
  if (body.length === 0) {
    throw new DataError("has a header but no rows", { file: path, line: header.info.lines, hint: "add one example per row" });
  }
  return { file: path, columns, rows: body.map((r) => r.record), lines: body.map((r) => r.info.lines) };
}

/** The index of a named column; the error lists the header. */
export function columnIndex(table: CsvTable, name: string, role: string): number {
  const index = table.columns.indexOf(name);
  if (index < 0) {
    throw new DataError(`has no ${role} column '${name}'`, {
      file: table.file,
      line: 1,
      hint: `the header names: ${table.columns.join(", ")}`,
    });
  }
  return index;
}

/** The number in a cell, or a located error. */
export function numericCell(table: CsvTable, row: number, column: number): number {
  const text = table.rows[row][column];
  const value = text === "" ? NaN : Number(text);
  if (!Number.isFinite(value)) {
    throw new DataError(
      text === ""
        ? `column '${table.columns[column]}' is empty`
        : `column '${table.columns[column]}' holds ${JSON.stringify(text)}, expected a number`,
      {
        file: table.file,
        line: table.lines[row],
        column: column + 1,
        hint: "feature and target columns must be numbers; drop or encode this column (features: [...] chooses the columns)",
      },
    );
  }
  return value;
}
