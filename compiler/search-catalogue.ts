/** The search vocabulary (`vocabulary/search.ts`) as the checker binds it. */
import { DISTRIBUTIONS as DISTRIBUTION_TABLE, SCHEDULERS as SCHEDULER_TABLE, SEARCH_SETTINGS as SETTINGS } from "../vocabulary/search.js";
import type { ArgSpec } from "./arguments.js";
import { argSpecOf, settingsTable, type SettingsDef } from "./vocabulary-args.js";

export { SEARCHABLE_TRAIN } from "../vocabulary/search.js";

export const DISTRIBUTIONS: ReadonlyMap<string, SettingsDef> = settingsTable(DISTRIBUTION_TABLE);
export const SCHEDULERS: ReadonlyMap<string, SettingsDef> = settingsTable(SCHEDULER_TABLE);
export const SEARCH_SETTINGS: readonly ArgSpec[] = SETTINGS.map(argSpecOf);
