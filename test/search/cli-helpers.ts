/** Running `simc` from the sources as a separate process, for the search's end-to-end tests. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Journal } from "../../search/journal.js";

export const SIMC = ["--import", "tsx", "test/check/simc-cli.ts"];

export function simcSync(args: string[], timeoutMs = 120_000): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [...SIMC, ...args], { encoding: "utf8", timeout: timeoutMs });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function simc(args: string[]): Running {
  const child = spawn(process.execPath, [...SIMC, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls until `condition` holds; throws with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function journalOf(dir: string): Journal | undefined {
  const path = join(dir, "search.json");
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Journal;
  } catch {
    return undefined;
  }
}

/** Stops a process this test started (by its PID) and waits for it to exit. */
export async function stop(running: Running, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill(signal);
  await running.exited;
}
