/** The forward solvers by name; each is `(f, z0, settings, ctx) → { z, stats }`. */
import type * as tf from "@tensorflow/tfjs-core";
import type { FixedPointMap, SolveContext, SolverResult, SolverSpec } from "../types.js";
import { anderson } from "./anderson.js";
import { averaged } from "./averaged.js";
import { broyden } from "./broyden.js";
import { forwardBackward } from "./forward-backward.js";
import { peacemanRachford } from "./peaceman-rachford.js";
import { picard } from "./picard.js";

export { anderson, averaged, broyden, forwardBackward, peacemanRachford, picard };

export function runSolver(spec: SolverSpec, f: FixedPointMap, z0: tf.Tensor, ctx: SolveContext): SolverResult {
  switch (spec.name) {
    case "picard":
      return picard(f, z0, spec.settings, ctx);
    case "anderson":
      return anderson(f, z0, spec.settings, ctx);
    case "broyden":
      return broyden(f, z0, spec.settings, ctx);
    case "averaged":
      return averaged(f, z0, spec.settings, ctx);
    case "forward_backward":
      return forwardBackward(f, z0, spec.settings, ctx);
    case "peaceman_rachford":
      return peacemanRachford(f, z0, spec.settings, ctx);
  }
}
