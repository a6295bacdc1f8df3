/**
 * The training vocabulary (`vocabulary/training.ts`, `vocabulary/data-sets.ts`) as the checker
 * binds it. Relative paths in data settings are kept as written; the data loader resolves them
 * against the spec file's directory.
 */
import { DATA_SETS as DATA_SET_TABLE } from "../vocabulary/data-sets.js";
import { LOSSES as LOSS_NAMES, OPTIMIZERS as OPTIMIZER_TABLE, schedules as scheduleTable, TRAIN_SETTINGS as SETTINGS, type ScheduleContext } from "../vocabulary/training.js";
import type { ArgSpec } from "./arguments.js";
import { argSpecOf, settingsTable, type SettingsDef } from "./vocabulary-args.js";

export { TRAIN_KEYS } from "../vocabulary/training.js";

export const LOSSES: readonly string[] = LOSS_NAMES;

/** What the examples look like is not here: the data forms inspect the files (`rules/train-data.ts`). */
export const DATA_SETS: ReadonlyMap<string, SettingsDef> = settingsTable(DATA_SET_TABLE);

export const OPTIMIZERS: ReadonlyMap<string, SettingsDef> = settingsTable(OPTIMIZER_TABLE);

export function schedules(context: ScheduleContext): ReadonlyMap<string, SettingsDef> {
  return settingsTable(scheduleTable(context));
}

export const TRAIN_SETTINGS: readonly ArgSpec[] = SETTINGS.map(argSpecOf);
