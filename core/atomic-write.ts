/**
 * Atomic file writes: the data goes to a temporary file in the same directory, which is then
 * renamed over the target, so a reader (or a resumed run) sees the old file or the new one,
 * never half of one. A symbolic link is written through (the file it names is replaced, the
 * link stays), an existing file keeps its permissions, and a failure names the user's path.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { CodedError, clip } from "./coded-error.js";
import { systemReason } from "./input-file.js";
import { makeDirectory, writeTarget } from "./output-path.js";

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const target = writeTarget(path);
  makeDirectory(dirname(target), dirname(path));
  let mode: number | undefined;
  try {
    mode = statSync(target).mode & 0o7777;
  } catch {
    // a new file: the process's default permissions
  }
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeFileSync(temporary, data);
    if (mode !== undefined) chmodSync(temporary, mode);
    renameSync(temporary, target);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // the temporary file was never created
    }
    throw new CodedError("SIM7105", `cannot write '${clip(path)}': ${systemReason(error)}`, "the previous file, if any, is unchanged");
  }
}
