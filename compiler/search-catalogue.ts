/**
 * The search vocabulary: the distributions a `search` section may use, its own settings, and
 * which train settings it may vary. The checker, the sampler and the docs read these tables.
 */
import { D, T, type ArgSpec, type ArgType } from "./arguments.js";
import type { SettingsDef } from "./deq-catalogue.js";

export const DISTRIBUTIONS: ReadonlyMap<string, SettingsDef> = new Map(
  (
    [
      { name: "choice", doc: "One of the listed values, each equally likely.", settings: [] },
      {
        name: "uniform",
        doc: "A number drawn uniformly from [low, high).",
        settings: [
          { name: "low", type: T.float() },
          { name: "high", type: T.float() },
        ],
      },
      {
        name: "loguniform",
        doc: "A positive number whose logarithm is uniform on [log low, log high).",
        settings: [
          { name: "low", type: T.positive() },
          { name: "high", type: T.positive() },
        ],
      },
      {
        name: "randint",
        doc: "An int drawn uniformly from [low, high).",
        settings: [
          { name: "low", type: T.int() },
          { name: "high", type: T.int() },
        ],
      },
      {
        name: "qrandint",
        doc: "An int drawn uniformly from [low, high] and rounded to a multiple of q.",
        settings: [
          { name: "low", type: T.int() },
          { name: "high", type: T.int() },
          { name: "q", type: T.int(1), default: D.int(1) },
        ],
      },
    ] satisfies SettingsDef[]
  ).map((def) => [def.name, def]),
);

export const SEARCH_METRICS = ["val_accuracy", "val_loss", "val_psnr", "train_loss"] as const;

/** The scheduler's settings; `brackets` as in ASHA (each bracket starts its rungs one step later). */
export const SCHEDULERS: ReadonlyMap<string, SettingsDef> = new Map(
  (
    [
      { name: "fifo", doc: "Run every trial to its last epoch.", settings: [] },
      {
        name: "asha",
        doc: "Asynchronous successive halving: stop a trial at a rung when it is below the rung's 1 − 1/reduction quantile.",
        settings: [
          { name: "grace", type: T.int(1), default: D.int(1), doc: "epochs before the first rung" },
          { name: "reduction", type: T.float(1, undefined, { minExclusive: true }), default: D.float(4), doc: "rung spacing and cut" },
          { name: "brackets", type: T.int(1), default: D.int(1) },
        ],
      },
    ] satisfies SettingsDef[]
  ).map((def) => [def.name, def]),
);

/** Settings of the search itself; every other key names a value to vary. */
export const SEARCH_SETTINGS: readonly ArgSpec[] = [
  { name: "metric", type: T.oneOf(...SEARCH_METRICS), default: D.symbol("val_accuracy"), doc: "what a trial reports each epoch" },
  { name: "mode", type: T.oneOf("max", "min"), default: D.symbol("max"), doc: "whether larger or smaller is better" },
  { name: "scheduler", type: T.any(), default: D.symbol("fifo"), doc: "fifo or asha(grace, reduction, brackets)" },
  { name: "samples", type: T.int(1), default: D.int(10), doc: "trials to sample" },
  { name: "seed", type: T.int(0), default: D.int(0), doc: "seed of the sampler and of ASHA's bracket draws" },
];

/** Train settings a search may vary, with the type each sampled value must have. */
export const SEARCHABLE_TRAIN: ReadonlyMap<string, ArgType | "configured"> = new Map<string, ArgType | "configured">([
  ["lr", T.positive()],
  ["batch", T.int(0)],
  ["epochs", T.int(1)],
  ["clip", T.positive()],
  ["schedule", "configured"],
  ["optimizer", "configured"],
]);
