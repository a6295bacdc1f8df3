/**
 * NumPy `.npy` arrays and `.npz` archives of them. An `.npy` file is the magic string
 * `\x93NUMPY`, a major and minor version byte, the header length (uint16 little-endian in
 * version 1, uint32 in versions 2 and 3), an ASCII header that is a Python dict literal with
 * `descr` (dtype), `fortran_order` and `shape`, then the values. An `.npz` file is a zip
 * archive (read with fflate) of `.npy` members. Errors name the byte at fault.
 */
import { unzipSync } from "fflate";
import { DataError } from "./errors.js";
import { readFileBytes, readHead } from "./file-bytes.js";

export interface NpyDtype {
  kind: "f" | "i" | "u" | "b";
  size: number;
  littleEndian: boolean;
  descr: string;
}

export interface NpyHeader {
  dtype: NpyDtype;
  shape: number[];
  /** Where the values start. */
  dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const HINT = "write the array with numpy.save (or numpy.savez for several arrays), C order, a numeric dtype";
const SUPPORTED: Record<string, number[]> = { f: [4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };

export function isIntegerDtype(dtype: NpyDtype): boolean {
  return dtype.kind !== "f";
}

function fail(file: string, byte: number, message: string, hint = HINT): never {
  throw new DataError(message, { file, byte, hint });
}

/** Parses the header; `bytes` need only hold the file's first bytes. */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) fail(file, i, `is not a NumPy .npy file: expected the magic string \\x93NUMPY at the start`);
  }
  if (bytes.length < 10) fail(file, bytes.length, "the .npy header is truncated");
  const major = bytes[6];
  if (major < 1 || major > 3) fail(file, 6, `.npy format version ${major}.${bytes[7]} is not known (expected 1, 2 or 3)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  const start = 8 + lengthBytes;
  if (bytes.length < start) fail(file, bytes.length, "the .npy header is truncated");
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (bytes.length < start + headerLength) fail(file, bytes.length, `the .npy header needs ${headerLength} bytes; the file ends before`);
  const text = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(start, start + headerLength));

  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) {
    fail(file, start, `the .npy header is not a dict with 'descr', 'fortran_order' and 'shape': ${JSON.stringify(text.trim())}`);
  }
  if (fortran[1] === "True") {
    fail(file, start + fortran.index, "the array is stored in Fortran order", "save numpy.ascontiguousarray(a) instead");
  }
  const dtypeMatch = /^([<>|=])([fiub])(\d+)$/.exec(descr[1]);
  const kind = dtypeMatch?.[2] as NpyDtype["kind"] | undefined;
  const size = Number(dtypeMatch?.[3]);
  if (!dtypeMatch || !kind || !SUPPORTED[kind].includes(size)) {
    fail(
      file,
      start + descr.index,
      `dtype '${descr[1]}' is not supported: expected float32/64, (u)int8/16/32/64 or bool`,
      "convert the array, e.g. a.astype(numpy.float32)",
    );
  }
  const dims = shape[1]
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) fail(file, start + shape.index, `shape (${shape[1]}) is not a tuple of sizes`);
  return {
    dtype: { kind, size, littleEndian: dtypeMatch[1] !== ">", descr: descr[1] },
    shape: dims,
    dataOffset: start + headerLength,
  };
}

/** The header of an `.npy` file, reading only its start. */
export function readNpyHeaderFile(path: string): NpyHeader {
  const head = readHead(path, 64 * 1024, "paths in data: are relative to the spec's directory");
  return parseNpyHeader(head, path);
}

function reader(dtype: NpyDtype, view: DataView): (offset: number) => number {
  const le = dtype.littleEndian;
  switch (`${dtype.kind}${dtype.size}`) {
    case "f4":
      return (o) => view.getFloat32(o, le);
    case "f8":
      return (o) => view.getFloat64(o, le);
    case "i1":
      return (o) => view.getInt8(o);
    case "i2":
      return (o) => view.getInt16(o, le);
    case "i4":
      return (o) => view.getInt32(o, le);
    case "i8":
      return (o) => Number(view.getBigInt64(o, le));
    case "u1":
    case "b1":
      return (o) => view.getUint8(o);
    case "u2":
      return (o) => view.getUint16(o, le);
    case "u4":
      return (o) => view.getUint32(o, le);
    default:
      return (o) => Number(view.getBigUint64(o, le));
  }
}

export interface NpyArray {
  file: string;
  header: NpyHeader;
  /** Element i as a number. */
  at(i: number): number;
  count: number;
  /** Byte offset of element i in the file, for messages. */
  byteOf(i: number): number;
}

/** A whole `.npy` array from its bytes; `file` names it in errors (`archive.npz/x.npy`). */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  const header = parseNpyHeader(bytes, file);
  const count = header.shape.reduce((a, b) => a * b, 1);
  const needed = header.dataOffset + count * header.dtype.size;
  if (bytes.length < needed) {
    fail(file, bytes.length, `shape (${header.shape.join(", ")}) of ${header.dtype.descr} needs ${needed} bytes; the file has ${bytes.length} (truncated)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const get = reader(header.dtype, view);
  const { dataOffset } = header;
  const size = header.dtype.size;
  return { file, header, count, at: (i) => get(dataOffset + i * size), byteOf: (i) => dataOffset + i * size };
}

export function readNpyFile(path: string): NpyArray {
  return parseNpy(readFileBytes(path, "paths in data: are relative to the spec's directory"), path);
}

/** The `.npy` members of an `.npz` archive, by name without the `.npy` suffix. */
export function readNpz(path: string): Map<string, NpyArray> {
  const bytes = readFileBytes(path, "paths in data: are relative to the spec's directory");
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes);
  } catch (error) {
    throw new DataError(`is not a readable .npz (zip) archive (${(error as Error).message})`, {
      file: path,
      byte: 0,
      hint: "write it with numpy.savez or numpy.savez_compressed",
    });
  }
  const arrays = new Map<string, NpyArray>();
  for (const [name, data] of Object.entries(members)) {
    if (!name.endsWith(".npy")) continue;
    const key = name.slice(0, -4);
    arrays.set(key, parseNpy(data, `${path}/${name}`));
  }
  return arrays;
}
