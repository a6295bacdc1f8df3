/**
 * Reading data files for inspection and loading: every file-system failure becomes a
 * `DataError` naming the path. Inspection reads only a file's first bytes where it can.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { DataError } from "./errors.js";

export function describeFsError(error: unknown): string {
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

/** The whole file. */
export function readFileBytes(path: string, hint?: string): Uint8Array {
  try {
    const buffer = readFileSync(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new DataError(describeFsError(error), { file: path, hint });
  }
}

/** At most the first `count` bytes of the file. */
export function readHead(path: string, count: number, hint?: string): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buffer = new Uint8Array(Math.min(count, statSync(path).size));
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read);
  } catch (error) {
    throw new DataError(describeFsError(error), { file: path, hint });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export type PathKind = "file" | "directory" | "missing";

export function pathKind(path: string): PathKind {
  try {
    return statSync(path).isDirectory() ? "directory" : "file";
  } catch {
    return "missing";
  }
}

/** Fails unless `dir` is a directory. */
export function requireDirectorySync(dir: string, hint?: string): void {
  const kind = pathKind(dir);
  if (kind === "missing") throw new DataError("directory not found", { file: dir, hint });
  if (kind === "file") throw new DataError("is a file, expected a directory", { file: dir, hint });
}

/** A cache key that changes when the file does. */
export function fileStamp(path: string): string {
  try {
    const s = statSync(path);
    return `${path}\0${s.size}\0${s.mtimeMs}`;
  } catch {
    return `${path}\0missing`;
  }
}
