/** Every lint rule, in the order the docs list them. */
import type { LintRule } from "../types.js";
import { backwardTolLooser } from "./backward-tol-looser.js";
import { batchnormInDeqCell } from "./batchnorm-in-deq-cell.js";
import { deqNoWellPosedness } from "./deq-no-well-posedness.js";
import { dropoutInDeqCell } from "./dropout-in-deq-cell.js";
import { iterationCapTooLow } from "./iteration-cap-too-low.js";
import { liftRankTooLarge } from "./lift-rank-too-large.js";
import { linfNotContractive } from "./linf-not-contractive.js";
import { rffBandwidthRange } from "./rff-bandwidth-range.js";
import { rffOddCossin } from "./rff-odd-cossin.js";
import { shadowedName } from "./shadowed-name.js";
import { solverTolTooLoose } from "./solver-tol-too-loose.js";
import { unusedBlock } from "./unused-block.js";
import { unusedImport } from "./unused-import.js";
import { unusedParameter } from "./unused-parameter.js";

export const lintRules: readonly LintRule[] = [
  deqNoWellPosedness,
  linfNotContractive,
  dropoutInDeqCell,
  batchnormInDeqCell,
  solverTolTooLoose,
  backwardTolLooser,
  iterationCapTooLow,
  liftRankTooLarge,
  rffOddCossin,
  rffBandwidthRange,
  unusedImport,
  unusedBlock,
  unusedParameter,
  shadowedName,
];

export const lintRuleIds: readonly string[] = lintRules.map((r) => r.id);
