/**
 * Checks one model: runs the model rules in order (each reads the draft earlier rules filled
 * in and reports located diagnostics), then assembles the checked model — only when the model
 * produced no errors, so lowering always receives a complete model.
 */
import type { ModelDecl } from "../grammar/ast.js";
import type { ModuleScope } from "./bind.js";
import type { CheckedModel } from "./checked-model.js";
import type { ExpandEnv } from "./expand.js";
import { BasisRule } from "./rules/basis.js";
import { ModelContext, type ModelRule } from "./rules/context.js";
import { DeqRule } from "./rules/deq.js";
import { EmbedRule } from "./rules/embed.js";
import { HeadMatchesTaskRule } from "./rules/head-matches-task.js";
import { HeadRule } from "./rules/head.js";
import { InputRule } from "./rules/input.js";
import { LiftRule } from "./rules/lift.js";
import { ModelItemsRule } from "./rules/model-items.js";
import { SimStructureRule } from "./rules/sim-structure.js";
import { SurrogateRule } from "./rules/surrogate.js";
import { TargetsRule } from "./rules/targets.js";
import { TargetRule } from "./rules/target.js";
import { TaskRule } from "./rules/task.js";
import { TrainRule } from "./rules/train.js";

/** In dependency order: each rule may read what the ones before it put in the draft. */
export const MODEL_RULES: readonly ModelRule[] = [
  ModelItemsRule,
  InputRule,
  TaskRule,
  TargetRule,
  BasisRule,
  EmbedRule,
  LiftRule,
  SimStructureRule,
  SurrogateRule,
  DeqRule,
  HeadRule,
  HeadMatchesTaskRule,
  TrainRule,
  TargetsRule,
];

export function checkModel(decl: ModelDecl, scope: ModuleScope, env: ExpandEnv): CheckedModel | undefined {
  const errorsBefore = env.reporter.errorCount();
  const ctx = new ModelContext(decl, scope, env);
  for (const rule of MODEL_RULES) rule(ctx);
  if (env.reporter.errorCount() > errorsBefore) return undefined;

  const d = ctx.draft;
  if (!d.input || !d.task || !d.head || !d.train || !d.defaultTarget) return undefined;
  const totals = d.targets[d.defaultTarget];
  if (!totals) return undefined;
  const deq = d.solver && d.backward ? { ...(d.cell ? { cell: d.cell } : {}), solver: d.solver, backward: d.backward } : undefined;
  return {
    name: ctx.name,
    file: ctx.file,
    origin: ctx.origin((decl.name ?? decl).loc),
    ...(decl.doc !== undefined ? { doc: decl.doc } : {}),
    input: d.input,
    task: d.task,
    defaultTarget: d.defaultTarget,
    variant: d.variant,
    basis: d.basis?.layers ?? [],
    ...(d.lift ? { lift: d.lift } : {}),
    ...(d.embed ? { embed: d.embed } : {}),
    surrogate: d.surrogate?.layers ?? [],
    head: d.head.layers,
    ...(deq ? { deq } : {}),
    train: d.train,
    ...(d.data ? { data: d.data } : {}),
    trainableParams: totals.trainable,
    frozenParams: totals.frozen,
    targets: d.targets,
  };
}
