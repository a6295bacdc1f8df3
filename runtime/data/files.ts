/**
 * Reading data files: every file-system failure becomes a `DataError` naming the path, and
 * gzip files are recognised by their magic bytes (not their name) and inflated.
 */
import { readFile, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import { regularFileProblem } from "../../core/input-file.js";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { DataError } from "./errors.js";

const gunzipAsync = promisify(gunzip);

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "file not found";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory, expected a file";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** The file's bytes; `hint` says what would fix a missing or unreadable file. */
export async function readBytes(path: string, hint?: string): Promise<Uint8Array> {
  // A device or FIFO would be read forever; missing files keep the data set's own message.
  const problem = regularFileProblem(path, "data file");
  if (problem && problem.code !== "SIM7009") throw problem;
  try {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new DataError(describeFsError(error), { file: path, hint });
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The file's bytes, inflated when the file is gzip-compressed. */
export async function readMaybeGzip(path: string, hint?: string): Promise<Uint8Array> {
  const bytes = await readBytes(path, hint);
  if (!isGzip(bytes)) return bytes;
  try {
    const inflated = await gunzipAsync(bytes);
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataError(`starts like a gzip file but does not inflate (${reason})`, {
      file: path,
      hint: "the download is probably truncated or corrupt; fetch the file again",
    });
  }
}

/** Fails unless `dir` exists and is a directory. */
export async function requireDirectory(dir: string, hint?: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (error) {
    throw new DataError(
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "directory not found" : describeFsError(error),
      { file: dir, hint },
    );
  }
  if (!isDirectory) throw new DataError("is a file, expected a directory", { file: dir, hint });
}

/** The first of `names` that exists in `dir`, or undefined. */
export function findFirst(dir: string, names: readonly string[]): string | undefined {
  for (const name of names) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}
