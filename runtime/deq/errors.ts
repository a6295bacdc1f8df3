import { RUNTIME_CODES } from "../../core/codes/runtime.js";
import { CodedFailure, type FailureDetails } from "../../core/failure.js";

/**
 * Errors the DEQ runtime raises instead of raw tfjs failures or silently wrong states.
 */

/** A forward or backward solve that failed: diverged, produced NaN/Inf, or hit a singular system. */
export class SolverError extends CodedFailure {
  readonly label: string;
  readonly solver: string;
  readonly step: number;
  /** The batch's worst stopping residual when the solve was abandoned (NaN when not finite). */
  readonly residual: number;
  readonly reason: string;

  constructor(o: {
    label: string;
    solver: string;
    step: number;
    residual: number;
    reason: string;
    hint?: string;
    /** How `residual` is measured (`rel` or `abs`), and the absolute residual when it is relative. */
    residualKind?: "rel" | "abs";
    absResidual?: number;
    /** The spec's deq block, when the IR records it. */
    loc?: { line: number; column: number };
  }) {
    const fmt = (v: number) => (Number.isFinite(v) ? v.toExponential(3) : String(v));
    const abs = o.residualKind === "rel" && o.absResidual !== undefined ? `, abs ${fmt(o.absResidual)}` : "";
    super(
      RUNTIME_CODES.solverFailed,
      `deq "${o.label}": ${o.solver} failed at step ${o.step} (${o.residualKind ?? ""}${o.residualKind ? " " : ""}residual ${fmt(o.residual)}${abs}): ${o.reason}` +
        (o.hint ? `; ${o.hint}` : ""),
      { hint: o.hint ?? "raise max_iter, loosen tol, or use a solver with guarantees for this cell (see the deq block reference)", loc: o.loc },
    );
    this.name = "SolverError";
    this.label = o.label;
    this.solver = o.solver;
    this.step = o.step;
    this.residual = o.residual;
    this.reason = o.reason;
  }
}

/** A request the DEQ runtime cannot run: unknown names, bad settings, missing or misshapen parameters or inputs. */
export class DeqConfigError extends CodedFailure {
  readonly label: string;

  constructor(label: string, message: string, details: FailureDetails = {}) {
    super(RUNTIME_CODES.deqSetting, `deq "${label}": ${message}`, details);
    this.name = "DeqConfigError";
    this.label = label;
  }
}
