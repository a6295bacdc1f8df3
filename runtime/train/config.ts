/**
 * The settings of one training run: the spec's `train` section as lowering stored it in the IR,
 * with command-line overrides on top and the vocabulary's defaults filled in. Anything that
 * cannot be honoured is a `TrainConfigError` naming the setting and the valid choices.
 */
import { RUNTIME_CODES } from "../../core/codes/runtime.js";
import { CodedFailure, type FailureDetails } from "../../core/failure.js";
import type { CallValue, Value } from "../../core/values.js";
import type { AttrValue } from "../../ir/types.js";
import { resolveTrainSection, type IRTrain } from "../../ir/train-section.js";
import type { LossName } from "./loss.js";
import type { OptimizerSpec } from "./optimizer.js";
import type { ScheduleSpec } from "./schedule.js";

export class TrainConfigError extends CodedFailure {
  constructor(message: string, details: FailureDetails = {}) {
    super(RUNTIME_CODES.trainSetting, message, details);
    this.name = "TrainConfigError";
  }
}

export interface TrainConfig {
  data: Value;
  loss: LossName;
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec;
  /** Examples per step; 0 = the whole training set in one step. */
  batch: number;
  epochs: number;
  /** Global gradient-norm cap; absent = no clipping. */
  clip?: number;
  validation: number;
  seed: number;
  /** Use at most this many training examples; 0 = all. */
  limit: number;
  /** Validate after every this many epochs and after the last; 0 = the default cadence (`ValidationCadence`). */
  validateEvery: number;
}

/** Values given on the command line; each replaces the spec's setting. */
export interface TrainOverrides {
  data?: Value;
  epochs?: number;
  batch?: number;
  /** Replaces the optimiser's lr (and onecycle's max_lr, the peak rate of that schedule). */
  lr?: number;
  limit?: number;
  seed?: number;
  validateEvery?: number;
}

type Record_ = Record<string, AttrValue>;

/** The record with command-line overrides written over the spec's settings. */
function overridden(record: Record_, overrides: TrainOverrides): Record<string, unknown> {
  const next: Record<string, unknown> = { ...record };
  for (const key of ["data", "epochs", "batch", "seed"] as const) if (overrides[key] !== undefined) next[key] = overrides[key];
  if (overrides.limit !== undefined) next.limit = overrides.limit === 0 ? undefined : overrides.limit;
  if (overrides.validateEvery !== undefined) next.validate_every = overrides.validateEvery;
  if (overrides.lr !== undefined) {
    // --lr replaces the optimiser's rate and the peak of the one-cycle schedules.
    const withLr = (value: unknown, key: string, only?: (name: string) => boolean) => {
      const call = typeof value === "string" ? { call: value, args: {} } : (value as CallValue | undefined);
      if (!call || typeof call !== "object" || typeof call.call !== "string") return value;
      if (only && !only(call.call)) return value;
      return { call: call.call, args: { ...call.args, [key]: overrides.lr! } };
    };
    next.optimizer = withLr(next.optimizer ?? "adam", "lr");
    next.schedule = withLr(next.schedule, "max_lr", (name) => name.startsWith("onecycle"));
  }
  return next;
}

function optimizerSpec(o: IRTrain["optimizer"]): OptimizerSpec {
  const a = o.args as Record<string, number | boolean>;
  if (o.call === "sgd") {
    return { kind: "sgd", lr: a.lr as number, momentum: a.momentum as number, nesterov: a.nesterov as boolean, weightDecay: a.weight_decay as number };
  }
  return { kind: o.call, lr: a.lr as number, eps: a.eps as number, beta1: a.beta1 as number, beta2: a.beta2 as number, weightDecay: a.weight_decay as number };
}

function scheduleSpec(s: IRTrain["schedule"]): ScheduleSpec {
  const a = s.args as Record<string, number>;
  switch (s.call) {
    case "constant":
      return { kind: "constant" };
    case "step":
      return { kind: "step", every: a.every, gamma: a.gamma };
    case "onecycle":
      return { kind: "onecycle", maxLr: a.max_lr, pctStart: a.pct_start };
    case "onecycle_linear":
      return { kind: "onecycle_linear", maxLr: a.max_lr, final: a.final, beta1High: a.beta1_high, beta1Low: a.beta1_low };
    case "cosine":
      return { kind: "cosine", minLr: a.min_lr, warmup: a.warmup };
  }
}

/**
 * The run's settings: the IR's train section with command-line overrides on top, resolved
 * against the training vocabulary (the checker's defaults, names and ranges).
 */
export function resolveTrainConfig(record: IRTrain | Record_ | undefined, overrides: TrainOverrides = {}): TrainConfig {
  const { train, problems } = resolveTrainSection(overridden((record ?? {}) as Record_, overrides));
  if (!train) throw new TrainConfigError(problems[0].message, { hint: problems[0].hint });
  if (train.data === undefined) {
    throw new TrainConfigError("no data set: add `data: …` to the model's train section or pass --data", { hint: "e.g. data: mnist" });
  }
  return {
    data: train.data,
    loss: train.loss,
    optimizer: optimizerSpec(train.optimizer),
    schedule: scheduleSpec(train.schedule),
    batch: train.batch,
    epochs: train.epochs,
    clip: train.clip,
    validation: train.validation,
    seed: train.seed,
    limit: train.limit ?? 0,
    validateEvery: train.validate_every ?? 0,
  };
}
