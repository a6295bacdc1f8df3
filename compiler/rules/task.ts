/** TaskRule: `task: classify(classes: N ≥ 2)` or `task: regress(outputs: N ≥ 1)`. */
import { bindArguments, T } from "../arguments.js";
import { didYouMean } from "../../core/suggest.js";
import { configured, type ModelContext } from "./context.js";

const TASKS = {
  classify: { arg: "classes", min: 2 },
  regress: { arg: "outputs", min: 1 },
} as const;

export function TaskRule(ctx: ModelContext): void {
  const property = ctx.property("task");
  if (!property) {
    if (!ctx.items.has("task")) {
      ctx.report("SIM4002", ctx.modelPlace, `model '${ctx.name}' has no task`, {
        hint: "add task: classify(classes: 10) or task: regress(outputs: 3)",
      });
    }
    return;
  }
  const task = configured(ctx.evaluate(property.value), "task", "classify(classes: 10)", ctx);
  if (!task) return;
  if (task.name !== "classify" && task.name !== "regress") {
    ctx.report("SIM4007", task.callee, `unknown task '${task.name}'${didYouMean(task.name, Object.keys(TASKS))}`, {
      hint: "write classify(classes: N) or regress(outputs: N)",
    });
    return;
  }
  const { arg, min } = TASKS[task.name];
  const bound = bindArguments({ label: task.name, at: task.callee }, [{ name: arg, type: T.int(min) }], task.args, ctx.bindContext());
  const count = bound?.[arg];
  if (!count || count.kind !== "int") return;
  ctx.draft.task = task.name === "classify" ? { kind: "classify", classes: count.value } : { kind: "regress", outputs: count.value };
}
