/**
 * The training vocabulary: losses, optimizers, learning-rate schedules and the plain settings
 * of `train { … }`, each with its defaults. The checker fills these in, lowering writes them
 * into the IR's train section, and the runtime reads the same entries, so a spec and its
 * compiled IR train alike. A new setting is one entry in `TRAIN_SETTINGS`.
 */
import { byName, is, S, type SettingDef, type VocabularyEntry } from "./settings.js";

export const LOSSES = ["cross_entropy", "mse"] as const;
export type LossName = (typeof LOSSES)[number];

export const OPTIMIZER_NAMES = ["adam", "adamw", "sgd"] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export const SCHEDULE_NAMES = ["constant", "step", "onecycle", "onecycle_linear", "cosine"] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

const beta = S.float(0, 1, { maxExclusive: true });

const adamSettings = (weightDecay: number): SettingDef[] => [
  { name: "lr", type: S.positive(), default: is(1e-3), doc: "learning rate" },
  { name: "eps", type: S.positive(), default: is(1e-8), doc: "denominator guard" },
  { name: "beta1", type: beta, default: is(0.9), doc: "first-moment decay" },
  { name: "beta2", type: beta, default: is(0.999), doc: "second-moment decay" },
  { name: "weight_decay", type: S.nonNegative(), default: is(weightDecay), doc: "weight decay" },
];

export const OPTIMIZER_ENTRIES: readonly (VocabularyEntry & { name: OptimizerName })[] = [
  { name: "adam", doc: "Adam.", settings: adamSettings(0) },
  { name: "adamw", doc: "Adam with decoupled weight decay.", settings: adamSettings(0.01) },
  {
    name: "sgd",
    doc: "Stochastic gradient descent with optional (Nesterov) momentum.",
    settings: [
      { name: "lr", type: S.positive(), default: is(0.1), doc: "learning rate" },
      { name: "momentum", type: beta, default: is(0), doc: "momentum" },
      { name: "nesterov", type: S.bool(), default: is(false), doc: "Nesterov momentum" },
      { name: "weight_decay", type: S.nonNegative(), default: is(0), doc: "L2 weight decay" },
    ],
  },
];

export const OPTIMIZERS: ReadonlyMap<string, VocabularyEntry> = byName(OPTIMIZER_ENTRIES);

/** What schedule defaults depend on: the run's epochs and the optimizer's learning rate. */
export interface ScheduleContext {
  epochs: number;
  lr: number;
}

/** The step schedule's default period: half the run, at least one epoch. */
export const defaultStepEvery = (epochs: number) => Math.max(1, Math.floor(epochs / 2));

export function scheduleEntries(context: ScheduleContext): readonly (VocabularyEntry & { name: ScheduleName })[] {
  const fraction = S.float(0, 1, { minExclusive: true, maxExclusive: true });
  return [
    { name: "constant", doc: "Constant learning rate.", settings: [] },
    {
      name: "step",
      doc: "Multiply the learning rate by gamma every `every` epochs.",
      settings: [
        { name: "every", type: S.int(1), default: is(defaultStepEvery(context.epochs)), doc: "epochs between decays" },
        { name: "gamma", type: S.float(0, 1, { minExclusive: true }), default: is(0.1), doc: "decay factor" },
      ],
    },
    {
      name: "onecycle",
      doc: "PyTorch's OneCycleLR: cosine warm-up to max_lr over pct_start of training, then cosine annealing.",
      settings: [
        { name: "max_lr", type: S.positive(), default: is(context.lr), doc: "peak learning rate" },
        { name: "pct_start", type: fraction, default: is(0.3), doc: "fraction of training spent warming up" },
      ],
    },
    {
      name: "onecycle_linear",
      doc:
        "monDEQ's piecewise-linear 1cycle (the paper's experiments): lr rises linearly from lr to max_lr and back over " +
        "all but the last `final` epochs, then stays at lr; Adam's beta1 cycles the other way (high → low → high).",
      settings: [
        { name: "max_lr", type: S.positive(), default: is(context.lr), doc: "peak learning rate" },
        { name: "final", type: S.int(0), default: is(Math.min(5, Math.max(0, context.epochs - 1))), doc: "flat epochs at the end" },
        { name: "beta1_high", type: beta, default: is(0.95), doc: "Adam beta1 at both ends of the cycle" },
        { name: "beta1_low", type: beta, default: is(0.85), doc: "Adam beta1 at the peak" },
      ],
    },
    {
      name: "cosine",
      doc: "Cosine decay to min_lr after `warmup` epochs of linear warm-up.",
      settings: [
        { name: "min_lr", type: S.nonNegative(), default: is(0), doc: "final learning rate" },
        { name: "warmup", type: S.int(0), default: is(0), doc: "warm-up epochs" },
      ],
    },
  ];
}

export function schedules(context: ScheduleContext): ReadonlyMap<string, VocabularyEntry> {
  return byName(scheduleEntries(context));
}

/** Plain settings of `train { … }` (data, loss, optimizer and schedule are entries of their own). */
export const TRAIN_SETTINGS: readonly SettingDef[] = [
  { name: "batch", type: S.int(0), default: is(128), doc: "examples per step; 0 = the full training set" },
  { name: "epochs", type: S.int(1), default: is(10), doc: "passes over the training set" },
  { name: "clip", type: S.positive(), optional: true, doc: "max global gradient norm" },
  { name: "validation", type: S.float(0, 1, { maxExclusive: true }), default: is(0.1), doc: "held-out fraction" },
  { name: "seed", type: S.int(0), default: is(0), doc: "seed of initialisers, shuffling and splits" },
  { name: "limit", type: S.int(1), optional: true, doc: "use at most this many training examples" },
  {
    name: "validate_every",
    type: S.int(0),
    optional: true,
    doc: "validate after every this many epochs and after the last; unset or 0: every epoch of mini-batch training, by time for full-batch training (about 5 % of the wall time)",
  },
];

/** The train section's entries with a default of their own (data has none). */
export const TRAIN_DEFAULTS = { loss: "cross_entropy" as LossName, optimizer: "adam" as OptimizerName, schedule: "constant" as ScheduleName };

export const TRAIN_KEYS: readonly string[] = ["data", "loss", "optimizer", "schedule", ...TRAIN_SETTINGS.map((s) => s.name)];
