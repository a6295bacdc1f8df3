/**
 * Errors the DEQ runtime raises instead of raw tfjs failures or silently wrong states.
 */

/** A forward or backward solve that failed: diverged, produced NaN/Inf, or hit a singular system. */
export class SolverError extends Error {
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
  }) {
    const fmt = (v: number) => (Number.isFinite(v) ? v.toExponential(3) : String(v));
    const abs = o.residualKind === "rel" && o.absResidual !== undefined ? `, abs ${fmt(o.absResidual)}` : "";
    super(
      `deq "${o.label}": ${o.solver} failed at step ${o.step} (${o.residualKind ?? ""}${o.residualKind ? " " : ""}residual ${fmt(o.residual)}${abs}): ${o.reason}` +
        (o.hint ? `; ${o.hint}` : ""),
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
export class DeqConfigError extends Error {
  readonly label: string;

  constructor(label: string, message: string) {
    super(`deq "${label}": ${message}`);
    this.name = "DeqConfigError";
    this.label = label;
  }
}
