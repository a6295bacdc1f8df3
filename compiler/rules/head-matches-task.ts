/**
 * HeadMatchesTaskRule: the head's output is [N] or [length, N] with N the task's classes
 * (classification heads output logits) or outputs.
 */
import { formatShape } from "../layers/index.js";
import { lastAxis, type ModelContext } from "./context.js";

export function HeadMatchesTaskRule(ctx: ModelContext): void {
  const out = ctx.draft.head?.shape;
  const task = ctx.draft.task;
  if (!out || !task) return;
  const n = task.kind === "classify" ? task.classes : task.outputs;
  if (out.length <= 2 && lastAxis(out) === n) return;
  const what = task.kind === "classify" ? `classify(classes: ${n})` : `regress(outputs: ${n})`;
  const section = ctx.section("head");
  ctx.report(
    "SIM3004",
    section ? ctx.place(section.key.loc) : ctx.modelPlace,
    `the head outputs ${formatShape(out)}, but ${what} needs [${n}] (or [length, ${n}] for sequences)`,
    { hint: out.length > 2 ? "add flatten() before the head's last dense layer" : `end the head with dense(units: ${n})` },
  );
  ctx.draft.broken = true;
}
