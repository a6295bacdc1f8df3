/**
 * The settings of one training run: the spec's `train` section as lowering stored it in the IR,
 * with command-line overrides on top and the vocabulary's defaults filled in. Anything that
 * cannot be honoured is a `TrainConfigError` naming the setting and the valid choices.
 */
import type { CallValue, Value } from "../../core/values.js";
import type { AttrValue } from "../../ir/types.js";
import type { LossName } from "./loss.js";
import type { OptimizerSpec } from "./optimizer.js";
import type { ScheduleSpec } from "./schedule.js";

export class TrainConfigError extends Error {}

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
}

type Record_ = Record<string, AttrValue>;

function isCall(value: unknown): value is CallValue {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as CallValue).call === "string";
}

/** `adam` or `adam()` or `{ call: "adam", args }` → name and args. */
function asCall(value: AttrValue | undefined, setting: string, fallback: string): { name: string; args: Record_ } {
  if (value === undefined || value === null) return { name: fallback, args: {} };
  if (typeof value === "string") return { name: value, args: {} };
  if (isCall(value)) return { name: value.call, args: (value.args ?? {}) as Record_ };
  throw new TrainConfigError(`train.${setting}: expected a name or a call such as ${fallback}(), got ${JSON.stringify(value)}`);
}

function numberIn(args: Record_, key: string, fallback: number, where: string): number {
  const value = args[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TrainConfigError(`${where}: '${key}' must be a number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function booleanIn(args: Record_, key: string, fallback: boolean, where: string): boolean {
  const value = args[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "boolean") throw new TrainConfigError(`${where}: '${key}' must be true or false`);
  return value;
}

function rejectUnknown(args: Record_, known: string[], where: string): void {
  for (const key of Object.keys(args)) {
    if (!known.includes(key)) throw new TrainConfigError(`${where}: unknown setting '${key}' (valid: ${known.join(", ")})`);
  }
}

function optimizerFrom(value: AttrValue | undefined, lrOverride: number | undefined): OptimizerSpec {
  const { name, args } = asCall(value, "optimizer", "adam");
  const where = `train.optimizer ${name}()`;
  const lr = (fallback: number) => lrOverride ?? numberIn(args, "lr", fallback, where);
  switch (name) {
    case "adam":
    case "adamw":
      rejectUnknown(args, ["lr", "eps", "beta1", "beta2", "weight_decay"], where);
      return {
        kind: name,
        lr: lr(1e-3),
        eps: numberIn(args, "eps", 1e-8, where),
        beta1: numberIn(args, "beta1", 0.9, where),
        beta2: numberIn(args, "beta2", 0.999, where),
        weightDecay: numberIn(args, "weight_decay", name === "adamw" ? 0.01 : 0, where),
      };
    case "sgd":
      rejectUnknown(args, ["lr", "momentum", "nesterov", "weight_decay"], where);
      return {
        kind: "sgd",
        lr: lr(0.1),
        momentum: numberIn(args, "momentum", 0, where),
        nesterov: booleanIn(args, "nesterov", false, where),
        weightDecay: numberIn(args, "weight_decay", 0, where),
      };
    default:
      throw new TrainConfigError(`train.optimizer: unknown optimizer '${name}' (valid: adam, adamw, sgd)`);
  }
}

function scheduleFrom(value: AttrValue | undefined, optimizerLr: number, epochs: number, lrOverride: number | undefined): ScheduleSpec {
  const { name, args } = asCall(value, "schedule", "constant");
  const where = `train.schedule ${name}()`;
  switch (name) {
    case "constant":
      rejectUnknown(args, [], where);
      return { kind: "constant" };
    case "step":
      rejectUnknown(args, ["every", "gamma"], where);
      return {
        kind: "step",
        every: Math.max(numberIn(args, "every", epochs / 2, where), 1e-9),
        gamma: numberIn(args, "gamma", 0.1, where),
      };
    case "onecycle":
      rejectUnknown(args, ["max_lr", "pct_start"], where);
      return {
        kind: "onecycle",
        maxLr: lrOverride ?? numberIn(args, "max_lr", optimizerLr, where),
        pctStart: numberIn(args, "pct_start", 0.3, where),
      };
    case "cosine":
      rejectUnknown(args, ["min_lr", "warmup"], where);
      return { kind: "cosine", minLr: numberIn(args, "min_lr", 0, where), warmup: numberIn(args, "warmup", 0, where) };
    default:
      throw new TrainConfigError(`train.schedule: unknown schedule '${name}' (valid: constant, step, onecycle, cosine)`);
  }
}

function count(value: AttrValue | undefined, setting: string, fallback: number, min: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new TrainConfigError(`train.${setting} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Reads a setting at the top level of the record or in its `extra` table. */
function setting(record: Record_, key: string): AttrValue | undefined {
  if (record[key] !== undefined) return record[key];
  const extra = record.extra;
  if (typeof extra === "object" && extra !== null && !Array.isArray(extra)) return (extra as Record_)[key];
  return undefined;
}

export function resolveTrainConfig(record: Record_ | undefined, overrides: TrainOverrides = {}): TrainConfig {
  const r = record ?? {};
  const data = overrides.data ?? (setting(r, "data") as Value | undefined);
  if (data === undefined) throw new TrainConfigError("no data set: add `data: …` to the model's train section or pass --data");
  const loss = setting(r, "loss") ?? "cross_entropy";
  if (loss !== "cross_entropy" && loss !== "mse") {
    throw new TrainConfigError(`train.loss: unknown loss ${JSON.stringify(loss)} (valid: cross_entropy, mse)`);
  }
  const epochs = overrides.epochs ?? count(setting(r, "epochs"), "epochs", 1, 1);
  const optimizer = optimizerFrom(setting(r, "optimizer"), overrides.lr);
  const clipValue = setting(r, "clip");
  if (clipValue !== undefined && clipValue !== null && (typeof clipValue !== "number" || !(clipValue > 0))) {
    throw new TrainConfigError(`train.clip must be a positive number, got ${JSON.stringify(clipValue)}`);
  }
  const validation = setting(r, "validation") ?? 0.1;
  if (typeof validation !== "number" || validation < 0 || validation >= 1) {
    throw new TrainConfigError(`train.validation must be a fraction in [0, 1), got ${JSON.stringify(validation)}`);
  }
  return {
    data,
    loss,
    optimizer,
    schedule: scheduleFrom(setting(r, "schedule"), optimizer.lr, epochs, overrides.lr),
    batch: overrides.batch ?? count(setting(r, "batch"), "batch", 0, 0),
    epochs,
    clip: typeof clipValue === "number" ? clipValue : undefined,
    validation,
    seed: overrides.seed ?? count(setting(r, "seed"), "seed", 0, 0),
    limit: overrides.limit ?? count(setting(r, "limit"), "limit", 0, 0),
  };
}
