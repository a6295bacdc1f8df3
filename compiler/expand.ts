/**
 * Expansion: turns a layer section (`basis { … }`) into concrete layer instances. Block
 * applications bind their arguments and expand their bodies, `repeat` and `if` are evaluated,
 * every layer's arguments are checked against the catalogue and its output shape inferred.
 * After the first shape error in a sequence, later layers still have their arguments checked
 * but their shapes are not inferred, so one mistake gives one error.
 */
import type { CallStatement, RepeatStatement, SourceLocation, Statement } from "../grammar/ast.js";
import { bindArguments, type ArgSpec, type BindContext } from "./arguments.js";
import { unknownCalleeMessage, type BlockSymbol, type BoundProgram, type ModuleScope } from "./bind.js";
import type { LayerInstance, Shape } from "./checked-model.js";
import { evaluate, evaluateArguments, type EvalEnv } from "./evaluate.js";
import { formatShape, LAYERS, type LayerDef } from "./layers/index.js";
import { residualProblem } from "./layers/residual.js";
import type { Place, Reporter } from "./reporter.js";
import { describeValue, toValueRecord, type EvalValue } from "./values.js";

export const MAX_BLOCK_DEPTH = 32;
export const MAX_REPEAT = 10_000;
export const MAX_LAYERS = 100_000;
const MAX_STEPS = 1_000_000;
const MAX_ELEMENTS = 2 ** 31;

export interface ExpandEnv {
  reporter: Reporter;
  bound: BoundProgram;
  /** Shared by every section of a check, so a runaway loop stops once. */
  budget: { layers: number; steps: number; exhausted: boolean };
  /** Each block's parameters as argument specs, built at its first application in this check. */
  blockSpecs: Map<BlockSymbol, readonly ArgSpec[]>;
}

export function newExpandEnv(reporter: Reporter, bound: BoundProgram): ExpandEnv {
  return { reporter, bound, budget: { layers: 0, steps: 0, exhausted: false }, blockSpecs: new Map() };
}

export interface SequenceResult {
  layers: LayerInstance[];
  /** The output shape; undefined when a problem (already reported) left it unknown. */
  shape: Shape | undefined;
}

interface Context {
  /** The module whose names are visible (the block's own module inside a block). */
  scope: ModuleScope;
  vars: ReadonlyMap<string, EvalValue>;
  /** Block applications, outermost first. */
  via: string[];
  env: ExpandEnv;
  /** What expressions and argument binding see here: built once per context, not per call. */
  evalEnv: EvalEnv;
  bindContext: BindContext;
}

function newContext(scope: ModuleScope, vars: ReadonlyMap<string, EvalValue>, via: string[], env: ExpandEnv): Context {
  const reporter = env.reporter;
  return {
    scope,
    vars,
    via,
    env,
    evalEnv: { file: scope.module.display, scope: vars, reporter },
    bindContext: { reporter, scopeNames: [...vars.keys()] },
  };
}

interface Sequence {
  prefix: string;
  next: number;
  layers: LayerInstance[];
}

/** Expands the statements of a layer section (`basis`, `surrogate`, `head`) from an input shape. */
export function expandSection(
  statements: readonly Statement[],
  input: Shape | undefined,
  section: string,
  scope: ModuleScope,
  env: ExpandEnv,
  vars: ReadonlyMap<string, EvalValue> = new Map(),
): SequenceResult {
  const sequence: Sequence = { prefix: section, next: 0, layers: [] };
  const shape = expandStatements(statements, input, newContext(scope, vars, [], env), sequence);
  return { layers: sequence.layers, shape };
}

function placeOf(ctx: Context, loc: SourceLocation): Place {
  return { file: ctx.scope.module.display, loc };
}

/** Counts one step (and `layers` layers) against the budget; reports at `loc` when it runs out. */
function spend(ctx: Context, loc: SourceLocation, layers = 0): boolean {
  const budget = ctx.env.budget;
  if (budget.exhausted) return false;
  budget.steps += 1;
  budget.layers += layers;
  if (budget.steps > MAX_STEPS || budget.layers > MAX_LAYERS) {
    budget.exhausted = true;
    ctx.env.reporter.report(
      "SIM2018",
      placeOf(ctx, loc),
      `expansion stopped: more than ${budget.layers > MAX_LAYERS ? `${MAX_LAYERS.toLocaleString("en-US")} layers` : `${MAX_STEPS.toLocaleString("en-US")} steps`}`,
      { hint: "check repeat counts and recursive blocks" },
    );
    return false;
  }
  return true;
}

function expandStatements(
  statements: readonly Statement[],
  input: Shape | undefined,
  ctx: Context,
  sequence: Sequence,
): Shape | undefined {
  let shape = input;
  for (const statement of statements) {
    if (!spend(ctx, statement.loc)) return undefined;
    shape = expandStatement(statement, shape, ctx, sequence);
  }
  return shape;
}

