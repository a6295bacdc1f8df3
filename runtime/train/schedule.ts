/**
 * Learning-rate schedules, evaluated per optimiser step (0-based) from the run's length, so a
 * resumed run continues exactly where it stopped.
 * - constant(): lr.
 * - step(every, gamma): lr·gamma^⌊epoch / every⌋ (`every` in epochs, default epochs/2).
 * - onecycle(max_lr, pct_start): PyTorch's OneCycleLR (cosine annealing, div_factor 25,
 *   final_div_factor 1e4): max_lr/25 → max_lr over pct_start of the steps, then → max_lr/25e4.
 * - onecycle_linear(max_lr, final, beta1_high, beta1_low): monDEQ's piecewise-linear 1cycle, the
 *   schedule of the paper's experiments: lr → max_lr → lr linearly over the first E − final
 *   epochs (evaluated per step), then lr; Adam's beta1 goes beta1_high → beta1_low → beta1_high.
 * - cosine(min_lr, warmup): linear warm-up over `warmup` epochs, then cosine decay to min_lr.
 */

export type ScheduleSpec =
  | { kind: "constant" }
  | { kind: "step"; every: number; gamma: number }
  | { kind: "onecycle"; maxLr: number; pctStart: number }
  | { kind: "onecycle_linear"; maxLr: number; final: number; beta1High: number; beta1Low: number }
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
    case "onecycle_linear": {
      const at = linearCycle(spec, ctx);
      return (step) => at(step, ctx.lr, spec.maxLr);
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

/** Piecewise-linear interpolation over (epoch) knots [0, cycle/2, cycle, E]: low → high → low → low. */
function linearCycle(spec: { final: number }, ctx: ScheduleContext): (step: number, low: number, high: number) => number {
  const cycle = Math.max(ctx.epochs - spec.final, 1e-9);
  return (step, low, high) => {
    const epoch = step / ctx.stepsPerEpoch;
    if (epoch >= cycle) return low;
    const half = cycle / 2;
    return epoch <= half ? low + ((high - low) * epoch) / half : high + ((low - high) * (epoch - half)) / half;
  };
}

/** Adam's beta1 per step when the schedule cycles it (onecycle_linear), else undefined. */
export function makeBeta1Schedule(spec: ScheduleSpec, ctx: ScheduleContext): Schedule | undefined {
  if (spec.kind !== "onecycle_linear") return undefined;
  const at = linearCycle(spec, ctx);
  return (step) => at(step, spec.beta1High, spec.beta1Low);
}
