/**
 * The queue both sides share: its name, how a Redis URL becomes a connection, the key through
 * which a tuner tells the worker running a trial to stop it, and a quick reachability check so
 * an unreachable Redis is a clear error rather than endless reconnecting.
 */
import { Redis } from "ioredis";
import { RUNTIME_CODES } from "../core/codes/runtime.js";
import { CodedFailure } from "../core/failure.js";

export const QUEUE_NAME = "simc-trials";

export class QueueError extends CodedFailure {
  constructor(message: string, hint: string) {
    super(RUNTIME_CODES.queueUnreachable, message, { hint });
  }
}

export function stopKey(jobId: string): string {
  return `simc:stop:${jobId}`;
}

function checkUrl(url: string): void {
  if (!/^rediss?:\/\/[^/\s]+(\/\d+)?\/?$/.test(url)) {
    throw new QueueError(`'${url}' is not a Redis URL`, "write redis://HOST:PORT/DB, e.g. redis://127.0.0.1:6379/0");
  }
}

/** A connection as BullMQ's workers need it (commands wait for reconnection instead of failing). */
export function connect(url: string): Redis {
  checkUrl(url);
  return new Redis(url, { maxRetriesPerRequest: null });
}

/** Throws `QueueError` when Redis at `url` does not answer within a few seconds. */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<void> {
  checkUrl(url);
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new QueueError(`cannot reach Redis at ${url}: ${(error as Error).message}`, "start redis-server there, or fix the URL");
  } finally {
    client.disconnect();
  }
}
