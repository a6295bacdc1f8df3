/**
 * ModelParamsRule: a model's parameters (`model m(sigma: float = 5.0) { … }`) each have a
 * default of their type; they are bound to it for the rest of the model's rules, so items may
 * write `embed: rff(n: 104, sigma: sigma)`. A search substitutes sampled defaults.
 */
import { coerce } from "../arguments.js";
import { resolveType } from "../bind.js";
import { evaluate } from "../evaluate.js";
import type { Place } from "../reporter.js";
import type { ModelContext } from "./context.js";

export function ModelParamsRule(ctx: ModelContext): void {
  const seen = new Map<string, Place>();
  for (const param of ctx.decl.params) {
    const name = param.name?.name ?? "";
    if (name === "") continue;
    const at = ctx.place(param.name.loc);
    const previous = seen.get(name);
    if (previous) {
      ctx.report("SIM2008", at, `parameter '${name}' is declared twice in model '${ctx.name}'`, {
        related: [{ ...previous, message: "first declared here" }],
      });
      continue;
    }
    seen.set(name, at);
    if (!param.default) {
      ctx.report("SIM4060", at, `model parameter '${name}' has no default value`, {
        hint: `a model is trained as written, so give every parameter a default: ${name}: float = 1.0`,
      });
      continue;
    }
    // Defaults see no other parameter: each is a value a search may replace on its own.
    const value = evaluate(param.default, { file: ctx.file, scope: new Map(), reporter: ctx.reporter });
    if (!value) continue;
    const type = resolveType(param.type, ctx.file, ctx.reporter);
    const bound = coerce(value, type, `parameter '${name}'`, { reporter: ctx.reporter, scopeNames: [] });
    if (bound) ctx.parameters.set(name, bound);
  }
}
