/**
 * An implicit node's forward solve as an ONNX `Loop`, step for step what simc's evaluation
 * does (runtime/deq/solvers/picard.ts, averaged.ts and monitor.ts):
 *
 * - trip count: the solver's evaluation cap (`eval_max_iter`, default `max_iter`); condition:
 *   the batch's worst stopping residual (relative ‖f(z) − z‖/(‖f(z)‖ + 1e-8), or absolute) is
 *   still above the tolerance;
 * - each step evaluates f once, keeps every sample's best iterate so far (what the solver
 *   returns), then moves: z ← (1−τ)z + τ f(z) (Picard, damping τ) or the averaged iteration with
 *   NEMON's step rule (α ÷ 1.5 when α·r fails to drop by 15%, never below its floor);
 * - outputs: the best iterates and the number of evaluations of f.
 *
 * The graph cannot raise simc's divergence and NaN errors; it returns the best iterate.
 * Explicit cells iterate σ(L z + c) with c computed once before the loop (image states in
 * channels-first layout inside the loop); derived cells iterate their IR body as a sub-graph.
 */
import type { ImplicitAttrs, IRNode } from "../../ir/types.js";
import { REL_EPS } from "../../runtime/deq/monitor.js";
import { readSolverSpec } from "../../runtime/deq/settings.js";
import { averagedAlpha, REQUIRED_DROP, safeAlpha, SHRINK } from "../../runtime/deq/solvers/averaged.js";
import type { CellForm } from "../cell-form.js";
import { ExportError, sourceOf } from "../errors.js";
import { attr, type GraphBuilder } from "./graph.js";
import { activation, permute, samePadding } from "./layers.js";
import { lowerGraph, type LowerContext, type LoweredValue } from "./lower.js";

/** Solvers whose iteration has a graph form. */
export const LOOP_SOLVERS = ["picard", "averaged"] as const;

/** The injection c(x) = inj(U x + b), in the state's loop layout (images channels-first). */
function injection(g: GraphBuilder, form: CellForm, x: LoweredValue, ctx: LowerContext): string {
  const weight = ctx.weights.get(form.injection.weight);
  const bias = ctx.weights.get(form.injection.bias);
  if (!weight || !bias) throw new Error(`cell injection parameters ${form.injection.weight}, ${form.injection.bias} are missing`);
  const b = g.floats(form.injection.bias, bias.shape, bias.data);
  let pre: string;
  if (form.injection.kind === "dense") {
    const flat = x.shape.length === 1 ? x.name : g.op("Flatten", [x.name], { axis: attr.int(1) });
    pre = g.op("Add", [g.op("MatMul", [flat, g.floats(form.injection.weight, weight.shape, weight.data)]), b]);
  } else {
    const k = weight.shape[0];
    const [top, bottom] = samePadding(x.shape[0], k, 1, 1);
    const [left, right] = samePadding(x.shape[1], k, 1, 1);
    const w = permute(weight, [3, 2, 0, 1]);
    const xc = g.op("Transpose", [x.name], { perm: attr.ints([0, 3, 1, 2]) });
    pre = g.op("Conv", [xc, g.floats(form.injection.weight, w.shape, w.data), b], { pads: attr.ints([top, left, bottom, right]) });
  }
  const inj = form.injection.activation;
  return inj ? activation(g, inj.fn, pre, inj.beta) : pre;
}

/** f(z) = σ(L z + c) on the loop layout. */
function cellStep(g: GraphBuilder, form: CellForm, z: string, c: string, hint: string): string {
  const { weight } = form.linear;
  let lz: string;
  if (form.linear.kind === "dense") {
    lz = g.op("MatMul", [z, g.floats(`${hint}.L`, weight.shape, weight.data)]);
  } else {
    const k = weight.shape[0];
    const w = permute(weight, [3, 2, 0, 1]);
    const p = (k - 1) / 2;
    lz = g.op("Conv", [z, g.floats(`${hint}.L`, w.shape, w.data)], { pads: attr.ints([p, p, p, p]) });
  }
  return activation(g, form.activation.fn, g.op("Add", [lz, c]), form.activation.beta);
}

/** Per-sample Euclidean norms [B] of a batch-first value. */
function sampleNorms(g: GraphBuilder, x: string): string {
  const flat = g.op("Flatten", [x], { axis: attr.int(1) });
  return g.op("Sqrt", [g.op("ReduceSumSquare", [flat], { axes: attr.ints([1]), keepdims: attr.int(0) })]);
}

