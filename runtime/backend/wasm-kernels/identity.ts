/**
 * Identity and same-type Cast for the wasm backend without copying. TensorFlow.js clones every
 * tensor it keeps for a gradient (through Identity), and the built-in kernels copy the data
 * each time — a full copy of every saved activation. Tensors never change in place, so the
 * output can share the input's memory (as on the cpu backend).
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { KernelArgs } from "./heap.js";

type KernelFunc = tf.KernelConfig["kernelFunc"];

function share(args: KernelArgs<"x">): tf.TensorInfo {
  const { x } = args.inputs;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export function makeIdentity(builtIn: KernelFunc) {
  return function identity(args: KernelArgs<"x">): tf.TensorInfo {
    if (args.inputs.x.dtype === "string") return builtIn(args as unknown as Parameters<KernelFunc>[0]) as tf.TensorInfo;
    return share(args);
  };
}

export function makeCast(builtIn: KernelFunc) {
  return function cast(args: KernelArgs<"x">): tf.TensorInfo {
    const { x } = args.inputs;
    if (x.dtype !== "string" && args.attrs.dtype === x.dtype) return share(args);
    return builtIn(args as unknown as Parameters<KernelFunc>[0]) as tf.TensorInfo;
  };
}
