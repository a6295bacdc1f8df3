/**
 * Encodes an in-memory graph as an ONNX `ModelProto` with `onnx-proto` (the ONNX protobuf
 * definitions compiled for protobufjs). Tensors are stored as little-endian `raw_data`.
 */
import onnxProto from "onnx-proto";
import type { Attribute, ElementType, GraphBuilder, TensorData, ValueInfo } from "./graph.js";

const { onnx } = onnxProto;

/** The operator set the exported graphs use (the default ONNX domain). */
export const ONNX_OPSET = 17;
/** IR version 8: the one that goes with opset 17 (ONNX 1.12–1.13). */
export const ONNX_IR_VERSION = 8;

const DATA_TYPES: Record<ElementType, number> = {
  float: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

function rawData(tensor: TensorData): Uint8Array {
  if (tensor.values instanceof Float32Array) {
    const bytes = new Uint8Array(tensor.values.length * 4);
    const view = new DataView(bytes.buffer);
    tensor.values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return bytes;
  }
  if (tensor.type === "int64") {
    const values = tensor.values as bigint[];
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, v, true));
    return bytes;
  }
  return Uint8Array.from(tensor.values as number[]);
}

function tensorProto(tensor: TensorData): onnxProto.onnx.ITensorProto {
  return { name: tensor.name, dataType: DATA_TYPES[tensor.type], dims: tensor.dims, rawData: rawData(tensor) };
}

function valueInfo(info: ValueInfo): onnxProto.onnx.IValueInfoProto {
  const tensorType: onnxProto.onnx.TypeProto.ITensor = { elemType: DATA_TYPES[info.type] };
  if (info.dims) {
    tensorType.shape = { dim: info.dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) };
  }
  return { name: info.name, type: { tensorType } };
}

function attribute(name: string, a: Attribute): onnxProto.onnx.IAttributeProto {
  const types = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case "int":
      return { name, type: types.INT, i: a.value };
    case "ints":
      return { name, type: types.INTS, ints: a.value };
    case "float":
      return { name, type: types.FLOAT, f: a.value };
    case "string":
      return { name, type: types.STRING, s: new TextEncoder().encode(a.value) };
    case "tensor":
      return { name, type: types.TENSOR, t: tensorProto(a.value) };
    case "graph":
      return { name, type: types.GRAPH, g: graphProto(a.value) };
  }
}

function graphProto(graph: GraphBuilder): onnxProto.onnx.IGraphProto {
  return {
    name: graph.name,
    node: graph.nodes.map((n) => ({
      name: n.name,
      opType: n.op,
      domain: "",
      input: n.inputs,
      output: n.outputs,
      attribute: Object.entries(n.attrs).map(([key, value]) => attribute(key, value)),
    })),
    initializer: graph.initializers.map(tensorProto),
    input: graph.inputs.map(valueInfo),
    output: graph.outputs.map(valueInfo),
  };
}

export interface ModelInfo {
  producerVersion: string;
  docString: string;
  /** Stored as the model's `metadata_props`. */
  metadata: Record<string, string>;
}

/** The serialised ModelProto. */
export function encodeModel(graph: GraphBuilder, info: ModelInfo): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    producerName: "simc",
    producerVersion: info.producerVersion,
    docString: info.docString,
    graph: graphProto(graph),
    metadataProps: Object.entries(info.metadata).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}
