/**
 * A minimal reader for MATLAB level-5 MAT-files (what `save -v7` and scipy's `savemat` write):
 * enough to read numeric arrays such as SVHN's `X` and `y`.
 *
 * Layout: a 128-byte header (descriptive text, subsystem offset, version 0x0100, endian
 * indicator "IM"/"MI"), then data elements. Each element has an 8-byte tag (type, byte count)
 * or a 4-byte "small" tag when the count fits in the upper 16 bits, and is padded to 8 bytes.
 * `miCOMPRESSED` elements hold a zlib stream of further elements; `miMATRIX` elements hold the
 * array flags, dimensions, name and real (then imaginary) part. Data are column-major.
 * Cells, structs, objects, chars and sparse arrays are skipped; v7.3 (HDF5) files are refused.
 */
import { promisify } from "node:util";
import { inflate } from "node:zlib";
import { DataError } from "./errors.js";

const inflateAsync = promisify(inflate);

export interface MatArray {
  name: string;
  /** MATLAB class: `double`, `single`, `int8`, `uint8`, … */
  className: string;
  /** Dimensions as MATLAB reports them (column-major). */
  dims: number[];
  /** The real part: bytes stay bytes (no copy into doubles for big uint8 images); anything else as float64. */
  data: Uint8Array | Float64Array;
  complex: boolean;
}

// Data types (the tag's type field).
const MI_INT8 = 1;
const MI_UINT8 = 2;
const MI_INT16 = 3;
const MI_UINT16 = 4;
const MI_INT32 = 5;
const MI_UINT32 = 6;
const MI_SINGLE = 7;
const MI_DOUBLE = 9;
const MI_INT64 = 12;
const MI_UINT64 = 13;
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;

const NUMERIC_CLASSES: Record<number, string> = {
  6: "double",
  7: "single",
  8: "int8",
  9: "uint8",
  10: "int16",
  11: "uint16",
  12: "int32",
  13: "uint32",
  14: "int64",
  15: "uint64",
};

const ELEMENT_SIZE: Record<number, number> = {
  [MI_INT8]: 1,
  [MI_UINT8]: 1,
  [MI_INT16]: 2,
  [MI_UINT16]: 2,
  [MI_INT32]: 4,
  [MI_UINT32]: 4,
  [MI_SINGLE]: 4,
  [MI_DOUBLE]: 8,
  [MI_INT64]: 8,
  [MI_UINT64]: 8,
};

const HINT =
  "expected a MATLAB level-5 MAT-file (save -v7, or scipy.io.savemat); fetch the file again if it was truncated";

interface Element {
  type: number;
  data: Uint8Array;
  /** Offset of the next element. */
  next: number;
}

class Reader {
  constructor(
    readonly file: string,
    readonly little: boolean,
  ) {}

  fail(message: string, hint = HINT): never {
    throw new DataError(message, { file: this.file, hint });
  }

