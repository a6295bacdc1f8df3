/**
 * ModelItemsRule: a model holds only the known items, each at most once, each in its form
 * (`input: …` is a property, `basis { … }` a section).
 */
import { didYouMean } from "../../core/suggest.js";
import type { ModelContext } from "./context.js";

export const PROPERTY_ITEMS: readonly string[] = ["input", "task", "target", "lift", "embed"];
export const SECTION_ITEMS: readonly string[] = ["basis", "surrogate", "head", "deq", "train"];

const EXAMPLES: Record<string, string> = {
  input: "input: [28, 28, 1]",
  task: "task: classify(classes: 10)",
  target: "target: deq",
  lift: "lift: koopman(m: 50, r: 25)",
  embed: "embed: rff(n: 104, sigma: 1.0)",
  basis: "basis { dense(units: 50) }",
  surrogate: "surrogate { dense(units: 32) }",
  head: "head { dense(units: 10) }",
  deq: "deq { solver: anderson() }",
  train: "train { data: mnist }",
};

export function ModelItemsRule(ctx: ModelContext): void {
  for (const item of ctx.decl.items) {
    const key = item.key?.name ?? "";
    if (key === "") continue;
    const at = ctx.place(item.key.loc);
    const isProperty = PROPERTY_ITEMS.includes(key);
    const isSection = SECTION_ITEMS.includes(key);
    if (!isProperty && !isSection) {
      const known = [...PROPERTY_ITEMS, ...SECTION_ITEMS];
      ctx.report("SIM4003", at, `unknown model item '${key}'${didYouMean(key, known)}`, {
        hint: `a model holds ${known.join(", ")}`,
      });
      continue;
    }
    if (isProperty && item.kind === "Section") {
      ctx.report("SIM4005", at, `'${key}' is a property, not a section`, { hint: `write ${EXAMPLES[key]}` });
      continue;
    }
    if (isSection && item.kind === "Property") {
      ctx.report("SIM4005", at, `'${key}' is a section, not a property`, { hint: `write ${EXAMPLES[key]}` });
      continue;
    }
    const previous = ctx.items.get(key);
    if (previous) {
      ctx.report("SIM4004", at, `'${key}' is given twice in model '${ctx.name}'`, {
        related: [{ ...ctx.place(previous.key.loc), message: "first given here" }],
      });
      continue;
    }
    ctx.items.set(key, item);
  }
}
