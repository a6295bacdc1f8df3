/**
 * Mutable helpers that lowering uses to assemble a module: one `ParamTable` for the module's
 * parameters (each gets its derived seed here) and one `GraphBuilder` per graph (the top-level
 * graph, and the body of a derived implicit node).
 */
import type { Origin, ParamSpec, Shape } from "../checked-model.js";
import { parameterSeed } from "../../ir/seed.js";
import type { AttrValue, IRGraph, IRNode, IRParam, IRSourceRef } from "../../ir/types.js";

export class ParamTable {
  readonly params: IRParam[] = [];
  private readonly names = new Set<string>();

  constructor(readonly modelSeed: number) {}

  /** Declares `spec` under its global name; returns the name. */
  declare(name: string, spec: Omit<ParamSpec, "name">, constraint?: IRParam["constraint"]): string {
    if (this.names.has(name)) throw new Error(`parameter ${name} declared twice`);
    this.names.add(name);
    this.params.push({
      name,
      shape: [...spec.shape],
      kind: spec.kind,
      init: { ...spec.init },
      seed: parameterSeed(this.modelSeed, name),
      ...(constraint ? { constraint } : {}),
    });
    return name;
  }
}

export interface NodeSpec {
  id: string;
  op: IRNode["op"];
  inputs: string[];
  params?: string[];
  attrs?: Record<string, AttrValue>;
  shape: Shape;
  body?: IRGraph;
  origin?: Origin;
}

export function sourceRef(origin: Origin): IRSourceRef {
  return { file: origin.file, line: origin.line, column: origin.column };
}

export class GraphBuilder {
  private readonly nodes: IRNode[] = [];
  private readonly inputs: string[] = [];
  private readonly shapes = new Map<string, Shape>();

  /** Declares a graph input and its `input` node. */
  input(id: string, shape: Shape): string {
    this.inputs.push(id);
    return this.add({ id, op: "input", inputs: [], shape });
  }

  add(spec: NodeSpec): string {
    if (this.shapes.has(spec.id)) throw new Error(`node ${spec.id} added twice`);
    const node: IRNode = {
      id: spec.id,
      op: spec.op,
      inputs: spec.inputs,
      params: spec.params ?? [],
      attrs: spec.attrs ?? {},
      shape: [...spec.shape],
      ...(spec.body ? { body: spec.body } : {}),
      ...(spec.origin ? { loc: sourceRef(spec.origin) } : {}),
    };
    this.nodes.push(node);
    this.shapes.set(spec.id, node.shape);
    return spec.id;
  }

  shapeOf(id: string): Shape {
    const shape = this.shapes.get(id);
    if (!shape) throw new Error(`node ${id} is not in this graph`);
    return shape;
  }

  finish(output: string): IRGraph {
    return { inputs: [...this.inputs], nodes: [...this.nodes], outputs: [output] };
  }
}
