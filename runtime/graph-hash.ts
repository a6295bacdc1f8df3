/**
 * The identity of a compiled model for checkpoints: a SHA-256 of what decides the function it
 * computes — the graph (ops, attributes, shapes, wiring), the parameters' names, shapes, kinds
 * and constraints, the input and the task, and the model's name. Source positions, training
 * defaults and initialiser seeds are left out: moving a line or changing the seed does not
 * change the model a checkpoint belongs to.
 */
import { createHash } from "node:crypto";
import type { IRGraph, IRModule } from "../ir/types.js";

function graphShape(graph: IRGraph): unknown {
  return {
    inputs: graph.inputs,
    outputs: graph.outputs,
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      op: n.op,
      inputs: n.inputs,
      params: n.params,
      attrs: n.attrs,
      shape: n.shape,
      body: n.body ? graphShape(n.body) : null,
    })),
  };
}

/** JSON with object keys sorted, so the hash does not depend on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function graphHash(module: IRModule): string {
  const identity = {
    model: module.model,
    target: module.target,
    variant: module.variant ?? null,
    input: module.input,
    task: module.task,
    params: module.params.map((p) => ({ name: p.name, shape: p.shape, kind: p.kind, constraint: p.constraint ?? null })),
    graph: graphShape(module.graph),
  };
  return createHash("sha256").update(canonical(identity)).digest("hex");
}
