/**
 * TargetsRule: which targets the model can be lowered to, their parameter totals, and the
 * default target (`target:` if given and available, else sim when the SIM parts exist).
 */
import { deqTotals, simTotals, type ModelParts } from "../model-parts.js";
import type { ModelContext } from "./context.js";

export function TargetsRule(ctx: ModelContext): void {
  const d = ctx.draft;
  if (d.broken) return;
  if (d.variant === "none" && !d.cell && !ctx.items.has("deq")) return noModel(ctx);
  if (!d.input || !d.head) return;
  const parts: ModelParts = {
    variant: d.variant,
    input: d.input,
    basis: d.basis?.layers ?? [],
    ...(d.lift ? { lift: d.lift } : {}),
    ...(d.embed ? { embed: d.embed } : {}),
    surrogate: d.surrogate?.layers ?? [],
    head: d.head.layers,
    ...(d.cell ? { deq: { cell: d.cell } } : {}),
  };
  const simAvailable = d.variant !== "none" && !!d.surrogate && (d.variant === "two" ? !!d.embed : !!d.lift);
  const deqAvailable = !!d.solver && !!d.backward && (!!d.cell || d.derivable);
  if (simAvailable) d.targets.sim = simTotals(parts);
  if (deqAvailable) d.targets.deq = deqTotals(parts);
  if (!simAvailable && !deqAvailable) return noModel(ctx);

  const wanted = d.target;
  if (wanted) {
    const available = wanted.value === "sim" ? simAvailable : deqAvailable;
    if (!available) {
      ctx.report(
        "SIM4017",
        wanted.at,
        wanted.value === "sim"
          ? `target: sim, but model '${ctx.name}' has no SIM parts`
          : `target: deq, but model '${ctx.name}' has no DEQ cell and cannot derive one`,
        { hint: wanted.value === "sim" ? "remove target: sim, or add basis, lift and surrogate" : "add deq { cell: … }" },
      );
      d.broken = true;
      return;
    }
  }
  d.defaultTarget = wanted?.value ?? (simAvailable ? "sim" : "deq");
}

function noModel(ctx: ModelContext): void {
  ctx.report("SIM4016", ctx.modelPlace, `model '${ctx.name}' has neither SIM parts nor a DEQ cell`, {
    hint: "add basis { … }, lift and surrogate { … } (a SIM), or deq { cell: … } (a DEQ)",
  });
  ctx.draft.broken = true;
}
