/**
 * What `simc train` reports of its step times: the first step apart (kernel compilation,
 * allocation, caches filling), the steady state as the median of the others, and the mean of all.
 */
export interface StepTimes {
  firstStepMs: number;
  /** The median step after the first (the first alone when it is the only one). */
  medianStepMs: number;
  /** Every step, the first included. */
  meanStepMs: number;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  // An even count has two middle values; the median is their mean, not the larger one.
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `times`: each step's milliseconds, in the order they ran. */
export function summarizeStepTimes(times: readonly number[]): StepTimes {
  if (times.length === 0) return { firstStepMs: 0, medianStepMs: 0, meanStepMs: 0 };
  return {
    firstStepMs: times[0],
    medianStepMs: median(times.length > 1 ? times.slice(1) : times),
    meanStepMs: times.reduce((sum, t) => sum + t, 0) / times.length,
  };
}
