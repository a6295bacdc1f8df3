/**
 * Trials as BullMQ jobs: the tuner enqueues every trial (its job id derived from the search
 * directory and the trial, so enqueuing again on resume adds nothing twice), listens to the
 * queue's events for each epoch's metric (job progress) and the trial's end, and asks the
 * worker running a trial to stop it through a Redis key. Workers take as many trials as their
 * concurrency allows; a trial whose worker died is taken over by another once its lock expires.
 */
import { createHash } from "node:crypto";
import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { TrialEvents, TrialExecutor } from "./executor.js";
import { connect, QUEUE_NAME, stopKey } from "./queue.js";
import type { TrialJob, TrialMessage } from "./trial-protocol.js";

export { checkRedis } from "./queue.js";

function parse<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

export class QueueExecutor implements TrialExecutor {
  readonly slots = Number.POSITIVE_INFINITY;
  private readonly prefix: string;
  private readonly trialOf = new Map<string, string>();

  private constructor(
    private readonly queue: Queue,
    private readonly queueEvents: QueueEvents,
    private readonly redis: Redis,
    /** BullMQ leaves connections it was given open: they are closed here. */
    private readonly connections: Redis[],
    searchDir: string,
    private readonly events: TrialEvents,
  ) {
    this.prefix = `s${createHash("sha1").update(searchDir).digest("hex").slice(0, 12)}`;
    queueEvents.on("progress", ({ jobId, data }) => {
      const id = this.trialOf.get(jobId);
      const message = parse<TrialMessage>(data);
      if (id && message.kind === "epoch") this.events.epoch(id, message.epoch);
    });
    queueEvents.on("completed", ({ jobId, returnvalue }) => {
      const id = this.trialOf.get(jobId);
      const message = parse<TrialMessage | null>(returnvalue);
      if (!id || !message) return;
      if (message.kind === "done") this.events.done(id, message.outcome);
      else if (message.kind === "failed") this.events.failed(id, message.message);
    });
    queueEvents.on("failed", ({ jobId, failedReason }) => {
      const id = this.trialOf.get(jobId);
      if (id) this.events.failed(id, failedReason);
    });
  }

  static async open(url: string, searchDir: string, events: TrialEvents): Promise<QueueExecutor> {
    const connections = [connect(url), connect(url), connect(url)];
    const queue = new Queue(QUEUE_NAME, { connection: connections[1] });
    const queueEvents = new QueueEvents(QUEUE_NAME, { connection: connections[2] });
    await queueEvents.waitUntilReady();
    return new QueueExecutor(queue, queueEvents, connections[0], connections, searchDir, events);
  }

  private jobId(id: string): string {
    return `${this.prefix}-${id}`;
  }

  start(job: TrialJob): void {
    const jobId = this.jobId(job.id);
    this.trialOf.set(jobId, job.id);
    void (async () => {
      await this.redis.del(stopKey(jobId));
      // A finished job of an earlier run of this search would block the id: the journal decides.
      const previous = await this.queue.getJob(jobId);
      if (previous && ((await previous.isCompleted()) || (await previous.isFailed()))) await previous.remove();
      await this.queue.add("trial", job, { jobId, removeOnComplete: true, removeOnFail: true });
    })().catch((error: unknown) => this.events.failed(job.id, `could not enqueue: ${(error as Error).message}`));
  }

  stop(id: string): void {
    void this.redis.set(stopKey(this.jobId(id)), "1", "EX", 24 * 3600).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.queueEvents.close();
    await this.queue.close();
    for (const connection of this.connections) connection.disconnect();
  }
}
