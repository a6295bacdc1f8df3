/**
 * The DEQ vocabulary (`vocabulary/solvers.ts`, `vocabulary/cell-families.ts`) as the checker
 * binds it.
 */
import { CELLS as CELL_TABLE, type CellFamily } from "../vocabulary/cell-families.js";
import { backwardModes as backwardModeTable, SOLVERS as SOLVER_TABLE } from "../vocabulary/solvers.js";
import { BoundedCache } from "../core/bounded-cache.js";
import { settingsTable, type SettingsDef } from "./vocabulary-args.js";

export { PCDEQ_PAIRS } from "../vocabulary/cell-families.js";
export { defaultSolverFor, solverCellProblem, SPLITTING_SOLVERS } from "../vocabulary/solvers.js";
export type { SettingsDef };

export const SOLVERS: ReadonlyMap<string, SettingsDef> = settingsTable(SOLVER_TABLE);
export const CELLS = settingsTable(CELL_TABLE) as ReadonlyMap<CellFamily, SettingsDef>;

/** Every DEQ model asks for the table of its forward solver; there are only a few solvers. */
const backwardTables = new BoundedCache<ReadonlyMap<string, SettingsDef>>(64);

export function backwardModes(forwardSolver: string): ReadonlyMap<string, SettingsDef> {
  return backwardTables.get(forwardSolver, () => settingsTable(backwardModeTable(forwardSolver)));
}
