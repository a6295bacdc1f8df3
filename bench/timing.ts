/** Timing of repeated steps for the benchmarks: the first call alone, then the steady state. */

export interface Timing {
  /** The first call (kernel compilation, allocation, caches filling). */
  first: number;
  median: number;
  best: number;
  /** Processor time of this process (all its threads) per step, a measure of work that other
   * programs' load does not inflate. */
  cpu: number;
}

/** Seconds a warm-up step may take before the timed steps are cut down to two. */
const SLOW_STEP_SECONDS = 2;

/** Milliseconds per call of `step` (which must finish its work before returning). */
export async function time(step: () => Promise<void>, warmup: number, wanted: number): Promise<Timing> {
  let slowest = 0;
  let first = 0;
  for (let i = 0; i < warmup; i++) {
    const started = performance.now();
    await step();
    if (i === 0) first = performance.now() - started;
    slowest = Math.max(slowest, performance.now() - started);
  }
  const steps = slowest > SLOW_STEP_SECONDS * 1000 ? Math.min(wanted, 2) : wanted;
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < steps; i++) {
    const started = performance.now();
    await step();
    times.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  return { first, median: times[Math.floor(times.length / 2)], best: times[0], cpu: (cpu.user + cpu.system) / 1000 / steps };
}
