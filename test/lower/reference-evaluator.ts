/**
 * A tiny evaluator of IR graphs on one example with plain number arrays, written independently
 * of the runtime so tests can compare lowered graphs against closed forms. Supports the ops the
 * vector-shaped test models use: input, dense, activation, add, rff, flatten, identity, dropout
 * (eval mode), and derived implicit nodes (by Picard iteration of the body).
 */
import { initialValues } from "../../ir/initialize.js";
import type { IRGraph, IRModule, IRNode } from "../../ir/types.js";

export type Vec = number[];
export type Params = Map<string, Float32Array>;

export function moduleParams(m: IRModule): Params {
  return new Map(m.params.map((p) => [p.name, initialValues(p)]));
}

/** x·W (+ b) for W stored [in, out] row-major. */
export function matVec(x: Vec, w: Float32Array, outDim: number, bias?: Float32Array): Vec {
  const inDim = x.length;
  const y: Vec = [];
  for (let o = 0; o < outDim; o++) {
    let sum = bias ? bias[o] : 0;
    for (let i = 0; i < inDim; i++) sum += x[i] * w[i * outDim + o];
    y.push(sum);
  }
  return y;
}

const ACTIVATIONS: Record<string, (v: number, beta?: number) => number> = {
  relu: (v) => Math.max(v, 0),
  tanh: Math.tanh,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  softsign: (v) => v / (1 + Math.abs(v)),
  relu6: (v) => Math.min(Math.max(v, 0), 6),
  softplus: (v, beta = 1) => Math.log1p(Math.exp(beta * v)) / beta,
};

function evalNode(node: IRNode, inputs: Vec[], params: Params): Vec {
  const p = node.params.map((name) => params.get(name)!);
  switch (node.op) {
    case "dense":
      return matVec(inputs[0], p[0], node.shape[node.shape.length - 1], p[1]);
    case "activation":
      return inputs[0].map((v) => ACTIVATIONS[node.attrs.fn as string](v, node.attrs.beta as number | undefined));
    case "add":
      return inputs[0].map((v, i) => inputs.reduce((s, x) => s + x[i], 0));
    case "flatten":
    case "identity":
    case "dropout":
      return inputs[0];
    case "rff": {
      const n = node.attrs.n as number;
      const scale = node.attrs.scale as number;
      if (node.attrs.features === "cossin") {
        const proj = matVec(inputs[0], p[0], n / 2);
        return [...proj.map((v) => Math.cos(v) * scale), ...proj.map((v) => Math.sin(v) * scale)];
      }
      return matVec(inputs[0], p[0], n, p[1]).map((v) => Math.cos(v) * scale);
    }
    case "implicit": {
      let z: Vec = new Array(node.shape[0]).fill(0);
      for (let step = 0; step < 500; step++) {
        const next = evalGraph(node.body!, [z, ...inputs], params);
        const change = Math.max(...next.map((v, i) => Math.abs(v - z[i])));
        z = next;
        if (change < 1e-12) break;
      }
      return z;
    }
    default:
      throw new Error(`reference evaluator: op ${node.op} not supported`);
  }
}

export function evalGraph(graph: IRGraph, inputs: Vec[], params: Params): Vec {
  const values = new Map<string, Vec>();
  graph.inputs.forEach((id, i) => values.set(id, inputs[i]));
  for (const node of graph.nodes) {
    if (node.op === "input") continue;
    values.set(node.id, evalNode(node, node.inputs.map((id) => values.get(id)!), params));
  }
  return values.get(graph.outputs[0])!;
}

export function evalModule(m: IRModule, x: Vec, params: Params = moduleParams(m)): Vec {
  return evalGraph(m.graph, [x], params);
}
