/** TargetRule: `target: sim | deq` (its availability is checked once both targets are known). */
import { coerce, T } from "../arguments.js";
import type { ModelContext } from "./context.js";

export function TargetRule(ctx: ModelContext): void {
  const property = ctx.property("target");
  if (!property) return;
  const raw = ctx.evaluate(property.value);
  if (!raw) return;
  const value = coerce(raw, T.oneOf("sim", "deq"), "target", ctx.bindContext());
  if (value?.kind === "symbol") ctx.draft.target = { value: value.name as "sim" | "deq", at: value.at };
}
