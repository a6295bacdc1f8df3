// onnxruntime-node's package names type declarations it does not ship: the part the tests use.
declare module "onnxruntime-node" {
  export class Tensor {
    constructor(type: "float32", data: Float32Array, dims: readonly number[]);
    readonly data: Float32Array | BigInt64Array;
    readonly dims: readonly number[];
  }
  export namespace InferenceSession {
    type OnnxValueMapType = Record<string, Tensor>;
  }
  export class InferenceSession {
    static create(model: Uint8Array | string): Promise<InferenceSession>;
    run(feeds: Record<string, Tensor>): Promise<InferenceSession.OnnxValueMapType>;
    release(): Promise<void>;
    readonly inputNames: readonly string[];
    readonly outputNames: readonly string[];
  }
}
