/** Small hand-built IR modules for runtime tests. */
import type { Initializer, Shape } from "../../compiler/checked-model.js";
import type { IRModule, IRNode, IRParam, IRTask } from "../../ir/types.js";
import type { IRTrain } from "../../ir/train-section.js";

let seedCounter = 1;

export function param(
  name: string,
  shape: Shape,
  init: Initializer = { kind: "normal", mean: 0, std: 0.5 },
  kind: IRParam["kind"] = "trainable",
): IRParam {
  return { name, shape, kind, init, seed: seedCounter++ };
}

export function node(
  id: string,
  op: IRNode["op"],
  inputs: string[],
  shape: Shape,
  attrs: IRNode["attrs"] = {},
  params: string[] = [],
): IRNode {
  return { id, op, inputs, params, attrs, shape };
}

/** A module whose graph reads `input` (shape `inputShape`) and outputs the last node. */
export function moduleOf(
  inputShape: Shape,
  nodes: IRNode[],
  params: IRParam[],
  task: IRTask = { kind: "classify", classes: 2 },
  train?: IRModule["train"],
): IRModule {
  const count = (kind: IRParam["kind"]) =>
    params.filter((p) => p.kind === kind).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  return {
    version: 1,
    model: "fixture",
    target: "sim",
    variant: "single",
    input: { shape: inputShape },
    task,
    params,
    graph: { inputs: ["input"], nodes: [node("input", "input", [], inputShape), ...nodes], outputs: [nodes[nodes.length - 1].id] },
    trainableParams: count("trainable"),
    frozenParams: count("frozen"),
    ...(train ? { train } : {}),
  };
}

/** A small MLP classifier on flattened 28×28 digits: flatten → dense(hidden) → relu → dense(10). */
export function digitMlp(hidden = 32, extra: { dropout?: number; batchnorm?: boolean } = {}): IRModule {
  const params = [
    param("h.weight", [784, hidden], { kind: "torch_default", fanIn: 784 }),
    param("h.bias", [hidden], { kind: "torch_default", fanIn: 784 }),
    param("out.weight", [hidden, 10], { kind: "torch_default", fanIn: hidden }),
    param("out.bias", [10], { kind: "torch_default", fanIn: hidden }),
  ];
  const nodes = [node("flat", "flatten", ["input"], [784]), node("h", "dense", ["flat"], [hidden], {}, ["h.weight", "h.bias"])];
  let last = "h";
  if (extra.batchnorm) {
    params.push(
      param("bn.gamma", [hidden], { kind: "ones" }),
      param("bn.beta", [hidden], { kind: "zeros" }),
      param("bn.mean", [hidden], { kind: "zeros" }, "buffer"),
      param("bn.var", [hidden], { kind: "ones" }, "buffer"),
    );
    nodes.push(node("bn", "batchnorm", [last], [hidden], { epsilon: 1e-5, momentum: 0.1 }, ["bn.gamma", "bn.beta", "bn.mean", "bn.var"]));
    last = "bn";
  }
  nodes.push(node("act", "activation", [last], [hidden], { fn: "relu" }));
  last = "act";
  if (extra.dropout) {
    nodes.push(node("drop", "dropout", [last], [hidden], { rate: extra.dropout }));
    last = "drop";
  }
  nodes.push(node("out", "dense", [last], [10], {}, ["out.weight", "out.bias"]));
  return moduleOf([28, 28, 1], nodes, params, { kind: "classify", classes: 10 });
}

/** flatten → dense(784→n) → implicit z = tanh(z·K + u) (derived body) → dense(n→10). */
export function digitDeq(n = 16, solver: IRNode["attrs"] = { name: "anderson", settings: { tol: 1e-4, max_iter: 30 } }): IRModule {
  const params = [
    param("inj.weight", [784, n], { kind: "torch_default", fanIn: 784 }),
    param("deq.K", [n, n], { kind: "normal", mean: 0, std: 0.05 }),
    param("out.weight", [n, 10], { kind: "torch_default", fanIn: n }),
    param("out.bias", [10], { kind: "torch_default", fanIn: n }),
  ];
  const body = {
    inputs: ["z", "u"],
    nodes: [
      node("z", "input", [], [n]),
      node("u", "input", [], [n]),
      node("deq.Kz", "dense", ["z"], [n], {}, ["deq.K"]),
      node("deq.sum", "add", ["deq.Kz", "u"], [n]),
      node("deq.tanh", "activation", ["deq.sum"], [n], { fn: "tanh" }),
    ],
    outputs: ["deq.tanh"],
  };
  const implicit: IRNode = {
    ...node(
      "deq",
      "implicit",
      ["inj"],
      [n],
      {
        cell: "derived",
        cellArgs: {},
        solver,
        backward: { mode: "implicit", settings: {} },
        stateShape: [n],
      },
      ["deq.K"],
    ),
    body,
  };
  const m = moduleOf(
    [28, 28, 1],
    [
      node("flat", "flatten", ["input"], [784]),
      node("inj", "dense", ["flat"], [n], {}, ["inj.weight"]),
      implicit,
      node("out", "dense", ["deq"], [10], {}, ["out.weight", "out.bias"]),
    ],
    params,
    { kind: "classify", classes: 10 },
  );
  return { ...m, target: "deq", variant: undefined };
}

/**
 * A train section: MNIST, cross-entropy, Adam at `lr` with a constant schedule, batch 32, one
 * epoch, a tenth held out for validation, seed 0 — with `overrides` written over it.
 */
export function trainRecord(lr: number, overrides: Partial<IRTrain> = {}): IRTrain {
  return {
    data: "mnist",
    loss: "cross_entropy",
    optimizer: { call: "adam", args: { lr } },
    schedule: { call: "constant", args: {} },
    batch: 32,
    epochs: 1,
    validation: 0.1,
    seed: 0,
    ...overrides,
  };
}
