/**
 * Runs an IR module on TensorFlow.js. Parameters become `tf.Variable`s initialised with
 * `initialValues` (the IR's own seeded initialisers, identical on every backend); trainable
 * ones are the only variables the optimiser sees. Each graph's execution order and the last
 * consumer of every value are computed once and cached; in evaluation, intermediates are
 * disposed as soon as their last consumer has run. Callers wrap training steps in `tf.tidy`.
 */
import * as tf from "./tf.js";
import { initialValues } from "../ir/initialize.js";
import type { IRGraph, IRModule, IRNode, IRParam } from "../ir/types.js";
import { evaluateNode, type KernelContext, type NodeHints } from "./kernels.js";
import { ImplicitSession } from "./deq/session.js";
import { runImplicitNode, type ImplicitReport } from "./implicit-node.js";
import { mixSeed } from "./rng.js";

export type { ImplicitReport } from "./implicit-node.js";

export interface ExecutorOptions {
  /** Seeds dropout masks (together with the step number). Default 0. */
  seed?: number;
}

export interface ForwardOptions {
  /** Training mode: batch statistics, dropout, training solver caps. */
  training: boolean;
  /** Optimiser step number: makes dropout masks a function of (seed, step). */
  step?: number;
  /** Update batch norm running statistics (default: `training`). */
  updateStatistics?: boolean;
}

export interface ForwardResult {
  output: tf.Tensor;
  /** Sum of the regularisers implicit cells ask for (Jacobian, Lipschitz), when any. */
  regularizer?: tf.Scalar;
  /** Solver statistics of every implicit node evaluated, in execution order. */
  implicit: ImplicitReport[];
}

export interface NamedVariable {
  name: string;
  param: IRParam;
  variable: tf.Variable;
}

export interface Executor {
  readonly module: IRModule;
  /** Every parameter (trainable, frozen, buffer), in the IR's order. */
  readonly parameters: readonly NamedVariable[];
  /** Trainable parameters only, in the IR's order. */
  readonly trainable: readonly NamedVariable[];
  variable(name: string): tf.Variable;
  forward(x: tf.Tensor, options: ForwardOptions): ForwardResult;
  dispose(): void;
}

interface GraphPlan {
  order: IRNode[];
  /** Index in `order` of the last node that reads each value. */
  lastUse: Map<string, number>;
  /** Fusion and gradient hints per node id. */
  hints: Map<string, NodeHints>;
}

/** batchnorm → relu pairs (the relu its only reader) fuse; nodes reading a graph input are marked. */
function planHints(graph: IRGraph): Map<string, NodeHints> {
  const readers = new Map<string, IRNode[]>();
  for (const node of graph.nodes) for (const input of node.inputs) readers.set(input, [...(readers.get(input) ?? []), node]);
  const hints = new Map<string, NodeHints>();
  const hint = (id: string) => hints.get(id) ?? (hints.set(id, {}), hints.get(id) as NodeHints);
  const graphInputs = new Set(graph.inputs);
  for (const node of graph.nodes) {
    if (node.inputs.some((id) => graphInputs.has(id))) hint(node.id).readsGraphInput = true;
    const next = readers.get(node.id) ?? [];
    const onlyReader = next.length === 1 ? next[0] : undefined;
    if (node.op === "batchnorm" && onlyReader?.op === "activation" && onlyReader.attrs.fn === "relu" && !graph.outputs.includes(node.id)) {
      hint(node.id).fuseRelu = true;
      hint(onlyReader.id).absorbed = true;
    }
  }
  return hints;
}

