/**
 * Reads the solver and backward settings of an implicit node into the solvers' typed settings.
 * Names, settings, ranges and defaults come from the vocabulary (`vocabulary/solvers.ts`), the
 * same table the checker binds against, so hand-written IR is held to exactly the spec's rules.
 */
import type { AttrValue } from "../../ir/types.js";
import { resolveSettings, type VocabularyEntry } from "../../vocabulary/settings.js";
import { backwardModes, BACKWARD_MODE_NAMES, BACKWARD_SOLVERS, SOLVER_NAMES, SOLVERS } from "../../vocabulary/solvers.js";
import { DeqConfigError } from "./errors.js";
import type { BackwardSolverName, BackwardSpec, CommonSolverSettings, SolverName, SolverSpec } from "./types.js";

type Settings = Record<string, AttrValue>;

export { BACKWARD_SOLVERS, SOLVER_NAMES };
export const BACKWARD_MODES = BACKWARD_MODE_NAMES;

/** Where a setting came from in the spec, for errors. */
type Place = { line: number; column: number } | undefined;

/** Every setting of `entry`, validated and completed; the first problem is a `DeqConfigError`. */
function resolved(label: string, entry: VocabularyEntry, what: string, settings: Settings | undefined, loc: Place): Record<string, number | string> {
  const { values, problems } = resolveSettings(entry, settings ?? {}, what);
  if (problems.length > 0) throw new DeqConfigError(label, problems[0].message, { hint: problems[0].hint, loc });
  return values as Record<string, number | string>;
}

function common(v: Record<string, number | string>): CommonSolverSettings {
  return {
    tol: v.tol as number,
    maxIter: v.max_iter as number,
    evalMaxIter: v.eval_max_iter as number,
    stop: v.stop as "rel" | "abs",
    patience: v.patience as number,
  };
}

/** The forward solver with every setting filled in. */
export function readSolverSpec(label: string, solver: { name: string; settings: Settings }, loc?: Place): SolverSpec {
  const entry = SOLVERS.get(solver.name);
  if (!entry) {
    throw new DeqConfigError(label, `unknown solver "${solver.name}" (valid solvers: ${SOLVER_NAMES.join(", ")})`, { hint: "name one of the valid solvers", loc });
  }
  const name = solver.name as SolverName;
  const v = resolved(label, entry, `solver ${name}`, solver.settings, loc);
  const c = common(v);
  switch (name) {
    case "picard":
      return { name, settings: { ...c, damping: v.damping as number } };
    case "anderson":
      return { name, settings: { ...c, memory: v.memory as number, lam: v.lam as number, beta: v.beta as number } };
    case "broyden":
      return { name, settings: { ...c, memory: v.memory as number } };
    case "averaged":
      return { name, settings: { ...c, alpha: v.alpha === "auto" ? "auto" : (v.alpha as number) } };
    case "forward_backward":
    case "peaceman_rachford":
      return { name, settings: { ...c, alpha: v.alpha as number } };
  }
}

/** The backward mode with every setting filled in; the implicit solver's default follows `forwardSolver`. */
export function readBackwardSpec(label: string, backward: { mode: string; settings: Settings }, forwardSolver = "anderson", loc?: Place): BackwardSpec {
  const entry = backwardModes(forwardSolver).get(backward.mode);
  if (!entry) {
    throw new DeqConfigError(label, `unknown backward mode "${backward.mode}" (valid modes: ${BACKWARD_MODE_NAMES.join(", ")})`, { hint: "name one of the valid modes", loc });
  }
  const mode = backward.mode as BackwardSpec["mode"];
  const v = resolved(label, entry, `backward ${mode}`, backward.settings, loc);
  switch (mode) {
    case "implicit":
      return { mode, solver: v.solver as BackwardSolverName, tol: v.tol as number, maxIter: v.max_iter as number };
    case "one_step":
      return { mode };
    case "phantom":
      return { mode, steps: v.steps as number, damping: v.damping as number };
    case "unrolled":
      return { mode, steps: v.steps as number };
  }
}

/** Default settings of a solver by name, for callers that build specs in code (tests, benches). */
export function solverSpec(name: SolverName, settings: Settings = {}, label = "solver"): SolverSpec {
  return readSolverSpec(label, { name, settings });
}
