/** Backward modes by name. */
import type { BackwardSpec } from "../types.js";
import { implicit } from "./implicit.js";
import { oneStep } from "./one-step.js";
import { phantom } from "./phantom.js";
import type { BackwardMode } from "./types.js";
import { unrolled } from "./unrolled.js";

export type { BackwardJob, BackwardMode } from "./types.js";

export function backwardMode(spec: BackwardSpec): BackwardMode {
  switch (spec.mode) {
    case "implicit":
      return implicit(spec);
    case "one_step":
      return oneStep;
    case "phantom":
      return phantom(spec.steps, spec.damping);
    case "unrolled":
      return unrolled(spec.steps);
  }
}
