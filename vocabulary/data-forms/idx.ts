/**
 * The IDX file format of MNIST and Fashion-MNIST: a 4-byte magic number (two zero bytes, a
 * type code, the number of dimensions), one big-endian uint32 per dimension, then the values,
 * big-endian. Images may be unsigned bytes (scaled to [0, 1] on loading) or any other IDX
 * type (taken as they are); labels must be of an integer type.
 */
import { gunzipSync } from "node:zlib";
import { DataError, hex32 } from "./errors.js";
import { readFileBytes } from "./file-bytes.js";

export const IDX_UNSIGNED_BYTE = 0x08;
/** IDX type code → bytes per value. */
const IDX_TYPES: Record<number, { size: number; integer: boolean; name: string }> = {
  0x08: { size: 1, integer: true, name: "unsigned byte" },
  0x09: { size: 1, integer: true, name: "signed byte" },
  0x0b: { size: 2, integer: true, name: "short" },
  0x0c: { size: 4, integer: true, name: "int" },
  0x0d: { size: 4, integer: false, name: "float" },
  0x0e: { size: 8, integer: false, name: "double" },
};

export interface IdxArray {
  dims: number[];
  type: number;
  /** Unsigned bytes as stored, or every other type as float32. */
  data: Uint8Array | Float32Array;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The file's bytes, inflated when the file is gzip-compressed (recognised by content). */
export function readMaybeGzipSync(path: string, hint?: string): Uint8Array {
  const bytes = readFileBytes(path, hint);
  if (!isGzip(bytes)) return bytes;
  try {
    const inflated = gunzipSync(bytes);
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataError(`starts like a gzip file but does not inflate (${reason})`, {
      file: path,
      byte: 0,
      hint: "the download is probably truncated or corrupt; fetch the file again",
    });
  }
}

export interface IdxHeader {
  dims: number[];
  type: number;
  /** Header bytes before the values. */
  size: number;
}

/** Parses an IDX header with `rank` dimensions; `what` names it in errors. `integerOnly`: labels. */
export function parseIdxHeader(bytes: Uint8Array, file: string, rank: number, what: string, integerOnly = false): IdxHeader {
  const expectedMagic = (IDX_UNSIGNED_BYTE << 8) | rank;
  const hint = `is this really an IDX ${what} file (e.g. train-${what === "labels" ? "labels-idx1" : "images-idx3"}-ubyte)? If so, fetch it again`;
  if (bytes.length < 4) {
    throw new DataError(`expected IDX magic ${hex32(expectedMagic)} for ${what}, but the file has only ${bytes.length} bytes`, {
      file,
      byte: bytes.length,
      hint,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = IDX_TYPES[(magic >>> 8) & 0xff];
  if (magic >>> 16 !== 0 || (magic & 0xff) !== rank || !type || (integerOnly && !type.integer)) {
    throw new DataError(`expected IDX magic ${hex32(expectedMagic)} for ${what}, got ${hex32(magic)}`, {
      file,
      hint: type && (magic & 0xff) === rank && integerOnly ? `${what} must be stored as an integer IDX type, not ${type.name}` : hint,
    });
  }
  const header = 4 + 4 * rank;
  if (bytes.length < header) {
    throw new DataError(`the IDX header needs ${header} bytes, the file has ${bytes.length}`, { file, byte: bytes.length, hint });
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  return { dims, type: (magic >>> 8) & 0xff, size: header };
}

/** Parses a whole IDX array (see `parseIdxHeader`). */
export function parseIdx(bytes: Uint8Array, file: string, rank: number, what: string, integerOnly = false): IdxArray {
  const { dims, type: code, size: header } = parseIdxHeader(bytes, file, rank, what, integerOnly);
  const type = IDX_TYPES[code];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hint = `is this really an IDX ${what} file? If so, fetch it again`;
  const values = dims.reduce((a, b) => a * b, 1);
  const expected = header + values * type.size;
  if (bytes.length !== expected) {
    throw new DataError(
      `expected ${expected} bytes (${header}-byte header + ${dims.join("×")} ${type.name} values), the file has ${bytes.length}`,
      { file, byte: Math.min(bytes.length, expected), hint: bytes.length < expected ? "the file is truncated; fetch it again" : hint },
    );
  }
  if (code === IDX_UNSIGNED_BYTE) return { dims, type: code, data: bytes.subarray(header) };
  const data = new Float32Array(values);
  for (let i = 0; i < values; i++) {
    const at = header + i * type.size;
    switch (code) {
      case 0x09:
        data[i] = view.getInt8(at);
        break;
      case 0x0b:
        data[i] = view.getInt16(at, false);
        break;
      case 0x0c:
        data[i] = view.getInt32(at, false);
        break;
      case 0x0d:
        data[i] = view.getFloat32(at, false);
        break;
      default:
        data[i] = view.getFloat64(at, false);
    }
  }
  return { dims, type: code, data };
}
