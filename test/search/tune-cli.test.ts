import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWorker } from "../../cli/commands/worker.js";
import { capture } from "../train/capture.js";
import { journalOf, simc, simcSync, stop, waitFor, type Running } from "./cli-helpers.js";

// One file, run in order: the local search (killed and resumed), then the same search on a
// queue served by workers, one of which is killed mid-trial.

const REDIS_SERVER = "/usr/bin/redis-server";
const SPEC = "test/search/fixtures/tiny.sim";
const dir = mkdtempSync(join(tmpdir(), "simc-queue-"));
let redis: ChildProcess | undefined;
let url = "";
const started: Running[] = [];

interface SearchDocument {
  trials: { id: string; status: string; results: { epoch: number; metric: number }[]; outcome: { resumedFrom: number } }[];
  best: { spec: string };
  retrain: { seeds: number[]; values: number[]; measure: string; mean: number; std: number } | null;
}
/** The local search's trials, for comparison with the same search on the queue. */
let localTrials: SearchDocument["trials"] = [];

/** A free loopback port (bound, read, released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

beforeAll(async () => {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(`${REDIS_SERVER} is not installed: apt-get install redis-server (.ci/run installs it on CI)`);
  }
  const port = await freePort();
  const data = join(dir, "redis");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(data);
  redis = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--dir", data, "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  url = `redis://127.0.0.1:${port}/0`;
  const { Redis } = await import("ioredis");
  await waitFor(() => redis?.exitCode === null, "redis-server to start", 5000);
  const start = Date.now();
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      break;
    } catch {
      client.disconnect();
      if (redis?.exitCode !== null || Date.now() - start > 10_000) throw new Error("redis-server did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

afterAll(async () => {
  for (const running of started) await stop(running, "SIGKILL");
  if (redis && redis.exitCode === null) {
    const exited = new Promise((r) => redis?.once("exit", r));
    redis.kill("SIGTERM");
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("simc tune, killed and resumed", () => {
  it("finishes every trial exactly once", { timeout: 240_000 }, async () => {
    const out = join(dir, "local");
    const first = simc(["tune", SPEC, "--concurrency", "2", "--out", out, "--backend", "cpu"]);
    try {
      await waitFor(() => (journalOf(out)?.trials ?? []).some((t) => t.status === "finished"), "a finished trial");
    } finally {
      await stop(first, "SIGKILL");
    }
    const before = journalOf(out)!;
    const finishedBefore = before.trials.filter((t) => t.status === "finished");
    expect(finishedBefore.length).toBeGreaterThan(0);
    expect(before.trials.some((t) => t.status !== "finished")).toBe(true);

    const again = simcSync(["tune", SPEC, "--concurrency", "2", "--out", out, "--backend", "cpu"]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already holds a search");
    expect(again.stderr).toContain("help: pass --resume");

    const resumed = simcSync(["tune", SPEC, "--concurrency", "2", "--out", out, "--backend", "cpu", "--resume", "--retrain", "2", "--json"], 200_000);
    expect(resumed.stderr).not.toContain("internal error");
    expect(resumed.status).toBe(0);
    const document = JSON.parse(resumed.stdout) as SearchDocument;
    localTrials = document.trials;
    expect(document.trials.map((t) => t.id).sort()).toEqual(["t000", "t001", "t002"]);
    expect(document.trials.every((t) => t.status === "finished")).toBe(true);

    const after = journalOf(out)!;
    // Each epoch of each trial reached the scheduler once, and each trial ended once.
    const results = after.events.filter((e) => !("end" in e)).map((e) => `${e.trial}@${(e as { epoch: number }).epoch}`);
    expect(new Set(results).size).toBe(results.length);
    expect(results.length).toBe(3 * 2);
    const ends = after.events.filter((e) => "end" in e).map((e) => e.trial);
    expect(ends.sort()).toEqual(["t000", "t001", "t002"]);
    // The trials finished before the kill kept their results and were not trained again.
    for (const t of finishedBefore) {
      const now = after.trials.find((u) => u.id === t.id)!;
      expect(now.results).toEqual(t.results);
      expect(now.outcome).toEqual(t.outcome);
    }
    // The best configuration retrained with seeds 1 and 2: test accuracy mean ± sample std.
    const retrain = document.retrain!;
    expect(retrain.seeds).toEqual([1, 2]);
    expect(retrain.values).toHaveLength(2);
    expect(retrain.measure).toBe("accuracy");
    expect(retrain.mean).toBeCloseTo((retrain.values[0] + retrain.values[1]) / 2, 12);
    expect(retrain.std).toBeCloseTo(Math.abs(retrain.values[0] - retrain.values[1]) / Math.SQRT2, 12);
    expect(resumed.stderr).toMatch(/test accuracy: \d+\.\d\d ± \d+\.\d\d% over 2 runs/);
    // The best spec checks clean.
    const checked = simcSync(["check", document.best.spec]);
    expect(checked.status).toBe(0);
  });
});

describe("simc tune --queue with simc worker", () => {
  it("survives a worker killed mid-trial: the trial resumes from its checkpoint elsewhere", { timeout: 240_000 }, async () => {
    const out = join(dir, "search");
    const workerArgs = ["worker", url, "--stalled-seconds", "2"];
    const first = simc(workerArgs);
    started.push(first);
    await waitFor(() => first.output().includes("serving"), "the first worker");
    const tuner = simc(["tune", SPEC, "--queue", url, "--out", out, "--backend", "cpu", "--json"]);
    started.push(tuner);
    // The first worker has a trial to itself until it has trained one epoch; then it dies.
    const epochLine = /^(t\d{3}) epoch 1 /m;
    await waitFor(() => epochLine.test(first.output()), "a trial's first epoch on the first worker");
    const killed = epochLine.exec(first.output())![1];
    await stop(first, "SIGKILL");
    const second = simc(workerArgs);
    started.push(second);
    const code = await Promise.race([tuner.exited, new Promise<null>((r) => setTimeout(() => r(null), 200_000))]);
    expect(code, tuner.output()).toBe(0);
    await stop(second);

    const document = JSON.parse(tuner.output().slice(tuner.output().indexOf("{\n"))) as SearchDocument;
    expect(document.trials.map((t) => t.id).sort()).toEqual(["t000", "t001", "t002"]);
    expect(document.trials.every((t) => t.status === "finished")).toBe(true);
    const lost = document.trials.find((t) => t.id === killed)!;
    expect(lost.outcome.resumedFrom).toBeGreaterThanOrEqual(1);
    expect(second.output()).toMatch(new RegExp(`${killed} epoch 1 \\(from its checkpoint\\)`));
    const journal = journalOf(out)!;
    const results = journal.events.filter((e) => !("end" in e)).map((e) => `${e.trial}@${(e as { epoch: number }).epoch}`);
    expect(new Set(results).size).toBe(results.length);
    expect(results.length).toBe(3 * 2);

    // The same search run on this machine (killed and resumed above) has the same trials with the same metrics.
    expect(localTrials.length).toBe(3);
    for (const t of document.trials) {
      const same = localTrials.find((u) => u.id === t.id)!;
      expect(t.results.map((r) => r.metric)).toEqual(same.results.map((r) => r.metric));
    }
  });

  it("says so when Redis cannot be reached, without hanging", async () => {
    const port = await freePort();
    const tune = simcSync(["tune", SPEC, "--queue", `redis://127.0.0.1:${port}/0`, "--out", join(dir, "unreachable")], 30_000);
    expect(tune.status).toBe(1);
    expect(tune.stderr).toContain(`cannot reach Redis at redis://127.0.0.1:${port}/0`);
    const unreachable = await capture(() => runWorker(`redis://127.0.0.1:${port}/0`, {}));
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`simc worker: error[SIM6501]: cannot reach Redis at redis://127.0.0.1:${port}/0`);
    const badUrl = await capture(() => runWorker("http://localhost:6379", {}));
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain("is not a Redis URL");
  });
});
