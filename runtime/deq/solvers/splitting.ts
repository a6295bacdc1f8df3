/** What the operator-splitting solvers need from the cell, checked once. */
import { DeqConfigError } from "../errors.js";
import type { SolveContext, StructuredMap } from "../types.js";

export function requireSplitting(ctx: SolveContext, solver: string, needsResolvent: boolean): StructuredMap {
  const s = ctx.structure;
  if (!s || (needsResolvent && !s.resolvent)) {
    throw new DeqConfigError(
      ctx.label,
      `solver ${solver} needs a monotone cell (cell: monotone(...)); use picard, anderson or broyden for this cell`,
    );
  }
  return s;
}
