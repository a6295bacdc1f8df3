/**
 * TrainRule: validates `train { … }` — the data set (and that it fits the model's input and
 * task), the loss (and that it fits the task), optimizer, schedule and the plain settings —
 * and fills every default, so the trainer reads concrete values only.
 */
import type { Expr } from "../../grammar/ast.js";
import { bindArguments } from "../arguments.js";
import type { CallValue, Value } from "../checked-model.js";
import { formatShape } from "../layers/index.js";
import type { Place } from "../reporter.js";
import { didYouMean } from "../../core/suggest.js";
import type { DataDescription } from "../../vocabulary/data-forms/index.js";
import { TRAIN_DEFAULTS } from "../../vocabulary/training.js";
import { LOSSES, OPTIMIZERS, schedules, TRAIN_KEYS, TRAIN_SETTINGS } from "../train-catalogue.js";
import { describeValue, toValueRecord, type EvalArg, type EvalValue } from "../values.js";
import { bindConfigured, configured, sameShape, sectionSettings, type ModelContext } from "./context.js";
import { checkData, dataExpression } from "./train-data.js";

export function TrainRule(ctx: ModelContext): void {
  const d = ctx.draft;
  const section = ctx.section("train");
  const defaultLoss = d.task?.kind === "regress" ? "mse" : "cross_entropy";
  if (!section) {
    // A misshapen `train: …` was reported already; do not also say there is none.
    if (!ctx.decl.items.some((item) => item.key?.name === "train")) {
      ctx.report("SIM4026", ctx.modelPlace, `model '${ctx.name}' has no train section: simc train will need --data`, {
        hint: "add train { data: mnist }",
      });
    }
  }
  const settings = section ? sectionSettings(section, TRAIN_KEYS, "SIM4019", ctx) : new Map();
  const at: Place = section ? ctx.place(section.key.loc) : ctx.modelPlace;
  let ok = true;

  // data
  let data: Value = "";
  const dataProperty = settings.get("data");
  if (dataProperty) {
    const checked = checkData(ctx, dataProperty.value);
    if (checked) {
      data = checked.value;
      if (checked.description) d.data = checked.description;
      if (checked.description) checkDataFits(ctx, checked.description, dataName(checked.value), ctx.place(dataExpression(dataProperty.value)?.loc ?? dataProperty.loc));
    } else ok = false;
  } else if (section) {
    ctx.report("SIM4026", at, `train has no data: simc train will need --data`, { hint: "add data: mnist (or another data set)" });
  }

  // loss
  let loss = defaultLoss;
  const lossProperty = settings.get("loss");
  if (lossProperty) {
    const value = ctx.evaluate(lossProperty.value);
    if (value?.kind === "symbol" && LOSSES.includes(value.name)) {
      loss = value.name;
      if (d.task && value.name !== defaultLoss) {
        ctx.report("SIM4022", value.at, `loss ${value.name} does not fit a ${d.task.kind} task`, {
          hint: `use loss: ${defaultLoss}`,
        });
        ok = false;
      }
    } else if (value?.kind === "symbol") {
      ctx.report("SIM4021", value.at, `unknown loss '${value.name}'${didYouMean(value.name, LOSSES)}`, {
        hint: `valid losses: ${LOSSES.join(", ")}`,
      });
      ok = false;
    } else if (value) {
      ctx.report("SIM2004", value.at, `loss expects ${LOSSES.join(" | ")}, got ${describeValue(value)}`);
      ok = false;
    }
  }

  // plain settings: batch, epochs, clip, validation, seed, limit, validate_every
  const plainArgs: EvalArg[] = [];
  for (const spec of TRAIN_SETTINGS) {
    const property = settings.get(spec.name);
    if (!property) continue;
    plainArgs.push({
      name: spec.name,
      nameAt: ctx.place(property.key.loc),
      value: ctx.evaluate(property.value),
      at: ctx.place(property.loc),
    });
  }
  const plain = bindArguments({ label: "train", at, unknownCode: "SIM4012", noun: "setting" }, TRAIN_SETTINGS, plainArgs, ctx.bindContext());
  if (!plain) ok = false;
  const number = (v: EvalValue | undefined, fallback: number) => (v && (v.kind === "int" || v.kind === "float") ? v.value : fallback);
  const epochs = number(plain?.epochs, 10);

  // optimizer, then the schedule (whose defaults read epochs and the learning rate)
  const optimizer = bindCall(ctx, settings.get("optimizer")?.value, OPTIMIZERS, "optimizer", "adam(lr: 1e-3)", TRAIN_DEFAULTS.optimizer, at);
  if (!optimizer) ok = false;
  const lr = typeof optimizer?.args.lr === "number" ? optimizer.args.lr : 1e-3;
  const schedule = bindCall(ctx, settings.get("schedule")?.value, schedules({ epochs, lr }), "schedule", "onecycle()", TRAIN_DEFAULTS.schedule, at);
  if (!schedule) ok = false;

  if (!ok || !plain || !optimizer || !schedule) return;
  d.train = {
    data,
    loss: loss as "cross_entropy" | "mse",
    optimizer,
    schedule,
    batch: number(plain.batch, 128),
    epochs,
    ...(plain.clip ? { clip: number(plain.clip, 0) } : {}),
    validation: number(plain.validation, 0.1),
    seed: number(plain.seed, 0),
    extra: {
      ...(plain.limit ? { limit: number(plain.limit, 0) } : {}),
      ...(plain.validate_every ? { validate_every: number(plain.validate_every, 0) } : {}),
    },
    origin: ctx.origin(at.loc),
  };
}

function bindCall(
  ctx: ModelContext,
  expr: Expr | undefined,
  table: Parameters<typeof bindConfigured>[1],
  what: string,
  example: string,
  fallback: string,
  defaultAt: Place,
): CallValue | undefined {
  if (!expr) {
    const settings = bindArguments({ label: `${what} ${fallback}`, at: defaultAt }, table.get(fallback)!.settings, [], ctx.bindContext());
    return settings ? { call: fallback, args: toValueRecord(settings) } : undefined;
  }
  const value = configured(ctx.evaluate(expr), what, example, ctx);
  if (!value) return undefined;
  const bound = bindConfigured(value, table, what, "SIM4021", ctx);
  return bound ? { call: bound.def.name, args: toValueRecord(bound.settings) } : undefined;
}

const dataName = (value: Value): string => (typeof value === "object" && !Array.isArray(value) ? value.call : JSON.stringify(value));

function checkDataFits(ctx: ModelContext, yields: DataDescription, name: string, at: Place): void {
  const { input, task } = ctx.draft;
  if (input && !sameShape(input, yields.inputShape)) {
    ctx.report("SIM4023", at, `data set ${name} yields examples of shape ${formatShape(yields.inputShape)}, but the model's input is ${formatShape(input)}`, {
      hint: `set input: ${formatShape(yields.inputShape)}`,
    });
  }
  if (!task) return;
  const show = (t: DataDescription["task"] | NonNullable<typeof task>) =>
    t.kind === "classify" ? `classify(classes: ${t.classes})` : `regress(outputs: ${t.outputs})`;
  const same =
    task.kind === yields.task.kind &&
    (task.kind === "classify" ? task.classes === (yields.task as { classes: number }).classes : task.outputs === (yields.task as { outputs: number }).outputs);
  if (!same) {
    ctx.report("SIM4023", at, `data set ${name} is a ${show(yields.task)} task, but the model declares ${show(task)}`, {
      hint: `set task: ${show(yields.task)}`,
    });
  }
}
