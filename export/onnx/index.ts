/** The ONNX writer: a module and its weights in, a serialised ModelProto out. */
export { onnxModel, type OnnxExportOptions } from "./model.js";
export { ONNX_OPSET, ONNX_IR_VERSION } from "./encode.js";