export function implicitLoop(g: GraphBuilder, node: IRNode, args: LoweredValue[], ctx: LowerContext): { z: string; steps: string } {
  const attrs = node.attrs as unknown as ImplicitAttrs;
  const label = node.loc ? `${node.id} (${node.loc.file}:${node.loc.line}:${node.loc.column})` : node.id;
  const solver = readSolverSpec(label, attrs.solver);
  if (solver.name !== "picard" && solver.name !== "averaged") {
    throw new ExportError("exportUnsupportedSolver", `${node.id}: solver ${solver.name} has no graph form`, {
      ...sourceOf(node),
      hint: `the forward solve exports as a Loop for ${LOOP_SOLVERS.join(" and ")} (plain or damped fixed-point iteration, the averaged iteration of ℓ∞ cells); change the spec's solver`,
    });
  }
  const form = attrs.cell === "derived" ? undefined : ctx.cellForm(node, args[0].shape);
  const image = form?.linear.kind === "conv";
  const stateDims = image ? [attrs.stateShape[2], attrs.stateShape[0], attrs.stateShape[1]] : attrs.stateShape;
  const c = form ? injection(g, form, args[0], ctx) : undefined;

  // Initial state z0 = 0 [B, ...state], best metric +∞ [B].
  const batch = g.op("Slice", [g.op("Shape", [args[0].name]), g.int64s("zero_index", [0]), g.int64s("one_index", [1])]);
  const stateShape = g.op("Concat", [batch, g.int64s(`${node.id}.state_shape`, stateDims)], { axis: attr.int(0) });
  const zero = { name: "", type: "float" as const, dims: [1], values: new Float32Array([0]) };
  const z0 = g.op("ConstantOfShape", [stateShape], { value: attr.tensor({ ...zero, name: "zero" }) });
  const infinity = g.op("ConstantOfShape", [batch], { value: attr.tensor({ ...zero, name: "infinity", values: new Float32Array([Infinity]) }) });

  const averaged = solver.name === "averaged";
  const alpha0 = averaged ? averagedAlpha(solver.settings, form?.structure, label) : 0;
  const floor = Math.min(alpha0, safeAlpha(form?.structure) ?? 1e-3);

  const b = g.subgraph(`${node.id}.solve`);
  const iteration = b.input({ name: b.fresh("iteration"), type: "int64", dims: [] });
  b.input({ name: b.fresh("condition"), type: "bool", dims: [] });
  const z = b.input({ name: b.fresh(`${node.id}.z`), type: "float" });
  const best = b.input({ name: b.fresh(`${node.id}.best`), type: "float" });
  const bestMetric = b.input({ name: b.fresh(`${node.id}.best_residual`), type: "float" });
  b.input({ name: b.fresh(`${node.id}.steps`), type: "int64", dims: [] });
  const alpha = averaged ? b.input({ name: b.fresh(`${node.id}.alpha`), type: "float", dims: [] }) : "";
  const previousStep = averaged ? b.input({ name: b.fresh(`${node.id}.previous_step`), type: "float", dims: [] }) : "";

  let fz: string;
  if (form && c) {
    fz = cellStep(b, form, z, c, node.id);
  } else {
    const body = node.body;
    if (!body) throw new Error(`${label}: a derived cell without its body`);
    const inputs = new Map<string, LoweredValue>(body.inputs.map((id, i) => [id, i === 0 ? { name: z, shape: attrs.stateShape } : args[i - 1]]));
    fz = (lowerGraph(b, body, inputs, ctx).get(body.outputs[0]) as LoweredValue).name;
  }

  const absolute = sampleNorms(b, b.op("Sub", [fz, z]));
  const metric =
    solver.settings.stop === "rel" ? b.op("Div", [absolute, b.op("Add", [sampleNorms(b, fz), b.scalar("rel_eps", REL_EPS)])]) : absolute;
  const improved = b.op("Less", [metric, bestMetric]);
  const stateAxes = stateDims.map((_, i) => i + 1);
  const improvedState = b.op("Unsqueeze", [improved, b.int64s(`${node.id}.state_axes`, stateAxes)]);
  const worst = b.op("ReduceMax", [metric], { keepdims: attr.int(0) });

  const out = {
    condition: b.op("Greater", [worst, b.scalar(`${node.id}.tol`, solver.settings.tol)]),
    best: b.op("Where", [improvedState, z, best]),
    bestMetric: b.op("Where", [improved, metric, bestMetric]),
    steps: b.op("Add", [iteration, b.int64s("one", [1], [])]),
  };
  const move = (rate: string) => b.op("Add", [b.op("Mul", [z, b.op("Sub", [b.scalar("one_f", 1), rate])]), b.op("Mul", [fz, rate])]);
  let next: string;
  const carried: string[] = [];
  if (solver.name === "picard") {
    next = solver.settings.damping === 1 ? b.op("Identity", [fz]) : move(b.scalar(`${node.id}.damping`, solver.settings.damping));
  } else {
    const floorValue = b.scalar(`${node.id}.alpha_floor`, floor);
    const step = b.op("Mul", [alpha, worst]);
    const slow = b.op("Greater", [step, b.op("Mul", [previousStep, b.scalar("required_drop", REQUIRED_DROP)])]);
    const shrink = b.op("And", [slow, b.op("Greater", [alpha, floorValue])]);
    const shrunk = b.op("Max", [b.op("Div", [alpha, b.scalar("shrink", SHRINK)]), floorValue]);
    const nextAlpha = b.op("Where", [shrink, shrunk, alpha]);
    next = move(nextAlpha);
    carried.push(nextAlpha, b.op("Identity", [step]));
  }
  for (const [name, type] of [
    [out.condition, "bool"],
    [next, "float"],
    [out.best, "float"],
    [out.bestMetric, "float"],
    [out.steps, "int64"],
    ...carried.map((n) => [n, "float"]),
  ] as [string, "bool" | "float" | "int64"][]) {
    b.output({ name, type });
  }

  const initial = [z0, z0, infinity, g.int64s("zero_steps", [0], [])];
  if (averaged) initial.push(g.scalar(`${node.id}.alpha0`, alpha0), g.scalar("infinity", Infinity));
  const trip = g.int64s(`${node.id}.eval_max_iter`, [solver.settings.evalMaxIter], []);
  const results = g.node("Loop", [trip, g.bool("true", true), ...initial], { body: attr.graph(b) }, initial.length);
  const zStar = results[1];
  return { z: image ? toChannelsLast(g, zStar) : zStar, steps: results[3] };
}

function toChannelsLast(g: GraphBuilder, x: string): string {
  return g.op("Transpose", [x], { perm: attr.ints([0, 2, 3, 1]) });
}
