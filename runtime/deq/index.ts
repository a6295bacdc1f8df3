/**
 * The DEQ runtime: fixed-point solvers, backward modes and cells for `implicit` IR nodes.
 * The executor calls `runImplicit`; the trainer calls `projectParams` after each optimiser step
 * and reports `SolverStats`.
 */
export { runImplicit, type ImplicitRequest, type ImplicitResult } from "./implicit.js";
export { DeqConfigError, SolverError } from "./errors.js";
export { buildCell, projectParams, type BoundCell, type CellBody, type CellDefinition } from "./cells/index.js";
export { linfLipschitzBound, linfMatrix, muInf, weightedMuInf } from "./cells/linf.js";
export { clearResolventCaches, monotoneMatrix } from "./cells/monotone.js";
export { anderson, averaged, broyden, forwardBackward, peacemanRachford, picard, runSolver } from "./solvers/index.js";
export { BACKWARD_MODES, BACKWARD_SOLVERS, SOLVER_NAMES, readBackwardSpec, readSolverSpec, solverSpec } from "./settings.js";
export type * from "./types.js";
