/**
 * The few WebAssembly JS API members simc uses, typed here because the project compiles
 * without the DOM library (Node's types do not declare them).
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

export interface WasmModuleObject {
  readonly __wasmModule?: never;
}

interface WasmInstanceObject {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModuleObject;
  Instance: new (module: WasmModuleObject, imports: Record<string, Record<string, unknown>>) => WasmInstanceObject;
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
