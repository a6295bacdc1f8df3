/** Trials in child processes on this machine, `concurrency` at a time. */
import type { TrialEvents, TrialExecutor } from "./executor.js";
import { startTrialChild, threadsPerTrial, type TrialChild } from "./trial-child.js";
import type { TrialJob } from "./trial-protocol.js";

export class LocalExecutor implements TrialExecutor {
  private readonly children = new Map<string, TrialChild>();
  private readonly threads: number;

  constructor(
    readonly slots: number,
    private readonly events: TrialEvents,
  ) {
    this.threads = threadsPerTrial(slots);
  }

  start(job: TrialJob): void {
    let settled = false;
    const child = startTrialChild(
      job,
      this.threads,
      (message) => {
        if (message.kind === "epoch") this.events.epoch(job.id, message.epoch);
        else if (message.kind === "done") {
          settled = true;
          this.events.done(job.id, message.outcome);
        } else {
          settled = true;
          this.events.failed(job.id, message.message);
        }
      },
      (code, stderrTail) => {
        const stopped = this.children.get(job.id) === undefined;
        this.children.delete(job.id);
        if (!settled && !stopped) this.events.failed(job.id, `the trial's process exited (code ${code ?? "none"})${stderrTail ? `: ${stderrTail}` : ""}`);
      },
    );
    this.children.set(job.id, child);
  }

  stop(id: string): void {
    const child = this.children.get(id);
    this.children.delete(id);
    child?.kill();
  }

  async close(): Promise<void> {
    const waiting = [...this.children.values()].map(
      (child) => new Promise<void>((resolve) => (child.process.exitCode !== null ? resolve() : child.process.once("exit", () => resolve()))),
    );
    for (const child of this.children.values()) child.kill();
    this.children.clear();
    await Promise.all(waiting);
  }
}
