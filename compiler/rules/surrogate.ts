/** SurrogateRule: expands ϕ from the lifted features (its input is the projection's output). */
import { expandSection } from "../expand.js";
import type { ModelContext } from "./context.js";

export function SurrogateRule(ctx: ModelContext): void {
  const section = ctx.section("surrogate");
  if (!section) return;
  ctx.draft.surrogate = expandSection(section.body, ctx.draft.lifted, "surrogate", ctx.scope, ctx.env, ctx.parameters);
  if (!ctx.draft.surrogate.shape) ctx.draft.broken = true;
}
