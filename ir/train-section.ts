/**
 * The IR's train section, read against the training vocabulary: the one function that the
 * verifier (on every IR) and the runtime (with command-line overrides applied) use, so a spec
 * and its compiled IR train with identical settings. Lowering writes every setting resolved;
 * a hand-written section may leave defaults out and gets the vocabulary's.
 */
import type { CallValue, Value } from "../core/values.js";
import { resolveSettings, type SettingProblem, type VocabularyEntry } from "../vocabulary/settings.js";
import {
  LOSSES,
  OPTIMIZERS,
  schedules,
  TRAIN_DEFAULTS,
  TRAIN_KEYS,
  TRAIN_SETTINGS,
  type LossName,
  type OptimizerName,
  type ScheduleName,
} from "../vocabulary/training.js";

/** The train section with every setting resolved. */
export interface IRTrain {
  /** A data set call (`{ call: "mnist", args: {} }`) or a path; absent when the spec names none. */
  data?: Value;
  loss: LossName;
  optimizer: { call: OptimizerName; args: Record<string, Value> };
  schedule: { call: ScheduleName; args: Record<string, Value> };
  batch: number;
  epochs: number;
  validation: number;
  seed: number;
  clip?: number;
  limit?: number;
  /** Validate every this many epochs; absent or 0 = the default cadence. */
  validate_every?: number;
}

const PLAIN = { name: "train", doc: "", settings: TRAIN_SETTINGS } satisfies VocabularyEntry;

function isCall(value: unknown): value is CallValue {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as CallValue).call === "string";
}

/** `adam`, or `{ call: "adam", args }`, as a name and its settings. */
function asCall(value: unknown, fallback: string): { name: string; args: Record<string, unknown> } | undefined {
  if (value === undefined || value === null) return { name: fallback, args: {} };
  if (typeof value === "string") return { name: value, args: {} };
  if (isCall(value)) return { name: value.call, args: (value.args ?? {}) as Record<string, unknown> };
  return undefined;
}

/** One entry of a table by the call's name, its settings resolved. */
function entryCall(
  what: string,
  value: unknown,
  fallback: string,
  table: ReadonlyMap<string, VocabularyEntry>,
  problems: SettingProblem[],
): { call: string; args: Record<string, Value> } | undefined {
  const call = asCall(value, fallback);
  const names = [...table.keys()].join(", ");
  if (!call) {
    problems.push({ setting: what, message: `train.${what}: expected a name or a call such as ${fallback}(), got ${JSON.stringify(value)}`, hint: `valid: ${names}` });
    return undefined;
  }
  const entry = table.get(call.name);
  if (!entry) {
    problems.push({ setting: what, message: `train.${what}: unknown ${what} '${call.name}' (valid: ${names})`, hint: `name one of ${names}` });
    return undefined;
  }
  const { values, problems: own } = resolveSettings(entry, call.args, `train.${what} ${call.name}()`);
  problems.push(...own);
  return { call: call.name, args: values };
}

/**
 * Resolves a train section (as lowering wrote it, or by hand). An `extra` table, which older IR
 * files carry, is read as plain settings.
 */
export function resolveTrainSection(record: Readonly<Record<string, unknown>>): { train?: IRTrain; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const { extra, ...rest } = record;
  const flat: Record<string, unknown> = { ...(typeof extra === "object" && extra !== null && !Array.isArray(extra) ? extra : {}), ...rest };
  for (const key of Object.keys(flat)) {
    if (!TRAIN_KEYS.includes(key)) {
      problems.push({ setting: key, message: `train has no setting '${key}' (valid settings: ${TRAIN_KEYS.join(", ")})`, hint: "remove it" });
    }
  }
  const plainGiven = Object.fromEntries(TRAIN_SETTINGS.map((s) => [s.name, flat[s.name]]).filter(([, v]) => v !== undefined));
  const plain = resolveSettings(PLAIN, plainGiven, "train");
  problems.push(...plain.problems);

  const loss = flat.loss ?? TRAIN_DEFAULTS.loss;
  if (typeof loss !== "string" || !(LOSSES as readonly string[]).includes(loss)) {
    problems.push({ setting: "loss", message: `train.loss: unknown loss ${JSON.stringify(loss)} (valid: ${LOSSES.join(", ")})`, hint: `name one of ${LOSSES.join(", ")}` });
  }
  const optimizer = entryCall("optimizer", flat.optimizer, TRAIN_DEFAULTS.optimizer, OPTIMIZERS, problems);
  const epochs = typeof plain.values.epochs === "number" ? plain.values.epochs : 1;
  const lr = typeof optimizer?.args.lr === "number" ? optimizer.args.lr : 1e-3;
  const schedule = entryCall("schedule", flat.schedule, TRAIN_DEFAULTS.schedule, schedules({ epochs, lr }), problems);
  if (problems.length > 0 || !optimizer || !schedule) return { problems };

  const data = flat.data === "" || flat.data === null ? undefined : (flat.data as Value | undefined);
  const train: IRTrain = {
    loss: loss as LossName,
    optimizer: optimizer as IRTrain["optimizer"],
    schedule: schedule as IRTrain["schedule"],
    ...(plain.values as { batch: number; epochs: number; validation: number; seed: number; clip?: number; limit?: number; validate_every?: number }),
  };
  if (data !== undefined) train.data = data;
  return { train, problems };
}
