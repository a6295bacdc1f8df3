/**
 * Reading data files asynchronously: every file-system failure becomes a `DataError` naming
 * the path.
 */
import { readFile, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DataError } from "./errors.js";
import { describeFsError } from "../../vocabulary/data-forms/file-bytes.js";

/** The file's bytes; `hint` says what would fix a missing or unreadable file. */
export async function readBytes(path: string, hint?: string): Promise<Uint8Array> {
  try {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new DataError(describeFsError(error), { file: path, hint });
  }
}

/** Fails unless `dir` exists and is a directory. */
export async function requireDirectory(dir: string, hint?: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (error) {
    throw new DataError((error as NodeJS.ErrnoException).code === "ENOENT" ? "directory not found" : describeFsError(error), { file: dir, hint });
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
