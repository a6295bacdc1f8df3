/**
 * The IDX file format of MNIST and Fashion-MNIST: a 4-byte magic number (two zero bytes, a
 * type code, the number of dimensions), one big-endian uint32 per dimension, then the values.
 * Only unsigned bytes (type 0x08) occur in these data sets, so only they are accepted.
 */
import { DataError, hex32 } from "./errors.js";

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** Parses an IDX array of unsigned bytes with `rank` dimensions; `what` names it in errors. */
export function parseIdx(bytes: Uint8Array, file: string, rank: number, what: string): IdxArray {
  const expectedMagic = (UNSIGNED_BYTE << 8) | rank;
  const hint = `is this really an IDX ${what} file (e.g. train-${what === "labels" ? "labels-idx1" : "images-idx3"}-ubyte)? If so, fetch it again`;
  if (bytes.length < 4) {
    throw new DataError(
      `expected IDX magic ${hex32(expectedMagic)} for ${what}, but the file has only ${bytes.length} bytes`,
      {
        file,
        hint,
      },
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    throw new DataError(`expected IDX magic ${hex32(expectedMagic)} for ${what}, got ${hex32(magic)}`, { file, hint });
  }
  const header = 4 + 4 * rank;
  if (bytes.length < header) {
    throw new DataError(`the IDX header needs ${header} bytes, the file has ${bytes.length}`, { file, hint });
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const values = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== header + values) {
    throw new DataError(
      `expected ${header + values} bytes (${header}-byte header + ${dims.join("×")} values), the file has ${bytes.length}`,
      { file, hint: bytes.length < header + values ? "the file is truncated; fetch it again" : hint },
    );
  }
  return { dims, data: bytes.subarray(header) };
}
