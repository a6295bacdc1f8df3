/**
 * Shared plumbing for kernels registered on the wasm backend: typed views of tensors on the
 * wasm heap, and calls into the backend's own kernels.
 */
import * as tf from "../../tf.js";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { HeapModule } from "../simd/module.js";

export type { BackendWasm };

export interface KernelArgs<I extends string = string> {
  inputs: Record<I, tf.TensorInfo>;
  backend: BackendWasm;
  attrs: Record<string, unknown>;
}

/**
 * A float32 view of a tensor's data on the heap. Views go stale when the heap grows, so take
 * them after every output of the kernel has been allocated.
 */
export function f32(backend: BackendWasm, info: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

export function i32(backend: BackendWasm, info: tf.TensorInfo): Int32Array {
  return backend.typedArrayFromHeap(info) as Int32Array;
}

/** A float32 output filled with zeros (fresh heap memory is not cleared). */
export function zeros(backend: BackendWasm, shape: number[]): tf.TensorInfo {
  const out = backend.makeOutput(shape, "float32");
  f32(backend, out).fill(0);
  return out;
}

/** Runs the wasm backend's kernel `name` as registered now. */
export function runWasmKernel(
  name: string,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown>,
  backend: BackendWasm,
): tf.TensorInfo {
  const config = tf.getKernel(name, "wasm");
  if (!config) throw new Error(`the wasm backend has no '${name}' kernel`);
  return config.kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend }) as tf.TensorInfo;
}

/** Frees an intermediate result of a kernel. */
export function release(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** The Emscripten module behind the backend, typed as far as simc uses it. */
export function heapModule(backend: BackendWasm): HeapModule {
  return backend.wasm as unknown as HeapModule;
}

/** The heap byte offset of a tensor's data. */
export function pointer(backend: BackendWasm, info: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (!data) throw new Error("tensor data is not on the wasm backend");
  return data.memoryOffset;
}
