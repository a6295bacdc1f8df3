/**
 * Reads the solver and backward settings of an implicit node (DEQ vocabulary), fills in the
 * defaults, and rejects what the runtime would otherwise ignore: unknown names, unknown settings,
 * out-of-range values. The checker validates the same vocabulary; this is the runtime's own guard
 * for hand-written or stale IR.
 */
import type { AttrValue } from "../../ir/types.js";
import { DeqConfigError } from "./errors.js";
import type { BackwardSolverName, BackwardSpec, CommonSolverSettings, SolverName, SolverSpec } from "./types.js";

type Settings = Record<string, AttrValue>;

const COMMON = ["tol", "max_iter", "eval_max_iter", "stop", "patience"] as const;

const SOLVER_DEFAULTS: Record<SolverName, { tol: number; maxIter: number; own: Record<string, number | string> }> = {
  picard: { tol: 1e-3, maxIter: 40, own: { damping: 1.0 } },
  anderson: { tol: 1e-3, maxIter: 40, own: { memory: 6, lam: 1e-4, beta: 1.0 } },
  broyden: { tol: 1e-3, maxIter: 40, own: { memory: 20 } },
  averaged: { tol: 1e-2, maxIter: 300, own: { alpha: "auto" } },
  forward_backward: { tol: 1e-2, maxIter: 300, own: { alpha: 0.05 } },
  peaceman_rachford: { tol: 1e-2, maxIter: 300, own: { alpha: 1.0 } },
};

const BACKWARD_SETTINGS: Record<BackwardSpec["mode"], string[]> = {
  implicit: ["solver", "tol", "max_iter"],
  one_step: [],
  phantom: ["steps", "damping"],
  unrolled: ["steps"],
};

/** Solvers the implicit backward pass accepts (the splittings only for monotone cells). */
export const BACKWARD_SOLVERS: readonly BackwardSolverName[] = ["picard", "anderson", "broyden", "forward_backward", "peaceman_rachford"];

export const SOLVER_NAMES = Object.keys(SOLVER_DEFAULTS) as SolverName[];
export const BACKWARD_MODES = Object.keys(BACKWARD_SETTINGS) as BackwardSpec["mode"][];

function isSolverName(name: string): name is SolverName {
  return Object.prototype.hasOwnProperty.call(SOLVER_DEFAULTS, name);
}

function rejectUnknown(label: string, what: string, settings: Settings, valid: readonly string[]): void {
  for (const key of Object.keys(settings)) {
    if (!valid.includes(key)) {
      const list = valid.length ? valid.join(", ") : "none";
      throw new DeqConfigError(label, `${what} has no setting "${key}" (valid settings: ${list})`);
    }
  }
}

/** Reads a setting as a number, with a default; `check` returns a complaint or undefined. */
function readNumber(
  label: string,
  what: string,
  settings: Settings,
  key: string,
  fallback: number,
  check: (v: number) => string | undefined,
): number {
  const raw = settings[key];
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== "number" || !Number.isFinite(raw)) {
    throw new DeqConfigError(label, `${what} setting "${key}" must be a number, got ${JSON.stringify(raw)}`);
  }
  const complaint = check(raw);
  if (complaint) throw new DeqConfigError(label, `${what} setting "${key}" ${complaint}, got ${raw}`);
  return raw;
}

const positive = (v: number) => (v > 0 ? undefined : "must be > 0");
const positiveInt = (v: number) => (Number.isInteger(v) && v >= 1 ? undefined : "must be an integer ≥ 1");
const unitInterval = (v: number) => (v > 0 && v <= 1 ? undefined : "must be in (0, 1]");
const nonNegative = (v: number) => (v >= 0 ? undefined : "must be ≥ 0");

