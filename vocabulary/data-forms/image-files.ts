/**
 * Decoding picture files: PNG (pngjs) and JPEG (jpeg-js), told apart by their first bytes, to
 * 8-bit RGBA. Shared by image regression and folders of images.
 */
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { extname } from "node:path";
import { DataError } from "./errors.js";
import { readFileBytes } from "./file-bytes.js";

export interface DecodedImage {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel, row-major. */
  rgba: Uint8Array;
}

export const IMAGE_EXTENSIONS: readonly string[] = [".png", ".jpg", ".jpeg"];

export function isImageFile(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(name).toLowerCase());
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** Largest decoded picture accepted, so a hostile file cannot exhaust memory. */
const MAX_MEGABYTES = 1024;

export function decodeImageBytes(bytes: Uint8Array, file: string): DecodedImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(bytes, PNG_MAGIC)) {
    try {
      const png = PNG.sync.read(buffer);
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    } catch (error) {
      throw new DataError(`is not a readable PNG (${(error as Error).message})`, {
        file,
        byte: 0,
        hint: "the file is probably truncated or corrupt; export it again",
      });
    }
  }
  if (startsWith(bytes, JPEG_MAGIC)) {
    try {
      const image = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: MAX_MEGABYTES });
      return { width: image.width, height: image.height, rgba: image.data };
    } catch (error) {
      throw new DataError(`is not a readable JPEG (${(error as Error).message})`, {
        file,
        byte: 0,
        hint: "the file is probably truncated or corrupt (progressive and baseline JPEGs are read); export it again",
      });
    }
  }
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
  const ext = extname(file).toLowerCase();
  const named = ext === ".png" ? "is not a readable PNG" : ext === ".jpg" || ext === ".jpeg" ? "is not a readable JPEG" : "is neither a PNG nor a JPEG";
  throw new DataError(`${named} (it starts with the bytes ${head || "(none)"})`, {
    file,
    byte: 0,
    hint: "images must be PNG (89 50 4e 47 …) or JPEG (ff d8 ff …) files",
  });
}

export function readImageFile(path: string, hint = "paths in data: are relative to the spec's directory"): DecodedImage {
  return decodeImageBytes(readFileBytes(path, hint), path);
}
