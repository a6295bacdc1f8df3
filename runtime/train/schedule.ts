/**
 * Learning-rate schedules, evaluated per optimiser step (0-based) from the run's length, so a
 * resumed run continues exactly where it stopped.
 * - constant(): lr.
 * - step(every, gamma): lr·gamma^⌊epoch / every⌋ (`every` in epochs, default epochs/2).
 * - onecycle(max_lr, pct_start): PyTorch's OneCycleLR (cosine annealing, div_factor 25,
 *   final_div_factor 1e4): max_lr/25 → max_lr over pct_start of the steps, then → max_lr/25e4.
 * - cosine(min_lr, warmup): linear warm-up over `warmup` epochs, then cosine decay to min_lr.
 */

export type ScheduleSpec =
  | { kind: "constant" }
  | { kind: "step"; every: number; gamma: number }
  | { kind: "onecycle"; maxLr: number; pctStart: number }
  | { kind: "cosine"; minLr: number; warmup: number };

export interface ScheduleContext {
  /** The optimiser's base learning rate. */
  lr: number;
  stepsPerEpoch: number;
  epochs: number;
}

export type Schedule = (step: number) => number;

function cosineBetween(start: number, end: number, fraction: number): number {
  return end + ((start - end) / 2) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, fraction))));
}

export function makeSchedule(spec: ScheduleSpec, ctx: ScheduleContext): Schedule {
  const totalSteps = Math.max(1, ctx.stepsPerEpoch * ctx.epochs);
  switch (spec.kind) {
    case "constant":
      return () => ctx.lr;
    case "step":
      return (step) => ctx.lr * spec.gamma ** Math.floor(Math.floor(step / ctx.stepsPerEpoch) / spec.every);
    case "onecycle": {
      const initial = spec.maxLr / 25;
      const final = initial / 1e4;
      const peakStep = spec.pctStart * totalSteps - 1;
      const lastStep = totalSteps - 1;
      return (step) => {
        if (step <= peakStep) return cosineBetween(initial, spec.maxLr, peakStep <= 0 ? 1 : step / peakStep);
        return cosineBetween(spec.maxLr, final, (step - peakStep) / Math.max(lastStep - peakStep, 1));
      };
    }
    case "cosine": {
      const warmupSteps = Math.round(spec.warmup * ctx.stepsPerEpoch);
      return (step) => {
        if (step < warmupSteps) return (ctx.lr * (step + 1)) / warmupSteps;
        const span = Math.max(totalSteps - warmupSteps, 1);
        return cosineBetween(ctx.lr, spec.minLr, (step - warmupSteps) / span);
      };
    }
  }
}
