/**
 * A TensorFlow GraphDef in the JSON form TensorFlow.js's `loadGraphModel` reads (`model.json`,
 * format `graph-model`): nodes with TensorFlow op names and attributes, constants whose values
 * travel in the weight shard (named by the constant's node name), strings base64-encoded.
 */

export interface TfAttrValue {
  type?: string;
  s?: string;
  i?: string;
  f?: number;
  b?: boolean;
  list?: { i?: string[] };
  shape?: { dim: { size: string }[] };
  tensor?: { dtype: string; tensorShape: { dim?: { size: string }[] } };
}

export interface TfNode {
  name: string;
  op: string;
  input: string[];
  attr: Record<string, TfAttrValue>;
}

export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: "float32" | "int32";
  values: Float32Array | Int32Array;
}

const DTYPES = { float32: "DT_FLOAT", int32: "DT_INT32" } as const;

export const tfAttr = {
  string: (value: string): TfAttrValue => ({ s: Buffer.from(value, "utf8").toString("base64") }),
  ints: (values: number[]): TfAttrValue => ({ list: { i: values.map(String) } }),
  int: (value: number): TfAttrValue => ({ i: String(value) }),
  float: (value: number): TfAttrValue => ({ f: value }),
  type: (dtype: "float32" | "int32"): TfAttrValue => ({ type: DTYPES[dtype] }),
};

export class GraphDefBuilder {
  readonly nodes: TfNode[] = [];
  readonly weights: WeightEntry[] = [];
  private readonly names = new Set<string>();

  fresh(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_./-]/g, "_") || "node";
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** A float op `op(inputs)` (the `T` attribute set to float32). */
  op(op: string, inputs: string[], attr: Record<string, TfAttrValue> = {}, hint = op): string {
    const name = this.fresh(hint);
    this.nodes.push({ name, op, input: inputs, attr: { T: tfAttr.type("float32"), ...attr } });
    return name;
  }

  placeholder(name: string, dims: number[]): string {
    this.names.add(name);
    this.nodes.push({
      name,
      op: "Placeholder",
      input: [],
      attr: { dtype: tfAttr.type("float32"), shape: { shape: { dim: dims.map((d) => ({ size: String(d) })) } } },
    });
    return name;
  }

  /** A constant whose values are stored in the weight shard. */
  constant(hint: string, shape: number[], values: Float32Array | Int32Array): string {
    const name = this.fresh(hint);
    const dtype = values instanceof Int32Array ? "int32" : "float32";
    this.weights.push({ name, shape, dtype, values });
    this.nodes.push({
      name,
      op: "Const",
      input: [],
      attr: {
        value: { tensor: { dtype: DTYPES[dtype], tensorShape: { dim: shape.map((d) => ({ size: String(d) })) } } },
        dtype: tfAttr.type(dtype),
      },
    });
    return name;
  }

  floats(hint: string, shape: number[], values: Float32Array | number[]): string {
    return this.constant(hint, shape, values instanceof Float32Array ? values : Float32Array.from(values));
  }

  int32s(hint: string, values: number[]): string {
    return this.constant(hint, [values.length], Int32Array.from(values));
  }

  scalar(hint: string, value: number): string {
    return this.constant(hint, [], Float32Array.from([value]));
  }
}
