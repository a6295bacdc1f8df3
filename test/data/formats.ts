/**
 * Writers for the real file formats the data loaders read, so tests can build small, valid
 * (or deliberately broken) files in a temporary directory.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync, gzipSync } from "node:zlib";
import { PNG } from "pngjs";

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "simc-data-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------- IDX

/** An IDX file of unsigned bytes: magic 0x0000 08 <rank>, big-endian dims, values. */
export function idxBytes(dims: number[], values: ArrayLike<number>): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  view.setUint32(0, (0x08 << 8) | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.length + values.length);
  out.set(header);
  out.set(Array.from(values), header.length);
  return out;
}

export interface IdxSplit {
  images: Uint8Array; // count × rows × cols
  labels: Uint8Array;
  rows: number;
  cols: number;
}

/** Pixel value for example n at (r, c): distinct enough to catch any mix-up. */
export const idxPixel = (n: number, r: number, c: number) => (n * 37 + r * 11 + c * 3) % 256;

export function idxSplit(count: number, rows: number, cols: number, labelOf: (n: number) => number): IdxSplit {
  const images = new Uint8Array(count * rows * cols);
  for (let n = 0; n < count; n++)
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) images[(n * rows + r) * cols + c] = idxPixel(n, r, c);
  return { images, labels: Uint8Array.from({ length: count }, (_, n) => labelOf(n)), rows, cols };
}

/** Writes the four IDX files under the standard names (gzip-compressed with a `.gz` suffix when asked). */
export function writeIdxSet(
  dir: string,
  train: IdxSplit,
  test: IdxSplit,
  options: { gzip?: boolean; dotted?: boolean } = {},
): void {
  const sep = options.dotted ? "." : "-";
  const write = (name: string, bytes: Uint8Array) =>
    writeFileSync(join(dir, options.gzip ? `${name}.gz` : name), options.gzip ? gzipSync(bytes) : bytes);
  for (const [prefix, split] of [
    ["train", train],
    ["t10k", test],
  ] as const) {
    const count = split.labels.length;
    write(`${prefix}-images${sep}idx3-ubyte`, idxBytes([count, split.rows, split.cols], split.images));
    write(`${prefix}-labels${sep}idx1-ubyte`, idxBytes([count], split.labels));
  }
}

// ---------------------------------------------------------------- CIFAR-10

/** Channel value of CIFAR example n at (row, col, channel). */
export const cifarPixel = (n: number, row: number, col: number, ch: number) =>
  (n * 53 + row * 7 + col * 5 + ch * 101) % 256;

/** A CIFAR-10 binary batch: per record one label byte, then R, G, B planes of 32×32 bytes. */
export function cifarBatch(labels: number[], firstIndex: number): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((label, i) => {
    const record = i * 3073;
    out[record] = label;
    for (let ch = 0; ch < 3; ch++)
      for (let row = 0; row < 32; row++)
        for (let col = 0; col < 32; col++)
          out[record + 1 + ch * 1024 + row * 32 + col] = cifarPixel(firstIndex + i, row, col, ch);
  });
  return out;
}

// ---------------------------------------------------------------- MAT v5

export type MatType = "int8" | "uint8" | "int16" | "int32" | "uint32" | "single" | "double";

const MI: Record<MatType, { code: number; size: number }> = {
  int8: { code: 1, size: 1 },
  uint8: { code: 2, size: 1 },
  int16: { code: 3, size: 2 },
  int32: { code: 5, size: 4 },
  uint32: { code: 6, size: 4 },
  single: { code: 7, size: 4 },
  double: { code: 9, size: 8 },
};

const MX_CLASS: Record<MatType, number> = { double: 6, single: 7, int8: 8, uint8: 9, int16: 10, int32: 12, uint32: 13 };

export interface MatVariable {
  name: string;
  /** MATLAB class of the array. */
  className: MatType;
  /** How the real part is stored (MATLAB may store a double array as uint8, for example). */
  storage?: MatType;
  dims: number[];
  values: ArrayLike<number>;
}

function encodeValues(type: MatType, values: ArrayLike<number>, little: boolean): Uint8Array {
  const { size } = MI[type];
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const at = i * size;
    switch (type) {
      case "int8":
        view.setInt8(at, v);
        break;
      case "uint8":
        view.setUint8(at, v);
        break;
      case "int16":
        view.setInt16(at, v, little);
        break;
      case "int32":
        view.setInt32(at, v, little);
        break;
      case "uint32":
        view.setUint32(at, v, little);
        break;
      case "single":
        view.setFloat32(at, v, little);
        break;
      case "double":
        view.setFloat64(at, v, little);
        break;
    }
  }
  return out;
}

