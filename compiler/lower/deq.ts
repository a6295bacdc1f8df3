/**
 * The DEQ target: one `implicit` node solving z* = f(z*, x), then the head g(z*).
 *
 * - Explicit cell (`deq { cell: … }`): the node reads the injection (ψ(x) when the model has a
 *   basis, else the raw input; flattened first for dense-kind cells) and carries the cell's
 *   parameters from `vocabulary/cells.ts` as `deq.<local>`; it has no body.
 * - Derived cell (no `cell`): f(z, x) = ϕ(K·(u + A z)) with u the lifted features (ψ(x), φ(ψ(x))
 *   or φ(x)), computed once before the node. The body reads `z` and `u`:
 *   dense(z; A) → add(u, ·) → dense(K) → ϕ's layers; the state is ϕ's output.
 */
import type { BackwardModeName, SolverName } from "../../vocabulary/solvers.js";
import { stateKind } from "../../vocabulary/cell-families.js";
import { derivedCellParams } from "../../vocabulary/cells.js";
import type { CellSpec, CheckedModel, Origin, Shape } from "../checked-model.js";
import { IR_CODES } from "../../core/codes/ir.js";
import { sameShape, shapeSize, showShape } from "../../ir/op-rules.js";
import type { AttrValue, IRGraph, IRNode, ImplicitAttrs } from "../../ir/types.js";
import { GraphBuilder, type ParamTable } from "./builder.js";
import { lowerLayers } from "./layers.js";
import { LoweringError } from "./lowering-error.js";
import { checkLiftWidth, lowerLiftedFeatures } from "./sim-parts.js";

/** Id of the implicit node; its parameters are named `deq.<local>`. */
export const IMPLICIT_ID = "deq";

const show = showShape;
const isDenseKind = (cell: CellSpec) => stateKind(cell.family, cell.args.kind) === "dense";

/** The checker fills every solver and backward setting (defaults included) whenever a DEQ is possible. */
function solverAttrs(model: CheckedModel): Pick<ImplicitAttrs, "solver" | "backward"> {
  if (!model.deq) {
    throw new LoweringError(
      IR_CODES.derivedCellNeedsParts,
      model.origin,
      `model '${model.name}' has no DEQ to lower: no cell is declared and none can be derived`,
      "declare deq { cell: … } or give the model a lift and a surrogate ϕ",
    );
  }
  const { solver, backward } = model.deq;
  return {
    // The checker bound both against the vocabulary; the verifier checks them again.
    solver: { name: solver.name as SolverName, settings: { ...solver.settings } },
    backward: { mode: backward.mode as BackwardModeName, settings: { ...backward.settings } },
  };
}

function implicitAttrs(model: CheckedModel, cell: ImplicitAttrs["cell"], cellArgs: Record<string, AttrValue>, stateShape: Shape): Record<string, AttrValue> {
  const attrs: ImplicitAttrs = { cell, cellArgs, ...solverAttrs(model), stateShape: [...stateShape] };
  return { ...attrs };
}

function checkHeadReads(model: CheckedModel, stateShape: Shape): void {
  const first = model.head[0];
  if (first && !sameShape(first.inputShape, stateShape)) {
    throw new LoweringError(
      IR_CODES.headStateMismatch,
      first.origin,
      `the head expects ${show(first.inputShape)} but the DEQ state z* is ${show(stateShape)}`,
      "make the cell's state match what the head reads (units/channels), or adapt the head's first layer",
    );
  }
}

function lowerExplicit(model: CheckedModel, cell: CellSpec, table: ParamTable, g: GraphBuilder, x: string): string {
  let injection = lowerLayers(g, table, model.basis, x);
  const shape = g.shapeOf(injection);
  if (!sameShape(shape, cell.injectionShape)) {
    throw new Error(`the checker's injection ${show(cell.injectionShape)} differs from the lowered ${show(shape)}`);
  }
  if (isDenseKind(cell) && shape.length > 1) {
    injection = g.add({ id: `${IMPLICIT_ID}.flatten`, op: "flatten", inputs: [injection], shape: [shapeSize(shape)], origin: cell.origin });
  }
  const params = cell.params.map((p) =>
    table.declare(`${IMPLICIT_ID}.${p.name}`, p, cell.family === "pcdeq" && p.name === "W" ? "nonnegative" : undefined),
  );
  return g.add({
    id: IMPLICIT_ID,
    op: "implicit",
    inputs: [injection],
    params,
    attrs: implicitAttrs(model, cell.family, { ...cell.args }, cell.stateShape),
    shape: cell.stateShape,
    origin: cell.origin,
  });
}