function expandStatement(statement: Statement, shape: Shape | undefined, ctx: Context, sequence: Sequence): Shape | undefined {
  const reporter = ctx.env.reporter;
  switch (statement.kind) {
    case "CallStatement":
      return expandCall(statement, shape, ctx, sequence);
    case "Property":
      reporter.report(
        "SIM2019",
        placeOf(ctx, statement.loc),
        `'${statement.key?.name ?? ""}: …' is a setting, but a layer sequence holds layers and blocks`,
        { hint: "settings belong in the model's deq { … } or train { … } sections" },
      );
      return shape;
    case "ResidualStatement": {
      const index = sequence.next++;
      const path = `${sequence.prefix}.${index}.residual`;
      const body: Sequence = { prefix: `${path}.body`, next: 0, layers: [] };
      const shortcut: Sequence = { prefix: `${path}.shortcut`, next: 0, layers: [] };
      const bodyShape = expandStatements(statement.body, shape, ctx, body);
      const shortcutShape = expandStatements(statement.shortcut ?? [], shape, ctx, shortcut);
      if (!shape || !bodyShape || !shortcutShape) return undefined;
      const problem = residualProblem(bodyShape, shortcutShape, shortcut.layers.length === 0);
      if (problem) {
        reporter.report(problem.code, placeOf(ctx, statement.loc), problem.message, problem.hint ? { hint: problem.hint } : {});
        return undefined;
      }
      sequence.layers.push({
        op: "residual",
        args: {},
        inputShape: [...shape],
        outputShape: [...bodyShape],
        params: [],
        path,
        via: [...ctx.via],
        origin: origin(ctx, statement.loc),
        body: body.layers,
        shortcut: shortcut.layers,
      });
      return bodyShape;
    }
    case "RepeatStatement":
      return expandRepeat(statement, shape, ctx, sequence);
    case "IfStatement": {
      const condition = evaluate(statement.condition, ctx.evalEnv);
      if (!condition) return undefined;
      if (condition.kind !== "bool") {
        reporter.report("SIM2017", condition.at, `if needs a condition that is true or false, got ${describeValue(condition)}`, {
          hint: "compare with ==, <, … (for example: if downsample { … } with downsample: bool)",
        });
        return undefined;
      }
      return expandStatements(condition.value ? statement.then : (statement.else ?? []), shape, ctx, sequence);
    }
  }
}

function origin(ctx: Context, loc: SourceLocation) {
  return { file: ctx.scope.module.display, line: loc.line, column: loc.column };
}

function expandCall(statement: CallStatement, shape: Shape | undefined, ctx: Context, sequence: Sequence): Shape | undefined {
  const call = statement.call;
  if (!call || !call.callee || call.callee.name === "") return undefined;
  const name = call.callee.name;
  const layer = LAYERS.get(name);
  if (layer) return applyLayer(layer, statement, shape, ctx, sequence);
  const block = ctx.scope.visible.get(name);
  if (block) return applyBlock(block, statement, shape, ctx, sequence);
  if (block === undefined) ctx.env.reporter.report("SIM2001", placeOf(ctx, call.callee.loc), unknownCalleeMessage(name, ctx.scope));
  return undefined;
}

function applyLayer(
  layer: LayerDef,
  statement: CallStatement,
  shape: Shape | undefined,
  ctx: Context,
  sequence: Sequence,
): Shape | undefined {
  const call = statement.call;
  const reporter = ctx.env.reporter;
  const args = evaluateArguments(call.args, ctx.evalEnv);
  const bound = bindArguments({ label: layer.name, at: placeOf(ctx, call.callee.loc) }, layer.args, args, ctx.bindContext);
  if (!bound || !shape) return undefined;
  const values = toValueRecord(bound);
  const inferred = layer.infer(values, shape);
  if ("problem" in inferred) {
    const { code, message, hint } = inferred.problem;
    reporter.report(code, placeOf(ctx, call.loc), message, hint ? { hint } : {});
    return undefined;
  }
  const output = inferred.shape;
  if (!representable(output)) {
    reporter.report("SIM3009", placeOf(ctx, call.loc), `${layer.name} would produce the shape ${formatShape(output)}, which simc cannot represent`);
    return undefined;
  }
  if (!spend(ctx, call.loc, 1)) return undefined;
  sequence.layers.push({
    op: layer.name,
    args: values,
    inputShape: [...shape],
    outputShape: output,
    params: layer.params(values, shape),
    path: `${sequence.prefix}.${sequence.next++}.${layer.name}`,
    via: [...ctx.via],
    origin: origin(ctx, statement.loc),
  });
  return output;
}

/** Every dimension a positive finite number, and at most `MAX_ELEMENTS` elements in all. */
function representable(shape: Shape): boolean {
  let elements = 1;
  for (const d of shape) {
    if (!Number.isFinite(d) || d < 1) return false;
    elements *= d;
  }
  return elements <= MAX_ELEMENTS;
}

