/**
 * SearchRule: validates `search { … }`. A key that is a search setting (metric, mode,
 * scheduler, samples, seed) with a plain value configures the search; every other key names a
 * value to vary — a model parameter or a searchable train setting — and takes a distribution
 * (`choice`, `uniform`, `loguniform`, `randint`, `qrandint`) that must fit that value's type.
 */
import type { Property } from "../../grammar/ast.js";
import { bindArguments, coerce, type ArgType } from "../arguments.js";
import { OPTIMIZERS, schedules } from "../train-catalogue.js";
import { DISTRIBUTIONS, SCHEDULERS, SEARCH_SETTINGS, SEARCHABLE_TRAIN } from "../search-catalogue.js";
import type { Candidate, Distribution, SchedulerSpec, SearchDimension, SearchMetric, SearchSpec } from "../search-spec.js";
import { didYouMean } from "../../core/suggest.js";
import { describeValue, isNumber, type EvalValue } from "../values.js";
import { bindConfigured, configured, type ModelContext } from "./context.js";

/** What a varied value must be: a typed value, or the name of a schedule/optimizer. */
type Wanted = { kind: "typed"; type: ArgType } | { kind: "configured"; table: ReadonlyMap<string, unknown>; what: string };

function parameterType(ctx: ModelContext, name: string): ArgType | undefined {
  const param = ctx.decl.params.find((p) => p.name?.name === name);
  const value = ctx.parameters.get(name);
  if (!param || !value) return undefined;
  if (param.type?.kind === "EnumType") return { kind: "enum", members: param.type.members.map((m) => m.name) };
  const declared = param.type?.kind === "NamedType" ? param.type.name : value.kind;
  if (declared === "int") return { kind: "int" };
  if (declared === "float") return { kind: "float" };
  if (declared === "bool") return { kind: "bool" };
  if (declared === "string") return { kind: "string" };
  return { kind: "any" };
}

function wantedFor(ctx: ModelContext, name: string): { target: SearchDimension["target"]; wanted: Wanted } | undefined {
  const type = parameterType(ctx, name);
  if (type) return { target: "parameter", wanted: { kind: "typed", type } };
  const train = SEARCHABLE_TRAIN.get(name);
  if (train === undefined) return undefined;
  if (train !== "schedule" && train !== "optimizer") return { target: "train", wanted: { kind: "typed", type: train } };
  const table = train === "schedule" ? schedules({ epochs: 1, lr: 1e-3 }) : OPTIMIZERS;
  return { target: "train", wanted: { kind: "configured", table, what: name } };
}

function isDistributionCall(value: EvalValue | undefined): boolean {
  return value?.kind === "call" && DISTRIBUTIONS.has(value.name);
}

