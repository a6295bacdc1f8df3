/** BasisRule: expands ψ from the input shape (layers, blocks, repeat, if; shapes inferred). */
import { expandSection } from "../expand.js";
import type { ModelContext } from "./context.js";

export function BasisRule(ctx: ModelContext): void {
  const section = ctx.section("basis");
  if (!section) return;
  ctx.draft.basis = expandSection(section.body, ctx.draft.input, "basis", ctx.scope, ctx.env, ctx.parameters);
  if (!ctx.draft.basis.shape) ctx.draft.broken = true;
}
