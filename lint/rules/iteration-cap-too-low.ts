import type { CallExpr, ModelDecl, Node } from "../../grammar/ast.js";
import type { CheckedModel } from "../../compiler/checked-model.js";
import { callArgument, callValue, modelSection, sectionProperty } from "../ast-query.js";
import {
  ASSUMED_CONTRACTION,
  averagedFactor,
  dampedFactor,
  formatNumber,
  linfAutoAlpha,
  stepsToReach,
} from "../contraction.js";
import { deqAnchor, deqInPlay, numberSetting, stringSetting } from "../model-query.js";
import type { LintRule, RuleContext } from "../types.js";

interface Requirement {
  /** `the picard solver`, `the implicit backward pass (picard)` */
  what: string;
  tol: number;
  factor: number;
  /** How the factor was obtained, for the message. */
  because: string;
}

/** The contraction the forward solver can count on, when one can be stated. */
function forwardRequirement(model: CheckedModel): Requirement | undefined {
  const deq = model.deq;
  if (!deq) return undefined;
  const tol = numberSetting(deq.solver.settings, "tol");
  if (tol === undefined) return undefined;
  if (deq.solver.name === "picard") {
    const damping = numberSetting(deq.solver.settings, "damping") ?? 1;
    const factor = dampedFactor(ASSUMED_CONTRACTION, damping);
    const because =
      damping === 1
        ? `on a map contracting by ${ASSUMED_CONTRACTION} per step (an assumed bound: the cell's own factor is unknown before training)`
        : `with damping ${formatNumber(damping)} on a map contracting by ${ASSUMED_CONTRACTION} (assumed), i.e. by 1 − τ(1 − q) = ${formatNumber(factor)} per step`;
    return { what: "the picard solver", tol, factor, because };
  }
  const cell = deq.cell;
  if (deq.solver.name === "averaged" && cell?.family === "linf") {
    const m = numberSetting(cell.args, "m");
    if (m === undefined || m >= 1) return undefined; // linf-not-contractive reports this case
    const n = cell.stateShape[cell.stateShape.length - 1];
    const t = cell.params.find((p) => p.name === "T");
    const std = t?.init.kind === "normal" ? t.init.std : 0;
    const given = numberSetting(deq.solver.settings, "alpha");
    const alpha = given ?? linfAutoAlpha(m, n, std);
    const factor = averagedFactor(m, alpha);
    const alphaText = given === undefined ? `α* ≈ ${formatNumber(alpha)} at initialisation` : `α = ${formatNumber(alpha)}`;
    return {
      what: "the averaged solver",
      tol,
      factor,
      because: `(with μ∞(A) ≤ m = ${formatNumber(m)} and ${alphaText}, each step contracts by 1 − α(1 − m) = ${formatNumber(factor)})`,
    };
  }
  return undefined;
}

function backwardRequirement(model: CheckedModel): Requirement | undefined {
  const backward = model.deq?.backward;
  if (!backward || backward.mode !== "implicit" || stringSetting(backward.settings, "solver") !== "picard") return undefined;
  const tol = numberSetting(backward.settings, "tol");
  if (tol === undefined) return undefined;
  return {
    what: "the implicit backward pass (picard)",
    tol,
    factor: ASSUMED_CONTRACTION,
    because: `on a linear system u = Jᵀu + g with ‖J‖ ≤ ${ASSUMED_CONTRACTION} (assumed; J is the cell's Jacobian at z*)`,
  };
}

function check(
  context: RuleContext,
  requirement: Requirement | undefined,
  settings: Record<string, unknown> | undefined,
  call: CallExpr | undefined,
  fallback: Node,
  keys: readonly string[],
) {
  if (!requirement) return;
  const needed = stepsToReach(requirement.tol, requirement.factor);
  for (const key of keys) {
    const cap = settings?.[key];
    if (typeof cap !== "number" || cap >= needed) continue;
    // eval_max_iter defaults to max_iter: report it only when it is set apart.
    if (key !== keys[0] && cap === settings?.[keys[0]]) continue;
    const arg = callArgument(call, key);
    context.report({
      node: arg?.value ?? arg ?? call ?? fallback,
      message: `${requirement.what} stops after ${key} = ${cap} steps but needs ${needed} to reach tol ${formatNumber(requirement.tol)} ${requirement.because}`,
      hint: `raise ${key} to at least ${needed}, loosen tol, or use a faster solver (anderson, broyden)`,
    });
  }
}

export const iterationCapTooLow: LintRule = {
  id: "iteration-cap-too-low",
  defaultSeverity: "warn",
  docs: {
    description:
      "Reports a solver iteration cap (`max_iter`, `eval_max_iter`) below the number of steps its tolerance needs on a " +
      "contractive map. A residual shrinking by q per step needs ⌈ln(tol)/ln(q)⌉ steps. For Picard iteration the " +
      "cell's factor is unknown before training, so the rule assumes q = 0.9 (1 − τ·0.1 with damping τ); for the " +
      "averaged iteration on an ℓ∞ cell it uses the cell's guarantee q = 1 − α(1 − m), with α* estimated at " +
      "initialisation; for an implicit backward pass solved by Picard it assumes ‖∂f/∂z‖ ≤ 0.9. Anderson, Broyden and " +
      "the splitting solvers have no such simple bound and are not checked. A capped solver returns a state that is " +
      "not a fixed point, and the implicit gradient at that state is wrong.",
  },
  create(context) {
    return {
      model(model: CheckedModel, decl: ModelDecl) {
        const deq = model.deq;
        if (!deq || !deqInPlay(model, decl)) return;
        const section = modelSection(decl, "deq");
        const anchor = deqAnchor(decl);
        check(context, forwardRequirement(model), deq.solver.settings, callValue(sectionProperty(section, "solver")), anchor, [
          "max_iter",
          "eval_max_iter",
        ]);
        check(context, backwardRequirement(model), deq.backward.settings, callValue(sectionProperty(section, "backward")), anchor, ["max_iter"]);
      },
    };
  },
};