export function SearchRule(ctx: ModelContext): void {
  const section = ctx.section("search");
  if (!section) return;
  const settingNames = SEARCH_SETTINGS.map((s) => s.name);
  const settings = new Map<string, EvalValue>();
  const dimensions: SearchDimension[] = [];
  const seen = new Map<string, Property>();
  let ok = true;
  for (const statement of section.body) {
    if (statement.kind !== "Property") {
      ctx.report("SIM2020", ctx.place(statement.loc), "a search section holds 'key: value' settings, not layers or statements", {
        hint: "for example lr: loguniform(1e-4, 0.05)",
      });
      ok = false;
      continue;
    }
    const key = statement.key?.name ?? "";
    if (key === "") continue;
    const previous = seen.get(key);
    if (previous) {
      ctx.report("SIM4004", ctx.place(statement.key.loc), `'${key}' is set twice in search`, {
        related: [{ ...ctx.place(previous.key.loc), message: "first set here" }],
      });
      ok = false;
      continue;
    }
    seen.set(key, statement);
    const value = ctx.evaluate(statement.value);
    if (!value) {
      ok = false;
      continue;
    }
    if (settingNames.includes(key) && !isDistributionCall(value)) {
      settings.set(key, value);
      continue;
    }
    const dimension = readDimension(ctx, statement, key, value);
    if (dimension) dimensions.push(dimension);
    else ok = false;
  }
  const bound = bindArguments(
    { label: "search", at: ctx.place(section.key.loc), unknownCode: "SIM4012", noun: "setting" },
    SEARCH_SETTINGS,
    [...settings].map(([name, value]) => ({ name, nameAt: seen.get(name) && ctx.place(seen.get(name)!.key.loc), value, at: value.at })),
    ctx.bindContext(),
  );
  const scheduler = bound && readScheduler(ctx, bound.scheduler);
  if (!bound || !scheduler || !ok) return;
  const metric = (bound.metric as Extract<EvalValue, { kind: "symbol" }>).name as SearchMetric;
  const task = ctx.draft.task?.kind;
  const fits = metric === "val_accuracy" ? task !== "regress" : metric === "val_psnr" ? task !== "classify" : true;
  if (!fits) {
    ctx.report("SIM4065", bound.metric.at, `metric ${metric} does not fit a ${task} task`, {
      hint: task === "classify" ? "use metric: val_accuracy or val_loss" : "use metric: val_psnr or val_loss",
    });
    return;
  }
  if (dimensions.length === 0) {
    ctx.report("SIM4062", ctx.place(section.key.loc), "the search varies nothing", {
      hint: "vary a train setting or a model parameter, e.g. lr: loguniform(1e-4, 0.05)",
    });
    return;
  }
  const search: SearchSpec = {
    dimensions,
    metric,
    mode: (bound.mode as Extract<EvalValue, { kind: "symbol" }>).name as "max" | "min",
    scheduler,
    samples: (bound.samples as Extract<EvalValue, { kind: "int" }>).value,
    seed: (bound.seed as Extract<EvalValue, { kind: "int" }>).value,
  };
  ctx.draft.search = search;
}

function readScheduler(ctx: ModelContext, value: EvalValue | undefined): SchedulerSpec | undefined {
  const c = configured(value, "scheduler", "asha(grace: 1, reduction: 2)", ctx);
  const bound = c && bindConfigured(c, SCHEDULERS, "scheduler", "SIM4061", ctx);
  if (!bound) return undefined;
  if (bound.def.name === "fifo") return { kind: "fifo" };
  const num = (name: string) => {
    const v = bound.settings[name];
    return v && isNumber(v) ? v.value : NaN;
  };
  return { kind: "asha", grace: num("grace"), reduction: num("reduction"), brackets: num("brackets") };
}

