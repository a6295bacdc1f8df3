/**
 * Outputs are checked before any work: a file output must not be one of the inputs, must not
 * be a directory or a device, and must be writable; a directory output must not be a file and
 * must take new files. The check writes and removes a probe file, because permission bits do
 * not tell the whole story (root, read-only mounts, /proc). Directories are created one level
 * at a time: a recursive mkdir under /proc never returns on some Node versions.
 */
import { randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, realpathSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CodedError, clip } from "./coded-error.js";
import { systemReason } from "./input-file.js";

const errorCode = (error: unknown) => (error && typeof error === "object" && "code" in error ? String(error.code) : "");

/** Where writing `path` lands: through symbolic links to the file they name. */
export function writeTarget(path: string): string {
  const absolute = resolve(path);
  let isLink = false;
  try {
    isLink = lstatSync(absolute).isSymbolicLink();
  } catch {
    return absolute;
  }
  if (!isLink) return absolute;
  try {
    return realpathSync(absolute);
  } catch (error) {
    if (errorCode(error) === "ELOOP") throw new CodedError("SIM7004", `output '${clip(path)}' is a symbolic link loop`);
    // A dangling link: write where it points.
    throw new CodedError("SIM7103", `output '${clip(path)}' is a symbolic link to a missing place`, "remove the link or point it at an existing directory");
  }
}

function probeDirectory(dir: string, shown: string): void {
  const probe = resolve(dir, `.simc-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    writeFileSync(probe, "");
  } catch (error) {
    throw new CodedError("SIM7103", `cannot write into '${clip(shown)}': ${systemReason(error)}`, "choose a directory you can write to");
  }
  unlinkSync(probe);
}

/** The nearest existing ancestor of `path` (itself included); throws when it is not a directory. */
function existingAncestor(path: string, shown: string): string {
  let current = path;
  for (;;) {
    try {
      const stats = statSync(current);
      if (!stats.isDirectory()) {
        throw new CodedError("SIM7102", `'${clip(shown)}' cannot be created: '${clip(current)}' is a file, not a directory`, "choose a path whose parent is a directory");
      }
      return current;
    } catch (error) {
      if (error instanceof CodedError) throw error;
      if (errorCode(error) === "ELOOP") throw new CodedError("SIM7004", `'${clip(current)}' is a symbolic link loop`);
      const parent = dirname(current);
      if (parent === current) throw new CodedError("SIM7103", `cannot create '${clip(shown)}': ${systemReason(error)}`);
      current = parent;
    }
  }
}

/** Creates `dir` and its missing parents one level at a time; failures name `shown`. */
export function makeDirectory(dir: string, shown: string = dir): void {
  const absolute = resolve(dir);
  const base = existingAncestor(absolute, shown);
  const missing: string[] = [];
  for (let d = absolute; d !== base; d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (error) {
      if (errorCode(error) === "EEXIST" && statSync(d).isDirectory()) continue;
      throw new CodedError("SIM7103", `cannot create directory '${clip(shown)}': ${systemReason(error)}`, "choose a directory you can write to");
    }
  }
}

/**
 * Checks that `path` can be written as a file without destroying an input; returns where the
 * bytes will land (through symbolic links). Creates nothing.
 */
export function checkOutputFile(path: string, inputs: readonly string[] = []): string {
  const target = writeTarget(path);
  const sameFile = (a: string, b: string) => {
    try {
      return realpathSync(a) === realpathSync(b);
    } catch {
      return resolve(a) === resolve(b);
    }
  };
  for (const input of inputs) {
    if (sameFile(target, input)) {
      throw new CodedError("SIM7101", `output '${clip(path)}' is the input '${clip(input)}'; writing it would destroy the input`, "write to another file, e.g. model.json");
    }
  }
  let exists = true;
  try {
    const stats = statSync(target);
    if (stats.isDirectory()) throw new CodedError("SIM7102", `output '${clip(path)}' is a directory; a file is needed`, "name a file inside it, e.g. DIR/model.json");
    if (!stats.isFile()) throw new CodedError("SIM7102", `output '${clip(path)}' is not a regular file (a device, pipe or socket)`, "name a regular file");
    if ((stats.mode & 0o222) === 0) throw new CodedError("SIM7103", `output '${clip(path)}' is read-only`, "make it writable (chmod u+w) or choose another file");
  } catch (error) {
    if (error instanceof CodedError) throw error;
    exists = false;
  }
  const dir = dirname(target);
  probeDirectory(exists ? dir : existingAncestor(dir, path), exists ? path : dirname(path));
  return target;
}

/** Checks (and creates) a directory output such as a run directory. */
export function prepareOutputDirectory(path: string): string {
  const absolute = resolve(path);
  let stats;
  try {
    stats = statSync(absolute);
  } catch (error) {
    if (errorCode(error) === "ELOOP") throw new CodedError("SIM7004", `'${clip(path)}' is a symbolic link loop`);
    makeDirectory(absolute, path);
    stats = statSync(absolute);
  }
  if (!stats.isDirectory()) throw new CodedError("SIM7102", `'${clip(path)}' is a file, not a directory`, "give a directory (it is created when missing)");
  probeDirectory(absolute, path);
  return absolute;
}
