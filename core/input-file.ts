/**
 * Reading the user's files safely: only regular files are read (a device or a FIFO would be
 * read forever, a directory or a symbolic-link loop has no text), text must be UTF-8 (the
 * error names the line, column and byte), and a byte-order mark is dropped before parsing so
 * columns count as an editor shows them.
 */
import { lstatSync, readFileSync, statSync, type Stats } from "node:fs";
import { CodedError, clip } from "./coded-error.js";

/** Why the operating system refused, in words (no temporary names, no stack). */
export function systemReason(error: unknown): string {
  const code = error && typeof error === "object" && "code" in error ? String(error.code) : "";
  const reasons: Record<string, string> = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOSPC: "no space left on device",
    EDQUOT: "disk quota exceeded",
    EISDIR: "is a directory",
    ENOTDIR: "a component of the path is not a directory",
    ELOOP: "too many levels of symbolic links",
    ENAMETOOLONG: "file name too long",
    EIO: "input/output error",
    EEXIST: "already exists",
  };
  return reasons[code] ?? (error instanceof Error ? error.message.replace(/^[A-Z]+: /, "") : String(error));
}

function statOrProblem(path: string, role: string): Stats | CodedError {
  const shown = clip(path);
  try {
    return statSync(path);
  } catch (error) {
    const code = error && typeof error === "object" && "code" in error ? String(error.code) : "";
    if (code === "ELOOP") {
      return new CodedError("SIM7004", `${role} '${shown}' is a symbolic link loop`, "point the link at a real file (readlink shows where it leads)");
    }
    if (code === "ENOENT" || code === "ENOTDIR") {
      let dangling = false;
      try {
        dangling = lstatSync(path).isSymbolicLink();
      } catch {
        // the path itself is missing
      }
      return new CodedError(
        "SIM7009",
        dangling
          ? `cannot read ${role} '${shown}': it is a symbolic link to a file that does not exist`
          : `cannot read ${role} '${shown}': no such file or directory`,
        "check the path; relative paths are taken from the current directory",
      );
    }
    if (code === "ENAMETOOLONG") return new CodedError("SIM7009", `${role} path is too long: '${shown}'`);
    return new CodedError("SIM7008", `cannot read ${role} '${shown}': ${systemReason(error)}`);
  }
}

/** Why `path` cannot be read as a regular file, or undefined when it can. */
export function regularFileProblem(path: string, role: string): CodedError | undefined {
  const stats = statOrProblem(path, role);
  if (stats instanceof CodedError) return stats;
  const shown = clip(path);
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return new CodedError("SIM7001", `${role} '${shown}' is a directory, not a file`, "name a file inside it");
  if (stats.isCharacterDevice() || stats.isBlockDevice()) {
    return new CodedError("SIM7002", `${role} '${shown}' is a device, not a regular file`, "simc reads only regular files; copy the content to a file first");
  }
  if (stats.isFIFO() || stats.isSocket()) {
    return new CodedError("SIM7003", `${role} '${shown}' is a ${stats.isFIFO() ? "named pipe (FIFO)" : "socket"}, not a regular file`, "save the content to a regular file and give that");
  }
  return new CodedError("SIM7008", `${role} '${shown}' is not a regular file`);
}

/** Throws the `CodedError` when `path` is not a readable regular file. */
export function requireRegularFile(path: string, role: string): void {
  const problem = regularFileProblem(path, role);
  if (problem) throw problem;
}

/** Reads a regular file's bytes; every failure is a `CodedError` naming `path`. */
export function readRegularFile(path: string, role: string): Buffer {
  requireRegularFile(path, role);
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CodedError("SIM7008", `cannot read ${role} '${clip(path)}': ${systemReason(error)}`);
  }
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the bytes there are not UTF-8. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i];
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < bytes.length && bytes[i + k] >= lo && bytes[i + k] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    // No overlong forms (E0 needs A0..BF) and no surrogates (ED needs 80..9F).
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Line and column (1-based, in characters) of byte `offset`. */
function placeOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const before = new TextDecoder("utf-8").decode(bytes.subarray(lineStart, offset)).replace(/^\uFEFF/, "");
  return { line, column: [...before].length + 1 };
}

const hexByte = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, "0")}`;

/** Decodes UTF-8 text strictly, without a leading byte-order mark. */
export function decodeText(bytes: Uint8Array, path: string, role: string): string {
  const shown = clip(path);
  let invalid = -1;
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      invalid = i;
      break;
    }
    i += n;
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0 && (invalid < 0 || nul < invalid)) {
    const at = placeOf(bytes, nul);
    throw new CodedError("SIM7006", `${role} '${shown}' is a binary file (a NUL byte at line ${at.line}, column ${at.column}, byte offset ${nul})`, "give a .sim text file", at);
  }
  if (invalid >= 0) {
    const at = placeOf(bytes, invalid);
    throw new CodedError(
      "SIM7005",
      `${role} '${shown}' is not UTF-8: byte ${hexByte(bytes[invalid])} at line ${at.line}, column ${at.column} (byte offset ${invalid})`,
      "save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)",
      at,
    );
  }
  const text = new TextDecoder("utf-8").decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A regular file's UTF-8 text (BOM dropped); every failure is a `CodedError`. */
export function readTextFile(path: string, role: string): string {
  return decodeText(readRegularFile(path, role), path, role);
}