function readDimension(ctx: ModelContext, statement: Property, key: string, value: EvalValue): SearchDimension | undefined {
  const keyAt = ctx.place(statement.key.loc);
  const target = wantedFor(ctx, key);
  if (!target) {
    const known = [...ctx.parameters.keys(), ...SEARCHABLE_TRAIN.keys()];
    ctx.report("SIM4061", keyAt, `the search varies '${key}', which is neither a parameter of model '${ctx.name}' nor a searchable train setting${didYouMean(key, known)}`, {
      hint: `searchable here: ${known.join(", ")}; declare a model parameter to vary anything else (model ${ctx.name}(${key}: float = 1.0) { … })`,
    });
    return undefined;
  }
  if (!isDistributionCall(value) || value.kind !== "call") {
    ctx.report("SIM4062", value.at, `'${key}' in a search takes a distribution, got ${describeValue(value)}`, {
      hint: `one of ${[...DISTRIBUTIONS.keys()].join(", ")}, e.g. ${key}: choice(…)`,
    });
    return undefined;
  }
  const wanted = target.wanted;
  const what = `search value of '${key}'`;
  const integer = wanted.kind === "typed" && wanted.type.kind === "int";
  const origin = ctx.origin(value.at.loc);
  const text = ctx.scope.module.text;
  let distribution: Distribution;
  if (value.name === "choice") {
    const values: Candidate[] = [];
    if (value.args.length === 0) {
      ctx.report("SIM4063", value.at, `choice() over '${key}' has nothing to choose from`, { hint: "list the values: choice(64, 128)" });
      return undefined;
    }
    let ok = true;
    for (const arg of value.args) {
      if (arg.name !== undefined || !arg.value) {
        if (arg.name !== undefined) ctx.report("SIM2003", arg.nameAt ?? arg.at, "choice takes its values positionally", { hint: "choice(64, 128, 256)" });
        ok = false;
        continue;
      }
      const candidate = readCandidate(ctx, arg.value, wanted, what, text);
      if (candidate) values.push(candidate);
      else ok = false;
    }
    if (!ok) return undefined;
    distribution = { kind: "choice", values };
  } else {
    if (wanted.kind === "configured") {
      ctx.report("SIM4064", value.callee, `${value.name} cannot vary '${key}': it names a ${wanted.what}`, {
        hint: `use choice over ${wanted.what}s, e.g. ${key}: choice(${[...wanted.table.keys()].slice(0, 2).join(", ")})`,
      });
      return undefined;
    }
    const def = DISTRIBUTIONS.get(value.name)!;
    const args = bindArguments({ label: value.name, at: value.callee }, def.settings, value.args, ctx.bindContext());
    if (!args) return undefined;
    const n = (name: string) => (args[name] && isNumber(args[name]) ? (args[name] as { value: number }).value : NaN);
    const low = n("low");
    const high = n("high");
    const kind = value.name as Exclude<Distribution["kind"], "choice">;
    const inclusive = kind === "qrandint";
    if (inclusive ? low > high : low >= high) {
      ctx.report("SIM4063", value.at, `${value.name}(${low}, ${high}) over '${key}' is empty`, {
        hint: inclusive ? "low must not exceed high" : "low must be smaller than high (the range is [low, high))",
      });
      return undefined;
    }
    if (integer && (kind === "uniform" || kind === "loguniform")) {
      ctx.report("SIM4064", value.callee, `${value.name} draws real numbers, but '${key}' is an int`, {
        hint: `use randint(${low}, ${high}) or qrandint(${low}, ${high}, q)`,
      });
      return undefined;
    }
    const type = wanted.type;
    if (type.kind !== "int" && type.kind !== "float" && type.kind !== "any") {
      ctx.report("SIM4064", value.callee, `${value.name} draws numbers, but '${key}' takes ${type.kind === "enum" ? `one of ${type.members.join(", ")}` : `a ${type.kind}`}`, {
        hint: `use choice(…) with values '${key}' accepts`,
      });
      return undefined;
    }
    // Both ends of the range must be values the setting accepts (the top one as drawn).
    const top = kind === "randint" ? high - 1 : kind === "qrandint" ? high : high * (1 - 1e-12);
    for (const end of [low, top]) {
      const probe: EvalValue = Number.isInteger(end) && kind !== "uniform" && kind !== "loguniform" ? { kind: "int", value: end, at: value.at } : { kind: "float", value: end, at: value.at };
      if (!coerce(probe, type, what, ctx.bindContext())) return undefined;
    }
    distribution = kind === "qrandint" ? { kind, low, high, q: n("q") } : { kind, low, high };
  }
  return { name: key, target: target.target, integer, distribution, origin };
}

function readCandidate(ctx: ModelContext, value: EvalValue, wanted: Wanted, what: string, text: string): Candidate | undefined {
  const source = text.slice(value.at.loc.start, value.at.loc.end);
  if (wanted.kind === "configured") {
    const c = configured(value, wanted.what, [...wanted.table.keys()][0], ctx);
    if (!c) return undefined;
    if (!wanted.table.has(c.name)) {
      const names = [...wanted.table.keys()];
      ctx.report("SIM4064", c.callee, `unknown ${wanted.what} '${c.name}'${didYouMean(c.name, names)}`, { hint: `valid: ${names.join(", ")}` });
      return undefined;
    }
    return { text: source, value: c.name };
  }
  const checked = coerce(value, wanted.type, what, ctx.bindContext());
  if (!checked) return undefined;
  if (checked.kind === "int" || checked.kind === "float" || checked.kind === "bool" || checked.kind === "string") return { text: source, value: checked.value };
  if (checked.kind === "symbol") return { text: source, value: checked.name };
  ctx.report("SIM4064", value.at, `${what} must be a number, a name, a string or true/false, got ${describeValue(value)}`);
  return undefined;
}