function deqOrigin(model: CheckedModel): Origin {
  return model.deq?.solver.origin ?? model.origin;
}

function lowerDerived(model: CheckedModel, table: ParamTable, g: GraphBuilder, x: string): string {
  if (model.variant === "none" || model.surrogate.length === 0) {
    const missing = model.variant === "none" ? "a lifted space (a basis with a lift, or an embedding)" : "a surrogate ϕ";
    throw new LoweringError(
      IR_CODES.derivedCellNeedsParts,
      deqOrigin(model),
      `model '${model.name}' declares no DEQ cell, and the derived cell ϕ(K·(ψ(x) + A z)) needs ${missing}`,
      model.variant === "none" ? "add `deq { cell: dense(units: …) }`, or the SIM parts to derive it from" : "add `surrogate { … }`, or declare `deq { cell: … }`",
    );
  }
  const u = lowerLiftedFeatures(g, table, model, x);
  checkLiftWidth(g, model, u);
  const uShape = g.shapeOf(u);
  const m = uShape[uShape.length - 1];
  const surrogateOut = model.surrogate[model.surrogate.length - 1].outputShape;
  const h = surrogateOut[surrogateOut.length - 1];
  if (!sameShape(surrogateOut.slice(0, -1), uShape.slice(0, -1)) || !sameShape(model.surrogate[0].inputShape, uShape)) {
    throw new LoweringError(
      IR_CODES.derivedStateMismatch,
      model.surrogate[0].origin,
      `the derived cell feeds ϕ's output ${show(surrogateOut)} back through A onto the lifted features ${show(uShape)}; ϕ must act on the last axis only`,
      "declare an explicit cell with `deq { cell: … }`, or keep ϕ to per-position layers",
    );
  }

  const [kSpec, aSpec] = derivedCellParams(m, h);
  const K = table.declare(`${IMPLICIT_ID}.${kSpec.name}`, kSpec);
  const A = table.declare(`${IMPLICIT_ID}.${aSpec.name}`, aSpec);
  const firstSurrogateParam = table.params.length;

  const body = new GraphBuilder();
  const z = body.input("z", surrogateOut);
  const uIn = body.input("u", uShape);
  const origin = model.lift?.origin ?? model.embed?.origin ?? deqOrigin(model);
  const az = body.add({ id: `${IMPLICIT_ID}.A`, op: "dense", inputs: [z], params: [A], shape: uShape, origin });
  const sum = body.add({ id: `${IMPLICIT_ID}.inject`, op: "add", inputs: [uIn, az], shape: uShape, origin });
  const kOut = body.add({ id: `${IMPLICIT_ID}.K`, op: "dense", inputs: [sum], params: [K], shape: uShape, origin });
  const phi = lowerLayers(body, table, model.surrogate, kOut);
  const bodyGraph: IRGraph = body.finish(phi);
  const surrogateParams = table.params.slice(firstSurrogateParam).map((p) => p.name);

  return g.add({
    id: IMPLICIT_ID,
    op: "implicit",
    inputs: [u],
    params: [K, A, ...surrogateParams],
    attrs: implicitAttrs(model, "derived", {}, surrogateOut),
    shape: surrogateOut,
    body: bodyGraph,
    origin: deqOrigin(model),
  });
}

export interface DeqLowering {
  graph: IRGraph;
  implicit: IRNode;
}

export function lowerDeq(model: CheckedModel, table: ParamTable): DeqLowering {
  const g = new GraphBuilder();
  const x = g.input("input", model.input);
  const cell = model.deq?.cell;
  const zStar = cell ? lowerExplicit(model, cell, table, g, x) : lowerDerived(model, table, g, x);
  checkHeadReads(model, g.shapeOf(zStar));
  const graph = g.finish(lowerLayers(g, table, model.head, zStar));
  const implicit = graph.nodes.find((n) => n.id === IMPLICIT_ID)!;
  return { graph, implicit };
}