/** Orders a graph's nodes so that every node comes after the nodes it reads. */
export function planGraph(graph: IRGraph): GraphPlan {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const order: IRNode[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (node: IRNode, from: string) => {
    const seen = state.get(node.id);
    if (seen === "done") return;
    if (seen === "visiting") throw new Error(`IR graph has a cycle through node '${node.id}' (reached from '${from}')`);
    state.set(node.id, "visiting");
    for (const input of node.inputs) {
      const producer = byId.get(input);
      if (!producer) throw new Error(`IR node '${node.id}' reads '${input}', which no node produces`);
      visit(producer, node.id);
    }
    state.set(node.id, "done");
    order.push(node);
  };
  for (const node of graph.nodes) visit(node, node.id);
  const lastUse = new Map<string, number>();
  order.forEach((node, index) => node.inputs.forEach((input) => lastUse.set(input, index)));
  return { order, lastUse, hints: planHints(graph) };
}

export function createExecutor(module: IRModule, options: ExecutorOptions = {}): Executor {
  const seed = options.seed ?? 0;
  const parameters: NamedVariable[] = module.params.map((param) => ({
    name: param.name,
    param,
    variable: tf.variable(tf.tensor(initialValues(param), param.shape, "float32"), param.kind === "trainable"),
  }));
  const byName = new Map(parameters.map((p) => [p.name, p.variable]));
  const plans = new WeakMap<IRGraph, GraphPlan>();
  const planOf = (graph: IRGraph) => {
    let plan = plans.get(graph);
    if (!plan) {
      plan = planGraph(graph);
      plans.set(graph, plan);
    }
    return plan;
  };
  const nodeIndex = new Map<string, number>();
  const indexNodes = (graph: IRGraph) =>
    graph.nodes.forEach((node) => {
      if (!nodeIndex.has(node.id)) nodeIndex.set(node.id, nodeIndex.size);
      if (node.body) indexNodes(node.body);
    });
  indexNodes(module.graph);

  const variable = (name: string): tf.Variable => {
    const found = byName.get(name);
    if (!found) throw new Error(`IR references parameter '${name}', which the module does not declare`);
    return found;
  };

  /** Evaluates a graph given its inputs; returns its first output (owned by the caller). */
  function evaluateGraph(graph: IRGraph, inputs: Map<string, tf.Tensor>, run: RunState): tf.Tensor {
    const plan = planOf(graph);
    const values = new Map<string, tf.Tensor>();
    const outputs = new Set(graph.outputs);
    plan.order.forEach((node, index) => {
      let value: tf.Tensor;
      if (node.op === "input") {
        const given = inputs.get(node.id);
        if (!given) throw new Error(`graph input '${node.id}' was not given`);
        value = given;
      } else {
        const args = node.inputs.map((id) => values.get(id) as tf.Tensor);
        value = node.op === "implicit" ? implicit(graph, node, args, run) : evaluateNode(node, args, run.kernel, plan.hints.get(node.id));
      }
      values.set(node.id, value);
      // Without a gradient tape nothing else holds intermediates: free them early.
      if (!run.kernel.training) {
        for (const id of new Set(node.inputs)) {
          const v = values.get(id);
          if (plan.lastUse.get(id) === index && v && !outputs.has(id) && !inputs.has(id)) v.dispose();
        }
      }
    });
    return values.get(graph.outputs[0]) as tf.Tensor;
  }

  /**
   * The head's first dense weight as a map of z* (ℓ∞ cells bound their Lipschitz constant with
   * it), followed through what the head does before it: a batch norm scales each feature by
   * γ/√(running variance + ε) (folded into the weight's rows), and dropout, identity, flatten and
   * the activations (all at most 1-Lipschitz) leave the bound as it is. Undefined when the head
   * starts otherwise.
   */
  const readoutOf = (graph: IRGraph, node: IRNode): tf.Tensor | undefined => {
    let current = node.id;
    let scale: tf.Tensor | undefined;
    for (;;) {
      const reader = graph.nodes.find((n) => n.inputs.includes(current));
      if (!reader) return undefined;
      if (reader.op === "dense") {
        const weight = variable(reader.params[0]);
        return scale ? weight.mul(scale.reshape([-1, 1])) : weight;
      }
      if (reader.op === "batchnorm") {
        const epsilon = typeof reader.attrs.epsilon === "number" ? reader.attrs.epsilon : 1e-5;
        const s = variable(reader.params[0]).div(variable(reader.params[3]).add(epsilon).sqrt());
        scale = scale ? scale.mul(s) : s;
      } else if (!["dropout", "identity", "flatten", "activation"].includes(reader.op)) {
        return undefined;
      }
      current = reader.id;
    }
  };

  /** Each implicit node's settings, cell and caches, kept for this executor's lifetime. */
  const sessions = new Map<IRNode, ImplicitSession>();
  const sessionOf = (node: IRNode) => {
    let session = sessions.get(node);
    if (!session) sessions.set(node, (session = new ImplicitSession()));
    return session;
  };

  function implicit(graph: IRGraph, node: IRNode, args: tf.Tensor[], run: RunState): tf.Tensor {
    const body = node.body;
    const result = runImplicitNode(
      node,
      args,
      variable,
      run.kernel.training,
      body
        ? (z, bodyInputs) => {
            const inputs = new Map<string, tf.Tensor>();
            body.inputs.forEach((id, i) => inputs.set(id, i === 0 ? z : bodyInputs[i - 1]));
            return evaluateGraph(body, inputs, run);
          }
        : undefined,
      readoutOf(graph, node),
      sessionOf(node),
    );
    run.reports.push(result.report);
    if (result.regularizer) run.regularizers.push(result.regularizer);
    return result.output;
  }

  return {
    module,
    parameters,
    trainable: parameters.filter((p) => p.param.kind === "trainable"),
    variable,
    forward(x, forwardOptions) {
      const step = forwardOptions.step ?? 0;
      const run: RunState = {
        kernel: {
          training: forwardOptions.training,
          updateStatistics: forwardOptions.updateStatistics ?? forwardOptions.training,
          param: variable,
          dropoutSeed: (node) => mixSeed(seed, step, nodeIndex.get(node.id) ?? 0),
        },
        reports: [],
        regularizers: [],
      };
      const inputs = new Map([[module.graph.inputs[0], x]]);
      const output = evaluateGraph(module.graph, inputs, run);
      const regularizer = run.regularizers.length === 0 ? undefined : (tf.addN(run.regularizers) as tf.Scalar);
      return { output, regularizer, implicit: run.reports };
    },
    dispose() {
      for (const p of parameters) p.variable.dispose();
      // Monotone cells keep their resolvent between calls; these parameters are gone.
      for (const session of sessions.values()) session.dispose();
      sessions.clear();
    },
  };
}

interface RunState {
  kernel: KernelContext;
  reports: ImplicitReport[];
  regularizers: tf.Scalar[];
}