function readCommon(label: string, what: string, settings: Settings, tol: number, maxIter: number): CommonSolverSettings {
  const max = readNumber(label, what, settings, "max_iter", maxIter, positiveInt);
  const stopRaw = settings.stop ?? "rel";
  if (stopRaw !== "rel" && stopRaw !== "abs") {
    throw new DeqConfigError(label, `${what} setting "stop" must be rel or abs, got ${JSON.stringify(stopRaw)}`);
  }
  return {
    tol: readNumber(label, what, settings, "tol", tol, positive),
    maxIter: max,
    evalMaxIter: readNumber(label, what, settings, "eval_max_iter", max, positiveInt),
    stop: stopRaw,
    patience: readNumber(label, what, settings, "patience", 5, positiveInt),
  };
}

/** The forward solver with every setting filled in. */
export function readSolverSpec(label: string, solver: { name: string; settings: Settings }): SolverSpec {
  const { name } = solver;
  const settings = solver.settings ?? {};
  if (!isSolverName(name)) {
    throw new DeqConfigError(label, `unknown solver "${name}" (valid solvers: ${SOLVER_NAMES.join(", ")})`);
  }
  const d = SOLVER_DEFAULTS[name];
  const what = `solver ${name}`;
  rejectUnknown(label, what, settings, [...COMMON, ...Object.keys(d.own)]);
  const common = readCommon(label, what, settings, d.tol, d.maxIter);
  switch (name) {
    case "picard":
      return { name, settings: { ...common, damping: readNumber(label, what, settings, "damping", 1.0, unitInterval) } };
    case "anderson":
      return {
        name,
        settings: {
          ...common,
          memory: readNumber(label, what, settings, "memory", 6, positiveInt),
          lam: readNumber(label, what, settings, "lam", 1e-4, nonNegative),
          beta: readNumber(label, what, settings, "beta", 1.0, unitInterval),
        },
      };
    case "broyden":
      return { name, settings: { ...common, memory: readNumber(label, what, settings, "memory", 20, positiveInt) } };
    case "averaged": {
      const raw = settings.alpha;
      const alpha =
        raw === undefined || raw === null || raw === "auto"
          ? "auto"
          : readNumber(label, what, settings, "alpha", 1, unitInterval);
      return { name, settings: { ...common, alpha } };
    }
    case "forward_backward":
    case "peaceman_rachford":
      return {
        name,
        settings: { ...common, alpha: readNumber(label, what, settings, "alpha", d.own.alpha as number, positive) },
      };
  }
}

/** The backward mode with every setting filled in. */
export function readBackwardSpec(label: string, backward: { mode: string; settings: Settings }): BackwardSpec {
  const { mode } = backward;
  const settings = backward.settings ?? {};
  if (!Object.prototype.hasOwnProperty.call(BACKWARD_SETTINGS, mode)) {
    throw new DeqConfigError(label, `unknown backward mode "${mode}" (valid modes: ${BACKWARD_MODES.join(", ")})`);
  }
  const m = mode as BackwardSpec["mode"];
  const what = `backward ${m}`;
  rejectUnknown(label, what, settings, BACKWARD_SETTINGS[m]);
  switch (m) {
    case "implicit": {
      const solver = settings.solver ?? "anderson";
      if (typeof solver !== "string" || !(BACKWARD_SOLVERS as readonly string[]).includes(solver)) {
        throw new DeqConfigError(
          label,
          `backward implicit setting "solver" must be one of ${BACKWARD_SOLVERS.join(", ")}, got ${JSON.stringify(solver)}`,
        );
      }
      return {
        mode: m,
        solver: solver as BackwardSolverName,
        tol: readNumber(label, what, settings, "tol", 1e-6, positive),
        maxIter: readNumber(label, what, settings, "max_iter", 40, positiveInt),
      };
    }
    case "one_step":
      return { mode: m };
    case "phantom":
      return {
        mode: m,
        steps: readNumber(label, what, settings, "steps", 5, positiveInt),
        damping: readNumber(label, what, settings, "damping", 0.5, unitInterval),
      };
    case "unrolled":
      return { mode: m, steps: readNumber(label, what, settings, "steps", 30, positiveInt) };
  }
}

/** Default settings of a solver by name, for callers that build specs in code (tests, benches). */
export function solverSpec(name: SolverName, settings: Settings = {}, label = "solver"): SolverSpec {
  return readSolverSpec(label, { name, settings });
}
