/**
 * Starts a trial in a child process (`trial-process`) and relays its messages. Shared by the
 * local executor and by `simc worker`. The child runs with its share of the machine's cores.
 */
import { fork, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { TrialJob, TrialMessage } from "./trial-protocol.js";

/** Whether simc runs from its TypeScript sources (tests) or from `dist/`. */
const fromSources = import.meta.url.endsWith(".ts");
const trialScript = fileURLToPath(new URL(`./trial-process.${fromSources ? "ts" : "js"}`, import.meta.url));

export interface TrialChild {
  process: ChildProcess;
  /** Ends the trial now (SIGTERM; checkpoints are written atomically, so any moment is safe). */
  kill(): void;
}

/** Threads for each of `concurrency` trials on this machine. */
export function threadsPerTrial(concurrency: number): number {
  return Math.max(1, Math.floor(availableParallelism() / Math.max(1, concurrency)));
}

/**
 * Forks the trial; `onMessage` gets its epochs and result; `onExit` fires once, with the last
 * lines of its standard error when it ended without saying why.
 */
export function startTrialChild(
  job: TrialJob,
  threads: number,
  onMessage: (message: TrialMessage) => void,
  onExit: (code: number | null, stderrTail: string) => void,
): TrialChild {
  const child = fork(trialScript, [], {
    execArgv: fromSources ? ["--import", "tsx"] : [],
    env: { ...process.env, SIMC_TRIAL_PROCESS: "1", SIMC_WASM_THREADS: String(threads) },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  child.on("message", (message: TrialMessage) => onMessage(message));
  let exited = false;
  const exit = (code: number | null) => {
    if (exited) return;
    exited = true;
    // The line that names the error says more than the stack under it.
    const lines = stderr.trim().split("\n");
    const named = lines.find((l) => /error/i.test(l));
    onExit(code, named ?? lines.slice(-3).join("\n"));
  };
  child.on("exit", (code) => exit(code));
  child.on("error", (error) => {
    stderr += `\n${error.message}`;
    exit(null);
  });
  child.send(job);
  return {
    process: child,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    },
  };
}
