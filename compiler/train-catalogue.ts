/**
 * The training vocabulary (`vocabulary/training.ts`, `vocabulary/data-sets.ts`) as the checker
 * binds it. Relative paths in data settings are kept as written; the data loader resolves them
 * against the spec file's directory.
 */
import { DATA_SETS as DATA_SET_TABLE } from "../vocabulary/data-sets.js";
import { LOSSES as LOSS_NAMES, OPTIMIZERS as OPTIMIZER_TABLE, schedules as scheduleTable, TRAIN_SETTINGS as SETTINGS, type ScheduleContext } from "../vocabulary/training.js";
import { BoundedCache, numberKey } from "../core/bounded-cache.js";
import type { ArgSpec } from "./arguments.js";
import { argSpecOf, settingsTable, type SettingsDef } from "./vocabulary-args.js";

export { TRAIN_KEYS } from "../vocabulary/training.js";

export const LOSSES: readonly string[] = LOSS_NAMES;

/** What the examples look like is not here: the data forms inspect the files (`rules/train-data.ts`). */
export const DATA_SETS: ReadonlyMap<string, SettingsDef> = settingsTable(DATA_SET_TABLE);

export const OPTIMIZERS: ReadonlyMap<string, SettingsDef> = settingsTable(OPTIMIZER_TABLE);

/** Every model with a train section asks for its table; most share a few (epochs, lr) pairs. */
const scheduleTables = new BoundedCache<ReadonlyMap<string, SettingsDef>>(64);

export function schedules(context: ScheduleContext): ReadonlyMap<string, SettingsDef> {
  const key = `${numberKey(context.epochs)} ${numberKey(context.lr)}`;
  return scheduleTables.get(key, () => settingsTable(scheduleTable({ epochs: context.epochs, lr: context.lr })));
}

export const TRAIN_SETTINGS: readonly ArgSpec[] = SETTINGS.map(argSpecOf);