function applyBlock(
  block: BlockSymbol,
  statement: CallStatement,
  shape: Shape | undefined,
  ctx: Context,
  sequence: Sequence,
): Shape | undefined {
  const reporter = ctx.env.reporter;
  const call = statement.call;
  const callAt = placeOf(ctx, call.callee.loc);
  if (reporter.depth >= MAX_BLOCK_DEPTH) {
    const chain = [...reporter.activeBlocks.slice(-4), block.name];
    reporter.report(
      "SIM2015",
      callAt,
      `block '${block.name}' is applied more than ${MAX_BLOCK_DEPTH} levels deep (… → ${chain.join(" → ")})`,
      { hint: "a block that applies itself needs an `if` on its arguments that eventually stops" },
    );
    return undefined;
  }
  const args = evaluateArguments(call.args, ctx.evalEnv);
  const bound = bindArguments({ label: `block ${block.name}`, at: callAt }, blockSpecs(block, ctx.env), args, ctx.bindContext);
  if (!bound) return undefined;
  const scope = ctx.env.bound.scopes.get(block.module.id);
  if (!scope) return undefined;
  const vars = new Map<string, EvalValue>();
  for (const name in bound) vars.set(name, bound[name]);
  const inner = newContext(scope, vars, [...ctx.via, block.name], ctx.env);
  return reporter.within({ block: block.name, call: callAt }, () => expandStatements(block.decl.body, shape, inner, sequence));
}

/** A block's parameters as argument specs; a default is evaluated in the block's own file. */
function blockSpecs(block: BlockSymbol, env: ExpandEnv): readonly ArgSpec[] {
  const cached = env.blockSpecs.get(block);
  if (cached) return cached;
  const blockFile = block.module.display;
  const reporter = env.reporter;
  const specs: ArgSpec[] = block.params.map((param) => ({
    name: param.name,
    type: param.type,
    ...(param.default
      ? {
          default: (bound: Readonly<Record<string, EvalValue>>) =>
            evaluate(param.default, { file: blockFile, scope: new Map(Object.entries(bound)), reporter }),
        }
      : {}),
  }));
  env.blockSpecs.set(block, specs);
  return specs;
}

/** The value of a repeat count or range bound as a number; otherwise reports it. */
function repeatBound(value: EvalValue | undefined, what: string, allowNegative: boolean, reporter: Reporter): number | undefined {
  if (!value) return undefined;
  if (value.kind !== "int" || (!allowNegative && value.value < 0)) {
    reporter.report("SIM2016", value.at, `${what} must be a${allowNegative ? "n" : " non-negative"} int, got ${describeValue(value)}`);
    return undefined;
  }
  return value.value;
}

function reportTooLong(n: number, at: Place, reporter: Reporter): undefined {
  reporter.report("SIM2016", at, `repeat of ${n} iterations is too long (at most ${MAX_REPEAT.toLocaleString("en-US")})`);
  return undefined;
}

function expandRepeat(statement: RepeatStatement, shape: Shape | undefined, ctx: Context, sequence: Sequence): Shape | undefined {
  const reporter = ctx.env.reporter;
  if (!statement.variable) {
    const count = repeatBound(evaluate(statement.count, ctx.evalEnv), "repeat count", false, reporter);
    if (count === undefined) return undefined;
    if (count > MAX_REPEAT) return reportTooLong(count, placeOf(ctx, statement.count!.loc), reporter);
    let current = shape;
    for (let i = 0; i < count; i++) {
      current = expandStatements(statement.body, current, ctx, sequence);
      if (!current) return undefined;
    }
    return current;
  }

  const variable = statement.variable;
  if (variable.name === "") return undefined;
  const from = repeatBound(evaluate(statement.from, ctx.evalEnv), "range start", true, reporter);
  const to = repeatBound(evaluate(statement.to, ctx.evalEnv), "range end", true, reporter);
  if (from === undefined || to === undefined) return undefined;
  const variableAt = placeOf(ctx, variable.loc);
  if (ctx.vars.has(variable.name)) {
    reporter.report("SIM2022", variableAt, `loop variable '${variable.name}' hides a parameter or loop variable of the same name`, {
      hint: "pick another name for the loop variable",
    });
    return undefined;
  }
  if (to - from > MAX_REPEAT) return reportTooLong(to - from, variableAt, reporter);
  let current = shape;
  for (let i = from; i < to; i++) {
    const vars = new Map(ctx.vars);
    vars.set(variable.name, { kind: "int", value: i, at: variableAt });
    current = expandStatements(statement.body, current, newContext(ctx.scope, vars, ctx.via, ctx.env), sequence);
    if (!current) return undefined;
  }
  return current;
}

/** Every layer of a sequence, residual branches included, depth first. */
export function* allLayers(layers: readonly LayerInstance[]): Generator<LayerInstance> {
  for (const layer of layers) {
    yield layer;
    if (layer.body) yield* allLayers(layer.body);
    if (layer.shortcut) yield* allLayers(layer.shortcut);
  }
}
