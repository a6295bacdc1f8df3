/**
 * HeadRule: expands g from what it reads — the surrogate's output for SIMs (and for the derived
 * cell, whose state is ϕ's output), an explicit cell's state z* otherwise. Without a `head`
 * section the head is `dense(units: classes | outputs)`.
 */
import { bindArguments } from "../arguments.js";
import { expandSection } from "../expand.js";
import { dense } from "../layers/dense.js";
import { formatShape } from "../layers/index.js";
import { toValueRecord } from "../values.js";
import type { ModelContext } from "./context.js";

export function HeadRule(ctx: ModelContext): void {
  const d = ctx.draft;
  const input = d.broken ? undefined : d.variant !== "none" ? d.surrogate?.shape : d.cell?.stateShape;
  const section = ctx.section("head");
  if (section) {
    d.head = expandSection(section.body, input, "head", ctx.scope, ctx.env, ctx.parameters);
    if (!d.head.shape) d.broken = true;
    return;
  }
  if (!input || !d.task) return;
  const units = d.task.kind === "classify" ? d.task.classes : d.task.outputs;
  const at = ctx.modelPlace;
  const bound = bindArguments(
    { label: "dense", at },
    dense.args,
    [{ name: "units", value: { kind: "int", value: units, at }, at }],
    ctx.bindContext(),
  );
  if (!bound) return;
  const args = toValueRecord(bound);
  const inferred = dense.infer(args, input);
  if ("problem" in inferred) {
    ctx.report("SIM3001", at, `the default head dense(units: ${units}) cannot read ${formatShape(input)}`, {
      hint: `declare a head, e.g. head { flatten() dense(units: ${units}) }`,
    });
    d.broken = true;
    return;
  }
  d.head = {
    shape: inferred.shape,
    layers: [
      {
        op: "dense",
        args,
        inputShape: [...input],
        outputShape: inferred.shape,
        params: dense.params(args, input),
        path: "head.0.dense",
        via: [],
        origin: ctx.origin(at.loc),
      },
    ],
  };
}
