/**
 * The training vocabulary: data sets (bound from the data forms' parameters), losses,
 * optimizers and learning-rate schedules, each with its settings. Relative paths in data
 * settings are kept as written; the data forms resolve them against the spec file's directory.
 */
import { DATA_FORMS, type DataParam } from "../vocabulary/data-forms/index.js";
import { D, T, type ArgSpec, type ArgType } from "./arguments.js";
import type { SettingsDef } from "./deq-catalogue.js";

/** The data forms' parameters as the checker binds them (the forms themselves live below). */
function argSpec(param: DataParam): ArgSpec {
  const type: ArgType =
    param.kind === "integer"
      ? T.int(param.min)
      : param.kind === "fraction"
        ? T.float(0, 1, { minExclusive: true, maxExclusive: true })
        : param.kind === "boolean"
          ? T.bool()
          : param.kind === "shape"
            ? T.shape()
            : param.kind === "strings"
              ? T.any()
              : T.string();
  const fallback = param.default;
  const def =
    fallback === undefined
      ? {}
      : { default: typeof fallback === "boolean" ? D.bool(fallback) : typeof fallback === "string" ? D.string(fallback) : Number.isInteger(fallback) && param.kind === "integer" ? D.int(fallback) : D.float(fallback) };
  return { name: param.name, type, ...def, ...(param.optional ? { optional: true } : {}), doc: param.doc };
}

export const DATA_SETS: ReadonlyMap<string, SettingsDef> = new Map(
  DATA_FORMS.map((form) => [form.name, { name: form.name, doc: form.summary, settings: form.params.map(argSpec) }]),
);

export const LOSSES: readonly string[] = ["cross_entropy", "mse"];

const adamSettings = (weightDecay: number): ArgSpec[] => [
  { name: "lr", type: T.positive(), default: D.float(1e-3) },
  { name: "eps", type: T.positive(), default: D.float(1e-8) },
  { name: "beta1", type: T.float(0, 1, { maxExclusive: true }), default: D.float(0.9) },
  { name: "beta2", type: T.float(0, 1, { maxExclusive: true }), default: D.float(0.999) },
  { name: "weight_decay", type: T.nonNegative(), default: D.float(weightDecay) },
];

export const OPTIMIZERS: ReadonlyMap<string, SettingsDef> = new Map(
  (
    [
      { name: "adam", doc: "Adam.", settings: adamSettings(0) },
      { name: "adamw", doc: "Adam with decoupled weight decay.", settings: adamSettings(0.01) },
      {
        name: "sgd",
        doc: "Stochastic gradient descent with optional (Nesterov) momentum.",
        settings: [
          { name: "lr", type: T.positive(), default: D.float(0.1) },
          { name: "momentum", type: T.float(0, 1, { maxExclusive: true }), default: D.float(0) },
          { name: "nesterov", type: T.bool(), default: D.bool(false) },
          { name: "weight_decay", type: T.nonNegative(), default: D.float(0) },
        ],
      },
    ] satisfies SettingsDef[]
  ).map((def) => [def.name, def]),
);

/** Schedules; some defaults depend on the epochs and the optimizer's learning rate. */
export function schedules(context: { epochs: number; lr: number }): ReadonlyMap<string, SettingsDef> {
  return new Map(
    (
      [
        { name: "constant", doc: "Constant learning rate.", settings: [] },
        {
          name: "step",
          doc: "Multiply the learning rate by gamma every `every` epochs.",
          settings: [
            { name: "every", type: T.int(1), default: D.int(Math.max(1, Math.floor(context.epochs / 2))), doc: "epochs" },
            { name: "gamma", type: T.float(0, 1, { minExclusive: true }), default: D.float(0.1) },
          ],
        },
        {
          name: "onecycle",
          doc: "1cycle: warm up to max_lr over pct_start of training, then anneal.",
          settings: [
            { name: "max_lr", type: T.positive(), default: D.float(context.lr) },
            { name: "pct_start", type: T.float(0, 1, { minExclusive: true, maxExclusive: true }), default: D.float(0.3) },
          ],
        },
        {
          name: "cosine",
          doc: "Cosine decay to min_lr after `warmup` epochs of linear warm-up.",
          settings: [
            { name: "min_lr", type: T.nonNegative(), default: D.float(0) },
            { name: "warmup", type: T.int(0), default: D.int(0), doc: "epochs" },
          ],
        },
      ] satisfies SettingsDef[]
    ).map((def) => [def.name, def]),
  );
}

/** Plain settings of `train { … }` (data, loss, optimizer and schedule are handled on their own). */
export const TRAIN_SETTINGS: readonly ArgSpec[] = [
  { name: "batch", type: T.int(0), default: D.int(128), doc: "examples per step; 0 = the full training set" },
  { name: "epochs", type: T.int(1), default: D.int(10) },
  { name: "clip", type: T.positive(), optional: true, doc: "max global gradient norm" },
  { name: "validation", type: T.float(0, 1, { maxExclusive: true }), default: D.float(0.1), doc: "held-out fraction" },
  { name: "seed", type: T.int(0), default: D.int(0) },
  { name: "limit", type: T.int(1), optional: true, doc: "use at most this many training examples" },
];

export const TRAIN_KEYS: readonly string[] = ["data", "loss", "optimizer", "schedule", ...TRAIN_SETTINGS.map((s) => s.name)];
