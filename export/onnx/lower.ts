/**
 * An IR graph as ONNX nodes, in the IR's execution order. Dropout and identity become plain
 * references (inference), batch norm folds into the layer before it where it can
 * (export/inference-weights.ts), and `implicit` nodes become a `Loop` (./deq-loop.ts).
 */
import type { Shape } from "../../core/values.js";
import type { IRGraph, IRNode } from "../../ir/types.js";
import { stringAttr } from "../../runtime/attrs.js";
import type { CellForm } from "../cell-form.js";
import { batchNormAffine, layerWeights, planBatchNormFolding, weightOf, type Weights } from "../inference-weights.js";
import { implicitLoop } from "./deq-loop.js";
import { attr, type GraphBuilder } from "./graph.js";
import { activation, channelAffine, conv1d, conv2d, dense, pool, rff } from "./layers.js";

export interface LowerContext {
  weights: Weights;
  /** The structured form of an explicit cell (the runtime builds it from the weights). */
  cellForm(node: IRNode, injectionShape: Shape): CellForm;
  /** Receives each implicit node's iteration count (an int64 scalar value). */
  onSteps(node: IRNode, steps: string): void;
}

export interface LoweredValue {
  name: string;
  /** Shape without the batch dimension. */
  shape: Shape;
}

/**
 * Emits `graph`'s nodes into `g`; `inputs` maps each graph input id to its ONNX value.
 * Returns every node's value by IR id.
 */
export function lowerGraph(g: GraphBuilder, graph: IRGraph, inputs: Map<string, LoweredValue>, ctx: LowerContext): Map<string, LoweredValue> {
  const fold = planBatchNormFolding(graph, ctx.weights);
  const values = new Map<string, LoweredValue>(inputs);
  for (const node of graph.nodes) {
    if (node.op === "input") {
      if (!values.has(node.id)) throw new Error(`graph input '${node.id}' was not given`);
      continue;
    }
    const args = node.inputs.map((id) => {
      const value = values.get(id);
      if (!value) throw new Error(`IR node '${node.id}' reads '${id}' before it is computed`);
      return value;
    });
    const replaced = fold.replaced.get(node.id);
    const name = replaced ? (values.get(replaced) as LoweredValue).name : lowerNode(g, node, args, ctx, fold.layers.get(node.id));
    values.set(node.id, { name, shape: node.shape });
  }
  return values;
}

function lowerNode(g: GraphBuilder, node: IRNode, args: LoweredValue[], ctx: LowerContext, folded: ReturnType<typeof layerWeights> | undefined): string {
  const x = args[0]?.name;
  const layer = () => folded ?? layerWeights(node, ctx.weights);
  switch (node.op) {
    case "dense":
      return dense(g, x, layer(), node.id);
    case "conv2d":
      return conv2d(g, node, x, args[0].shape, layer());
    case "conv1d":
      return conv1d(g, node, x, args[0].shape, layer());
    case "batchnorm":
      return channelAffine(g, x, batchNormAffine(node, ctx.weights), node.id);
    case "activation":
      return activation(g, stringAttr(node, "fn"), x, typeof node.attrs.beta === "number" ? node.attrs.beta : 1);
    case "pool":
      return pool(g, node, x, args[0].shape);
    case "flatten":
      return g.op("Flatten", [x], { axis: attr.int(1) });
    case "dropout":
    case "identity":
      return x;
    case "add":
      return args.length === 1 ? x : g.op("Sum", args.map((a) => a.name));
    case "rff": {
      const cosbias = stringAttr(node, "features", "cossin") === "cosbias";
      return rff(g, node, x, weightOf(ctx.weights, node.params[0]), cosbias ? weightOf(ctx.weights, node.params[1]) : undefined);
    }
    case "implicit": {
      const { z, steps } = implicitLoop(g, node, args, ctx);
      ctx.onSteps(node, steps);
      return z;
    }
    default:
      throw new Error(`IR op '${node.op}' has no ONNX lowering`);
  }
}
