/**
 * `simc worker`'s loop: take trials from the queue, run each in a child process, stream its
 * epochs back as job progress, and end it when the tuner sets its stop key. If this worker dies,
 * its child ends with it (the IPC channel closes) and the job's lock expires; another worker then
 * takes the trial over and resumes it from its last epoch checkpoint in the trial directory.
 */
import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { connect, QUEUE_NAME, stopKey } from "./queue.js";
import { startTrialChild, threadsPerTrial } from "./trial-child.js";
import type { TrialJob, TrialMessage } from "./trial-protocol.js";

export interface WorkerOptions {
  concurrency: number;
  /** Lock duration and stalled-check interval: how soon a dead worker's trial is taken over. */
  stalledSeconds: number;
  /** One line per trial event. */
  log: (line: string) => void;
}

const STOP_POLL_MS = 250;
const CLOSE_TIMEOUT_MS = 5000;

function runJob(job: Job<TrialJob>, redis: Redis, threads: number, log: WorkerOptions["log"]): Promise<TrialMessage | { kind: "stopped" }> {
  const data = job.data;
  return new Promise((resolve, reject) => {
    let result: TrialMessage | undefined;
    let stopped = false;
    const child = startTrialChild(
      data,
      threads,
      (message) => {
        if (message.kind === "epoch") {
          log(`${data.id} epoch ${message.epoch.epoch}${message.epoch.replayed ? " (from its checkpoint)" : ""}  ${data.metric} ${message.epoch.metric.toFixed(4)}`);
          void job.updateProgress(message).catch(() => undefined);
        } else result = message;
      },
      (code, stderrTail) => {
        clearInterval(poll);
        if (stopped) resolve({ kind: "stopped" });
        else if (result) resolve(result);
        else reject(new Error(`the trial's process exited (code ${code ?? "none"})${stderrTail ? `: ${stderrTail}` : ""}`));
      },
    );
    const poll = setInterval(() => {
      redis.get(stopKey(job.id ?? "")).then(
        (value) => {
          if (value === "1" && !stopped) {
            stopped = true;
            log(`${data.id} stopped by the scheduler`);
            child.kill();
          }
        },
        () => undefined,
      );
    }, STOP_POLL_MS);
  });
}

/** Serves trials until the process is told to stop; resolves when the worker has closed. */
export async function serveTrials(url: string, options: WorkerOptions): Promise<void> {
  const redis = connect(url);
  const workerConnection = connect(url);
  const threads = threadsPerTrial(options.concurrency);
  const worker = new Worker<TrialJob>(
    QUEUE_NAME,
    async (job) => {
      options.log(`${job.data.id} started (${job.data.dir})`);
      const outcome = await runJob(job, redis, threads, options.log);
      if (outcome.kind === "failed") throw new Error(outcome.message);
      if (outcome.kind === "done") options.log(`${job.data.id} finished (resumed after epoch ${outcome.outcome.resumedFrom})`);
      return outcome;
    },
    {
      connection: workerConnection,
      concurrency: options.concurrency,
      lockDuration: options.stalledSeconds * 1000,
      stalledInterval: options.stalledSeconds * 1000,
      maxStalledCount: 100,
    },
  );
  worker.on("error", (error) => options.log(`worker: ${error.message}`));
  await worker.waitUntilReady();
  options.log(`worker: serving ${QUEUE_NAME} at ${url}, ${options.concurrency} at a time`);
  await new Promise<void>((resolve) => {
    const close = () => {
      const done = () => {
        redis.disconnect();
        workerConnection.disconnect();
        resolve();
      };
      // With Redis gone, closing would wait for a reconnection that never comes.
      const timer = setTimeout(done, CLOSE_TIMEOUT_MS);
      worker.close(true).finally(() => {
        clearTimeout(timer);
        done();
      });
    };
    process.once("SIGINT", close);
    process.once("SIGTERM", close);
  });
}
