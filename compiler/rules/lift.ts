/** LiftRule: `lift: koopman(m, r)`, both optional (checked against the basis by SimStructureRule). */
import { bindArguments, T } from "../arguments.js";
import { didYouMean } from "../../core/suggest.js";
import { configured, type ModelContext } from "./context.js";

export function LiftRule(ctx: ModelContext): void {
  const property = ctx.property("lift");
  if (!property) return;
  const value = configured(ctx.evaluate(property.value), "lift", "koopman(m: 50, r: 25)", ctx);
  if (!value) return void (ctx.draft.broken = true);
  if (value.name !== "koopman") {
    ctx.report("SIM2012", value.callee, `unknown lift '${value.name}'${didYouMean(value.name, ["koopman"])}`, {
      hint: "write lift: koopman(m: …, r: …)",
    });
    ctx.draft.broken = true;
    return;
  }
  const bound = bindArguments(
    { label: "koopman", at: value.callee },
    [
      { name: "m", type: T.int(1), optional: true, doc: "lift dimension; defaults to ψ's output width" },
      { name: "r", type: T.int(), optional: true, doc: "rank of C·B; defaults to m/2" },
    ],
    value.args,
    ctx.bindContext(),
  );
  if (!bound) return void (ctx.draft.broken = true);
  ctx.draft.liftArgs = {
    at: value.at,
    ...(bound.m?.kind === "int" ? { m: bound.m.value, mAt: bound.m.at } : {}),
    ...(bound.r?.kind === "int" ? { r: bound.r.value, rAt: bound.r.at } : {}),
  };
}
