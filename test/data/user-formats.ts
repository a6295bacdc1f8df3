/**
 * Writers for the formats of a user's own data — NumPy .npy/.npz, JPEG, CSV — so tests can
 * build small, valid (or deliberately broken) files in a temporary directory.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { zipSync } from "fflate";
import jpeg from "jpeg-js";

/** An .npy file (format version 1.0): magic, version, header length, padded dict, values. */
export function npyBytes(descr: string, shape: number[], values: ArrayLike<number>): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const unpadded = 10 + dict.length + 1;
  const header = dict + " ".repeat((64 - (unpadded % 64)) % 64) + "\n";
  const kind = descr.slice(1);
  const size = Number(kind.slice(1));
  const out = new Uint8Array(10 + header.length + values.length * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const little = descr[0] !== ">";
  for (let i = 0; i < values.length; i++) {
    const at = 10 + header.length + i * size;
    const v = values[i];
    switch (kind) {
      case "f4":
        view.setFloat32(at, v, little);
        break;
      case "f8":
        view.setFloat64(at, v, little);
        break;
      case "i8":
        view.setBigInt64(at, BigInt(v), little);
        break;
      case "i4":
        view.setInt32(at, v, little);
        break;
      case "u1":
        view.setUint8(at, v);
        break;
      default:
        throw new Error(`npyBytes: no writer for ${descr}`);
    }
  }
  return out;
}

/** An .npz archive of the given arrays (deflated, as numpy.savez_compressed writes them). */
export function npzBytes(arrays: Record<string, Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(arrays).map(([name, bytes]) => [`${name}.npy`, bytes])));
}

/** A baseline JPEG of the given size and colour function (quality 95). */
export function jpegBytes(width: number, height: number, colour: (row: number, col: number) => [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let row = 0; row < height; row++)
    for (let col = 0; col < width; col++) {
      const p = 4 * (row * width + col);
      const [r, g, b] = colour(row, col);
      data[p] = r;
      data[p + 1] = g;
      data[p + 2] = b;
      data[p + 3] = 255;
    }
  return jpeg.encode({ data, width, height }, 95).data;
}

/** Three separable classes in four features, as in the iris table: rows `a,b,c,d,species`. */
export function flowersCsv(rows: number, delimiter = ","): string {
  const names = ["setosa", "versicolor", "virginica"];
  const lines = [["sepal_length", "sepal_width", "petal_length", "petal_width", "species"].join(delimiter)];
  for (let i = 0; i < rows; i++) {
    const k = i % 3;
    const jitter = ((i * 37) % 11) / 20;
    lines.push([1 + 2 * k + jitter, 3 - k + jitter, 0.5 + 2.5 * k, 0.2 + k, names[k]].map(String).join(delimiter));
  }
  return `${lines.join("\n")}\n`;
}

/** Two targets that are smooth functions of three features: rows `x1,x2,x3,y1,y2`. */
export function twoTargetCsv(rows: number): string {
  const lines = ["x1,x2,x3,y1,y2"];
  for (let i = 0; i < rows; i++) {
    const x = [((i * 7) % 13) / 13, ((i * 5) % 17) / 17, ((i * 3) % 19) / 19];
    lines.push([...x, x[0] + 0.5 * x[1], x[2] - x[0]].map((v) => v.toFixed(4)).join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** Writes `content` to `dir/name`, making the folders on the way; returns the path. */
export function writeUnder(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}
