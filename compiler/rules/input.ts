/** InputRule: `input: [d, …]` is present and is 1 to 3 positive ints. */
import { describeValue } from "../values.js";
import type { ModelContext } from "./context.js";

export function InputRule(ctx: ModelContext): void {
  const property = ctx.property("input");
  if (!property) {
    if (!ctx.items.has("input")) {
      ctx.report("SIM4001", ctx.modelPlace, `model '${ctx.name}' has no input shape`, {
        hint: "add input: [28, 28, 1] (image), [520, 1] (sequence) or [2] (vector), without the batch dimension",
      });
    }
    return;
  }
  const value = ctx.evaluate(property.value);
  if (!value) return;
  const hint = "write the shape without the batch dimension, e.g. [28, 28, 1]";
  if (value.kind !== "list") {
    ctx.report("SIM4006", value.at, `input must be a shape such as [28, 28, 1], got ${describeValue(value)}`, { hint });
    return;
  }
  if (value.items.length < 1 || value.items.length > 3) {
    ctx.report("SIM4006", value.at, `input must have 1 to 3 dimensions, got ${value.items.length}`, { hint });
    return;
  }
  let ok = true;
  for (const item of value.items) {
    if (item.kind !== "int" || item.value < 1) {
      ctx.report("SIM4006", item.at, `every input dimension must be a positive int, got ${describeValue(item)}`);
      ok = false;
    }
  }
  if (ok) ctx.draft.input = value.items.map((item) => (item as { value: number }).value);
}
