/**
 * An ONNX graph held in memory before it is encoded: nodes with typed attributes, tensors
 * (initialisers) and the graph's typed inputs and outputs. Names are unique across a model and
 * all its sub-graphs (ONNX forbids shadowing an outer name inside a `Loop` body), so nested
 * builders share one name pool. Initialisers always live in the top-level graph; sub-graphs read
 * them from the outer scope.
 */

export type ElementType = "float" | "int64" | "bool";

export interface TensorData {
  name: string;
  type: ElementType;
  dims: number[];
  /** float: Float32Array; int64: bigint values; bool: 0/1. */
  values: Float32Array | bigint[] | number[];
}

export type Attribute =
  | { kind: "int"; value: number }
  | { kind: "ints"; value: number[] }
  | { kind: "float"; value: number }
  | { kind: "string"; value: string }
  | { kind: "tensor"; value: TensorData }
  | { kind: "graph"; value: GraphBuilder };

export const attr = {
  int: (value: number): Attribute => ({ kind: "int", value }),
  ints: (value: number[]): Attribute => ({ kind: "ints", value }),
  float: (value: number): Attribute => ({ kind: "float", value }),
  string: (value: string): Attribute => ({ kind: "string", value }),
  tensor: (value: TensorData): Attribute => ({ kind: "tensor", value }),
  graph: (value: GraphBuilder): Attribute => ({ kind: "graph", value }),
};

export interface NodeData {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, Attribute>;
}

/** A graph input or output: element type and dimensions (a string names a symbolic dimension). */
export interface ValueInfo {
  name: string;
  type: ElementType;
  dims?: (number | string)[];
}

export class GraphBuilder {
  readonly nodes: NodeData[] = [];
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  /** Only the top-level graph's list is encoded (sub-graphs add theirs to the root). */
  readonly initializers: TensorData[] = [];
  private readonly root: GraphBuilder;

  constructor(
    readonly name: string,
    private readonly names: Set<string> = new Set(),
    root?: GraphBuilder,
  ) {
    this.root = root ?? this;
  }

  /** A builder for a sub-graph (a `Loop` body) sharing this model's names and initialisers. */
  subgraph(name: string): GraphBuilder {
    return new GraphBuilder(name, this.names, this.root);
  }

  /** A name no other value of the model has, derived from `hint`. */
  fresh(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_.:/-]/g, "_") || "v";
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Claims an exact name (graph inputs and outputs); fails if it is taken. */
  claim(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX value name '${name}' is already used`);
    this.names.add(name);
    return name;
  }

  input(info: ValueInfo): string {
    this.inputs.push(info);
    return info.name;
  }

  output(info: ValueInfo): void {
    this.outputs.push(info);
  }

  /** Adds a node and returns its output names (fresh ones unless given). */
  node(op: string, inputs: string[], attrs: Record<string, Attribute> = {}, outputs: number | string[] = 1): string[] {
    const names = typeof outputs === "number" ? Array.from({ length: outputs }, () => this.fresh(op.toLowerCase())) : outputs;
    this.nodes.push({ op, name: this.fresh(`${op}_node`), inputs, outputs: names, attrs });
    return names;
  }

  /** A one-output node. */
  op(op: string, inputs: string[], attrs: Record<string, Attribute> = {}): string {
    return this.node(op, inputs, attrs, 1)[0];
  }

  /** A float tensor stored as a top-level initialiser. */
  floats(hint: string, dims: number[], values: Float32Array | number[]): string {
    const name = this.fresh(hint);
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    if (data.length !== dims.reduce((a, b) => a * b, 1)) {
      throw new Error(`initialiser '${name}': ${data.length} values for dims [${dims.join(", ")}]`);
    }
    this.root.initializers.push({ name, type: "float", dims, values: data });
    return name;
  }

  /** An int64 tensor (shapes, axes, trip counts) stored as a top-level initialiser. */
  int64s(hint: string, values: number[], dims: number[] = [values.length]): string {
    const name = this.fresh(hint);
    this.root.initializers.push({ name, type: "int64", dims, values: values.map((v) => BigInt(v)) });
    return name;
  }

  /** A float scalar constant. */
  scalar(hint: string, value: number): string {
    return this.floats(hint, [], [value]);
  }

  /** A bool scalar constant. */
  bool(hint: string, value: boolean): string {
    const name = this.fresh(hint);
    this.root.initializers.push({ name, type: "bool", dims: [], values: [value ? 1 : 0] });
    return name;
  }
}
