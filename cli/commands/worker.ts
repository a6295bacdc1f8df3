/**
 * `simc worker redis://HOST:PORT/DB [--concurrency K]`: run search trials that `simc tune
 * --queue` put on the queue, on this machine, until interrupted. Trial directories must be
 * reachable at the same paths as on the tuner's machine (a shared file system): checkpoints live
 * there, so any worker can resume a trial another one lost.
 * Exit codes: 0 stopped by a signal, 1 bad input (URL, options, Redis unreachable), 2 internal.
 */
import { checkRedis } from "../../search/queue.js";
import { serveTrials } from "../../search/worker.js";
import { InputError, reportFailure, type CliOptions, type ExitCode } from "../command-kit.js";

function integer(options: CliOptions, key: string, flag: string, fallback: number): number {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const value = typeof raw === "number" ? raw : Number(raw);
  if (typeof raw === "boolean" || !Number.isInteger(value) || value < 1) throw new InputError(`--${flag} expects an integer ≥ 1, got '${String(raw)}'`);
  return value;
}

export async function runWorker(url: unknown, options: CliOptions): Promise<ExitCode> {
  try {
    if (typeof url !== "string" || url === "") throw new InputError("worker needs the queue's Redis URL: simc worker redis://HOST:PORT/DB");
    const concurrency = integer(options, "concurrency", "concurrency", 1);
    const stalledSeconds = integer(options, "stalledSeconds", "stalled-seconds", 30);
    await checkRedis(url);
    await serveTrials(url, { concurrency, stalledSeconds, log: (line) => process.stdout.write(`${line}\n`) });
    return 0;
  } catch (error) {
    return reportFailure("worker", error, "", false);
  }
}