  view(bytes: Uint8Array): DataView {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  element(bytes: Uint8Array, offset: number, where: string): Element {
    if (offset + 8 > bytes.length)
      this.fail(`${where}: expected an 8-byte element tag at byte ${offset}, the data end at ${bytes.length}`);
    const view = this.view(bytes);
    const first = view.getUint32(offset, this.little);
    if (first >>> 16 !== 0) {
      // Small data element: count in the upper half, type in the lower, data in the next 4 bytes.
      const count = first >>> 16;
      if (count > 4) this.fail(`${where}: small element at byte ${offset} claims ${count} bytes (at most 4 fit)`);
      return { type: first & 0xffff, data: bytes.subarray(offset + 4, offset + 4 + count), next: offset + 8 };
    }
    const count = view.getUint32(offset + 4, this.little);
    const start = offset + 8;
    if (start + count > bytes.length) {
      this.fail(
        `${where}: element at byte ${offset} claims ${count} bytes, only ${bytes.length - start} remain (truncated file?)`,
      );
    }
    // Compressed elements are not padded; everything else is padded to a multiple of 8 bytes.
    const next = first === MI_COMPRESSED ? start + count : start + Math.ceil(count / 8) * 8;
    return { type: first, data: bytes.subarray(start, start + count), next };
  }

  numbers(element: Element, where: string): Uint8Array | Float64Array {
    const { type, data } = element;
    const size = ELEMENT_SIZE[type];
    if (!size) this.fail(`${where}: data type ${type} is not a numeric MAT type`);
    if (data.length % size !== 0)
      this.fail(`${where}: ${data.length} bytes is not a whole number of ${size}-byte values`);
    if (type === MI_UINT8) return data.slice();
    const n = data.length / size;
    const out = new Float64Array(n);
    const view = this.view(data);
    const le = this.little;
    for (let i = 0; i < n; i++) {
      const at = i * size;
      switch (type) {
        case MI_INT8:
          out[i] = view.getInt8(at);
          break;
        case MI_INT16:
          out[i] = view.getInt16(at, le);
          break;
        case MI_UINT16:
          out[i] = view.getUint16(at, le);
          break;
        case MI_INT32:
          out[i] = view.getInt32(at, le);
          break;
        case MI_UINT32:
          out[i] = view.getUint32(at, le);
          break;
        case MI_SINGLE:
          out[i] = view.getFloat32(at, le);
          break;
        case MI_DOUBLE:
          out[i] = view.getFloat64(at, le);
          break;
        case MI_INT64:
          out[i] = Number(view.getBigInt64(at, le));
          break;
        case MI_UINT64:
          out[i] = Number(view.getBigUint64(at, le));
          break;
      }
    }
    return out;
  }

  /** An miMATRIX element's content, or undefined for arrays that are not numeric. */
  matrix(content: Uint8Array, at: number): MatArray | undefined {
    if (content.length === 0) return undefined; // an empty placeholder matrix
    const where = `matrix at byte ${at}`;
    const flags = this.element(content, 0, where);
    if (flags.type !== MI_UINT32 || flags.data.length < 8)
      this.fail(`${where}: expected array flags (miUINT32, 8 bytes)`);
    const flagWord = this.view(flags.data).getUint32(0, this.little);
    const classId = flagWord & 0xff;
    const complex = (flagWord & 0x0800) !== 0;
    const dimsElement = this.element(content, flags.next, where);
    if (dimsElement.type !== MI_INT32 || dimsElement.data.length < 8 || dimsElement.data.length % 4 !== 0) {
      this.fail(`${where}: expected dimensions (miINT32, at least 2 values)`);
    }
    const dims = Array.from(this.numbers(dimsElement, where));
    const nameElement = this.element(content, dimsElement.next, where);
    if (nameElement.type !== MI_INT8 && nameElement.type !== MI_UINT8)
      this.fail(`${where}: expected the array name (miINT8)`);
    const name = new TextDecoder().decode(nameElement.data);
    const className = NUMERIC_CLASSES[classId];
    if (!className) return undefined;
    const real = this.element(content, nameElement.next, `${where} ('${name}')`);
    const data = this.numbers(real, `${where} ('${name}')`);
    const expected = dims.reduce((a, b) => a * b, 1);
    if (data.length !== expected) {
      this.fail(`array '${name}' has dimensions ${dims.join("×")} (${expected} values) but holds ${data.length}`);
    }
    return { name, className, dims, data, complex };
  }

  async elements(bytes: Uint8Array, start: number, into: Map<string, MatArray>, nested: boolean): Promise<void> {
    let offset = start;
    // Trailing bytes shorter than a tag are padding.
    while (offset + 8 <= bytes.length) {
      const element = this.element(bytes, offset, "top level");
      if (element.type === MI_COMPRESSED) {
        if (nested) this.fail(`compressed element inside a compressed element at byte ${offset}`);
        let inflated: Buffer;
        try {
          inflated = await inflateAsync(element.data);
        } catch (error) {
          this.fail(`compressed element at byte ${offset} does not inflate (${(error as Error).message})`);
        }
        await this.elements(new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength), 0, into, true);
      } else if (element.type === MI_MATRIX) {
        const array = this.matrix(element.data, offset);
        if (array) into.set(array.name, array);
      }
      offset = element.next;
    }
  }
}

/** Reads every numeric array of a level-5 MAT-file, by name. */
export async function readMat5(bytes: Uint8Array, file: string): Promise<Map<string, MatArray>> {
  if (bytes.length < 128) {
    throw new DataError(`expected a 128-byte MAT-file header, the file has ${bytes.length} bytes`, {
      file,
      hint: HINT,
    });
  }
  const text = new TextDecoder("latin1").decode(bytes.subarray(0, 116));
  const indicator = String.fromCharCode(bytes[126], bytes[127]);
  if (!text.startsWith("MATLAB") || (indicator !== "IM" && indicator !== "MI")) {
    throw new DataError(
      `expected a MAT-file header starting "MATLAB 5.0 MAT-file", got ${JSON.stringify(text.slice(0, 20))}`,
      {
        file,
        hint: HINT,
      },
    );
  }
  const little = indicator === "IM";
  const version = new DataView(bytes.buffer, bytes.byteOffset, 128).getUint16(124, little);
  if (version === 0x0200 || text.startsWith("MATLAB 7.3")) {
    throw new DataError("is a MATLAB v7.3 (HDF5) MAT-file; only level-5 files (v5–v7) are supported", {
      file,
      hint: "re-save it in MATLAB with `save(file, '-v7')`, or with scipy.io.savemat",
    });
  }
  if (version !== 0x0100) {
    throw new DataError(`expected MAT-file version 0x0100, got 0x${version.toString(16).padStart(4, "0")}`, {
      file,
      hint: HINT,
    });
  }
  const arrays = new Map<string, MatArray>();
  await new Reader(file, little).elements(bytes, 128, arrays, false);
  return arrays;
}
