/**
 * The executor's side of an `implicit` node: gathers the node's parameters under their local
 * names, hands the solve to the DEQ runtime, and condenses the solver's statistics into the
 * few numbers training reports per epoch.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { ImplicitAttrs, IRGraph, IRNode } from "../ir/types.js";
import { runImplicit, type ImplicitRequest } from "./deq/implicit.js";
import type { ImplicitSession } from "./deq/session.js";
import type { SolverStats } from "./deq/types.js";

export interface ImplicitReport {
  node: string;
  /** Solver iterations (evaluations of f) in this call. */
  steps: number;
  samples: number;
  /** Samples whose residual did not reach the tolerance. */
  notConverged: number;
  /** Largest relative residual over the batch at the returned state. */
  maxRelResidual: number;
  fellBack?: string;
}

export type BodyFunction = (z: tf.Tensor, inputs: tf.Tensor[]) => tf.Tensor;

export function summarizeStats(node: string, stats: SolverStats): ImplicitReport {
  const notConverged = stats.converged.filter((c) => !c).length;
  const maxRelResidual = stats.relResidual.reduce((a, b) => Math.max(a, b), 0);
  const report: ImplicitReport = { node, steps: stats.steps, samples: stats.converged.length, notConverged, maxRelResidual };
  if (stats.fellBack) report.fellBack = stats.fellBack;
  return report;
}

/** Every parameter a graph's nodes read, nested bodies included. */
function bodyParams(graph: IRGraph | undefined, into: Set<string>): Set<string> {
  for (const node of graph?.nodes ?? []) {
    node.params.forEach((name) => into.add(name));
    bodyParams(node.body, into);
  }
  return into;
}

/**
 * The node's parameters under local names (`<nodeId>.W` → `W`; other names kept whole). A
 * derived cell's body may read parameters of ψ/ϕ: they are all passed, so all get gradients.
 */
export function localParams(node: IRNode, variable: (name: string) => tf.Variable): Record<string, tf.Variable> {
  const prefix = `${node.id}.`;
  const params: Record<string, tf.Variable> = {};
  for (const name of bodyParams(node.body, new Set(node.params))) {
    params[name.startsWith(prefix) ? name.slice(prefix.length) : name] = variable(name);
  }
  return params;
}

export function runImplicitNode(
  node: IRNode,
  inputs: tf.Tensor[],
  variable: (name: string) => tf.Variable,
  training: boolean,
  body: BodyFunction | undefined,
  readout?: tf.Tensor,
  session?: ImplicitSession,
): { output: tf.Tensor; regularizer?: tf.Scalar; report: ImplicitReport } {
  const attrs = node.attrs as unknown as ImplicitAttrs;
  const label = node.loc ? `${node.id} (${node.loc.file}:${node.loc.line}:${node.loc.column})` : node.id;
  const request: ImplicitRequest = { label, attrs, inputs, params: localParams(node, variable), body, training };
  if (readout) request.readout = readout;
  if (node.loc) request.loc = node.loc;
  if (session) request.session = session;
  const result = runImplicit(request);
  return { output: result.output, regularizer: result.regularizer, report: summarizeStats(node.id, result.stats) };
}