/** One data element: the small 4-byte form when the data fit in 4 bytes, else tag + data padded to 8. */
function element(code: number, data: Uint8Array, little: boolean): Uint8Array {
  if (data.length <= 4) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setUint32(0, (data.length << 16) | code, little);
    out.set(data, 4);
    return out;
  }
  const out = new Uint8Array(8 + Math.ceil(data.length / 8) * 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, code, little);
  view.setUint32(4, data.length, little);
  out.set(data, 8);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function matrixElement(v: MatVariable, little: boolean): Uint8Array {
  const flags = new Uint8Array(8);
  new DataView(flags.buffer).setUint32(0, MX_CLASS[v.className], little);
  const content = concat([
    element(6, flags, little),
    element(5, encodeValues("int32", v.dims, little), little),
    element(1, new TextEncoder().encode(v.name), little),
    element(MI[v.storage ?? v.className].code, encodeValues(v.storage ?? v.className, v.values, little), little),
  ]);
  const tag = new Uint8Array(8);
  const view = new DataView(tag.buffer);
  view.setUint32(0, 14, little);
  view.setUint32(4, content.length, little);
  return concat([tag, content]);
}

export function matHeader(
  little: boolean,
  text = "MATLAB 5.0 MAT-file, Platform: test, Created by: simc tests",
  version = 0x0100,
): Uint8Array {
  const header = new Uint8Array(128).fill(0x20);
  header.set(new TextEncoder().encode(text.slice(0, 116)));
  header.fill(0, 116, 124);
  new DataView(header.buffer).setUint16(124, version, little);
  header.set(new TextEncoder().encode(little ? "IM" : "MI"), 126);
  return header;
}

/** A level-5 MAT-file holding the variables, each in its own miCOMPRESSED element when asked. */
export function matFile(
  variables: MatVariable[],
  options: { compressed?: boolean; little?: boolean } = {},
): Uint8Array {
  const little = options.little ?? true;
  const parts = [matHeader(little)];
  for (const v of variables) {
    const matrix = matrixElement(v, little);
    if (options.compressed) {
      const packed = deflateSync(matrix);
      const tag = new Uint8Array(8);
      new DataView(tag.buffer).setUint32(0, 15, little);
      new DataView(tag.buffer).setUint32(4, packed.length, little);
      parts.push(tag, packed);
    } else {
      parts.push(matrix);
    }
  }
  return concat(parts);
}

/** SVHN pixel of example n at (row, col, channel). */
export const svhnPixel = (n: number, row: number, col: number, ch: number) =>
  (n * 29 + row * 13 + col * 3 + ch * 71) % 256;

/** SVHN's X (32×32×3×N, column-major) and y (N×1 double, 10 = digit 0). */
export function svhnVariables(labels: number[], xClass: MatType = "uint8"): MatVariable[] {
  const n = labels.length;
  const x = new Uint8Array(32 * 32 * 3 * n);
  for (let i = 0; i < n; i++)
    for (let ch = 0; ch < 3; ch++)
      for (let col = 0; col < 32; col++)
        for (let row = 0; row < 32; row++) x[row + 32 * col + 1024 * ch + 3072 * i] = svhnPixel(i, row, col, ch);
  return [
    { name: "X", className: xClass, storage: "uint8", dims: [32, 32, 3, n], values: x },
    { name: "y", className: "double", dims: [n, 1], values: labels },
  ];
}

// ---------------------------------------------------------------- PNG

/** Colour of pixel (row, col) in the test images: every channel different and position-dependent. */
export const pngColour = (row: number, col: number): [number, number, number] => [
  (row * 40 + col) % 256,
  (col * 30 + 7) % 256,
  (row * 17 + col * 23 + 100) % 256,
];

export function pngBytes(width: number, height: number, colour = pngColour): Buffer {
  const png = new PNG({ width, height });
  for (let row = 0; row < height; row++)
    for (let col = 0; col < width; col++) {
      const p = 4 * (row * width + col);
      const [r, g, b] = colour(row, col);
      png.data[p] = r;
      png.data[p + 1] = g;
      png.data[p + 2] = b;
      png.data[p + 3] = 255;
    }
  return PNG.sync.write(png);
}
