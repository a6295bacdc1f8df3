/**
 * The paper's protocol after a search: train the best configuration again with R different
 * seeds, to its full epochs, and report the test metric as mean ± standard deviation.
 */
import { join } from "node:path";
import type { SearchMetric } from "../compiler/search-spec.js";
import type { TrialEvents, TrialExecutor } from "./executor.js";
import type { TrialJob, TrialOutcome } from "./trial-protocol.js";

export interface RetrainRequest {
  specFile: string;
  specText: string;
  model: string;
  metric: SearchMetric;
  outDir: string;
  runs: number;
  limit?: number;
  backend?: string;
}

export interface RetrainResult {
  seeds: number[];
  /** Test accuracy (classification) or PSNR (regression) per seed. */
  values: number[];
  measure: "accuracy" | "psnr" | "loss";
  mean: number;
  /** Sample standard deviation (n − 1); 0 for one run. */
  std: number;
  failures: string[];
}

export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance) };
}

function testValue(outcome: TrialOutcome): { measure: RetrainResult["measure"]; value: number } | undefined {
  const test = outcome.test;
  if (!test) return undefined;
  if (test.accuracy !== undefined) return { measure: "accuracy", value: test.accuracy };
  if (test.psnr !== undefined) return { measure: "psnr", value: test.psnr };
  return { measure: "loss", value: test.loss };
}

export async function retrain(
  request: RetrainRequest,
  makeExecutor: (events: TrialEvents) => TrialExecutor | Promise<TrialExecutor>,
): Promise<RetrainResult> {
  const seeds = Array.from({ length: request.runs }, (_, i) => i + 1);
  const jobs: TrialJob[] = seeds.map((seed) => ({
    id: `retrain-seed-${seed}`,
    specFile: request.specFile,
    specText: request.specText,
    model: request.model,
    dir: join(request.outDir, "retrain", `seed-${seed}`),
    metric: request.metric,
    seed,
    ...(request.limit !== undefined ? { limit: request.limit } : {}),
    ...(request.backend !== undefined ? { backend: request.backend } : {}),
  }));
  const outcomes = new Map<string, TrialOutcome>();
  const failures: string[] = [];
  let next = 0;
  let executor: TrialExecutor | undefined;
  await new Promise<void>((resolve, reject) => {
    const settle = () => {
      if (outcomes.size + failures.length === jobs.length) resolve();
      else if (next < jobs.length) executor?.start(jobs[next++]);
    };
    const events: TrialEvents = {
      epoch: () => undefined,
      done: (id, outcome) => {
        outcomes.set(id, outcome);
        settle();
      },
      failed: (id, message) => {
        failures.push(`${id}: ${message}`);
        settle();
      },
    };
    Promise.resolve(makeExecutor(events)).then((made) => {
      executor = made;
      while (next < jobs.length && next < made.slots) made.start(jobs[next++]);
    }, reject);
  });
  await executor?.close();
  const measured = jobs.map((job) => outcomes.get(job.id)).flatMap((o) => (o ? [testValue(o)] : [])).filter((v) => v !== undefined);
  const values = measured.map((m) => m.value);
  const { mean, std } = meanStd(values);
  return { seeds, values, measure: measured[0]?.measure ?? "loss", mean, std, failures };
}
