/**
 * The search vocabulary: the distributions a `search` section may use, its schedulers, its own
 * settings, and which train settings it may vary. The checker, `simc tune` and the docs read
 * these tables.
 */
import { byName, is, S, type SettingDef, type SettingType, type VocabularyEntry } from "./settings.js";

export const DISTRIBUTION_NAMES = ["choice", "uniform", "loguniform", "randint", "qrandint"] as const;
export type DistributionName = (typeof DISTRIBUTION_NAMES)[number];

export const DISTRIBUTION_ENTRIES: readonly (VocabularyEntry & { name: DistributionName })[] = [
  { name: "choice", doc: "One of the listed values, each equally likely.", settings: [] },
  {
    name: "uniform",
    doc: "A number drawn uniformly from [low, high).",
    settings: [
      { name: "low", type: S.float() },
      { name: "high", type: S.float() },
    ],
  },
  {
    name: "loguniform",
    doc: "A positive number whose logarithm is uniform on [log low, log high).",
    settings: [
      { name: "low", type: S.positive() },
      { name: "high", type: S.positive() },
    ],
  },
  {
    name: "randint",
    doc: "An int drawn uniformly from [low, high).",
    settings: [
      { name: "low", type: S.int() },
      { name: "high", type: S.int() },
    ],
  },
  {
    name: "qrandint",
    doc: "An int drawn uniformly from [low, high] and rounded to a multiple of q.",
    settings: [
      { name: "low", type: S.int() },
      { name: "high", type: S.int() },
      { name: "q", type: S.int(1), default: is(1) },
    ],
  },
];

export const DISTRIBUTIONS: ReadonlyMap<string, VocabularyEntry> = byName(DISTRIBUTION_ENTRIES);

export const SEARCH_METRICS = ["val_accuracy", "val_loss", "val_psnr", "train_loss"] as const;
export type SearchMetricName = (typeof SEARCH_METRICS)[number];

export const SCHEDULER_ENTRIES: readonly VocabularyEntry[] = [
  { name: "fifo", doc: "Run every trial to its last epoch.", settings: [] },
  {
    name: "asha",
    doc: "Asynchronous successive halving: at each rung, stop a trial below the rung's 1 − 1/reduction quantile.",
    settings: [
      { name: "grace", type: S.int(1), default: is(1), doc: "epochs before the first rung" },
      { name: "reduction", type: S.float(1, undefined, { minExclusive: true }), default: is(4), doc: "rung spacing and cut" },
      { name: "brackets", type: S.int(1), default: is(1), doc: "brackets (each starts its rungs one step later)" },
    ],
  },
];

export const SCHEDULERS: ReadonlyMap<string, VocabularyEntry> = byName(SCHEDULER_ENTRIES);

/** Settings of the search itself; every other key of a search names a value to vary. */
export const SEARCH_SETTINGS: readonly SettingDef[] = [
  { name: "metric", type: S.oneOf(...SEARCH_METRICS), default: is("val_accuracy"), doc: "what a trial reports each epoch" },
  { name: "mode", type: S.oneOf("max", "min"), default: is("max"), doc: "whether larger or smaller is better" },
  { name: "scheduler", type: S.any(), default: is("fifo"), doc: "fifo or asha(grace, reduction, brackets)" },
  { name: "samples", type: S.int(1), default: is(10), doc: "trials to sample" },
  { name: "seed", type: S.int(0), default: is(0), doc: "seed of the sampler and of ASHA's bracket draws" },
];

/** Train settings a search may vary, with the type each sampled value must have (`lr` is the optimizer's). */
export const SEARCHABLE_TRAIN: ReadonlyMap<string, SettingType | "schedule" | "optimizer"> = new Map<string, SettingType | "schedule" | "optimizer">([
  ["lr", S.positive()],
  ["batch", S.int(0)],
  ["epochs", S.int(1)],
  ["clip", S.positive()],
  ["schedule", "schedule"],
  ["optimizer", "optimizer"],
]);
