/**
 * OneHot for the wasm backend: the built-in kernel writes integer bit patterns into float32
 * outputs (1 reads as 1.4e-45). float32 outputs are written here; int32 ones keep the
 * built-in kernel.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { f32, i32, type KernelArgs } from "./heap.js";

export function makeOneHot(builtIn: tf.KernelConfig["kernelFunc"]) {
  return function oneHot(args: KernelArgs<"indices">): tf.TensorInfo {
    const { inputs, backend, attrs } = args;
    const dtype = (attrs.dtype as tf.DataType | undefined) ?? "int32";
    if (dtype !== "float32") return builtIn(args as unknown as Parameters<typeof builtIn>[0]) as tf.TensorInfo;
    const depth = attrs.depth as number;
    const onValue = (attrs.onValue as number | undefined) ?? 1;
    const offValue = (attrs.offValue as number | undefined) ?? 0;
    const out = backend.makeOutput([...inputs.indices.shape, depth], "float32");
    const values = f32(backend, out);
    const indices = i32(backend, inputs.indices);
    values.fill(offValue);
    for (let i = 0; i < indices.length; i++) {
      const k = indices[i];
      if (k >= 0 && k < depth) values[i * depth + k] = onValue;
    }
    return out;
  };
}
