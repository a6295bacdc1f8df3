/**
 * When to validate. Every `every` epochs and after the last one. With `every` = 0 (the default):
 * mini-batch training validates after every epoch; full-batch training (one step per epoch, a
 * validation set often as large as the training set, as in image regression) validates by time:
 * after the first epoch, then whenever the training since the last validation took at least
 * `VALIDATION_TIME_RATIO` times as long as that validation did, and after the last epoch, so
 * about 1/(1 + ratio) of its wall time goes to validation.
 */
export const VALIDATION_TIME_RATIO = 19;

export class ValidationCadence {
  private trainedMs = 0;
  private lastValidationMs: number | undefined;

  constructor(
    private readonly every: number,
    private readonly fullBatch: boolean,
  ) {}

  /** Time spent in training steps since the last validation. */
  trained(ms: number): void {
    this.trainedMs += ms;
  }

  validated(ms: number): void {
    this.lastValidationMs = ms;
    this.trainedMs = 0;
  }

  /** The rule in words, for the run's summary. */
  describe(): string {
    if (this.every > 0) return this.every === 1 ? "every epoch" : `every ${this.every} epochs and the last`;
    if (!this.fullBatch) return "every epoch";
    return `by time, aiming at ${Math.round(100 / (1 + VALIDATION_TIME_RATIO))} % of the wall time`;
  }

  due(epoch: number, lastEpoch: number): boolean {
    if (epoch === lastEpoch) return true;
    if (this.every > 0) return epoch % this.every === 0;
    if (!this.fullBatch) return true;
    return this.lastValidationMs === undefined || this.trainedMs >= VALIDATION_TIME_RATIO * this.lastValidationMs;
  }
}
