/**
 * A run directory is locked while a run writes to it: `run.lock` holds the owner's process id,
 * host and command line, created exclusively (O_EXCL), so of two runs started together exactly
 * one gets it. A lock left by a process that no longer exists (killed with SIGKILL) is taken
 * over; one held by a live process refuses the second run, naming the holder.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { CodedError } from "../core/coded-error.js";
import { systemReason } from "../core/input-file.js";

export const LOCK_FILE = "run.lock";

interface LockOwner {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export interface RunLock {
  readonly path: string;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, "utf8")) as LockOwner;
    return Number.isInteger(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock of `dir` (which must exist) or throws a coded error naming its holder. */
export function lockRunDirectory(dir: string, command = process.argv.slice(1).join(" ")): RunLock {
  const path = join(dir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new CodedError("SIM7103", `cannot lock run directory '${dir}': ${systemReason(error)}`);
      }
      const holder = readOwner(path);
      // Half-written by a run starting this very moment: treat as held.
      const stale = holder !== undefined && holder.host === owner.host && !alive(holder.pid);
      if (!stale) {
        const who = holder ? `process ${holder.pid} on ${holder.host} (since ${holder.since}: ${holder.command})` : "another process";
        throw new CodedError(
          "SIM7104",
          `run directory '${dir}' is in use by ${who}`,
          `wait for that run to finish, or choose another --out; if no such process runs, delete ${path}`,
        );
      }
      try {
        unlinkSync(path);
      } catch {
        // another run took it over first; try again
      }
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(owner)}\n`);
    } finally {
      closeSync(fd);
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off("exit", release);
      if (readOwner(path)?.pid === owner.pid) {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      }
    };
    process.on("exit", release);
    return { path, release };
  }
  throw new CodedError("SIM7104", `run directory '${dir}' is being locked by another run at the same moment`, "start one run at a time per directory");
}
