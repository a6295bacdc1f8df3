/**
 * AddN on the webgpu backend in chunks. TensorFlow.js binds every input as a storage buffer of
 * one shader, so summing more tensors than the adapter allows per shader stage (8 on Mesa's
 * software adapter at the compatibility level; the gradient norm sums one tensor per parameter)
 * makes an invalid pipeline and a silently wrong result. Chunks of at most the limit less one
 * (the output) are summed first, then their partial sums.
 */
import * as tf from "../tf.js";

interface WebgpuBackendLike {
  device: { limits: { maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: object): void;
}

export function installChunkedAddN(): void {
  const original = tf.getKernel(tf.AddN, "webgpu");
  if (!original) return;
  const kernelFunc = original.kernelFunc;
  const chunked: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const limit = (backend as unknown as WebgpuBackendLike).device.limits.maxStorageBuffersPerShaderStage - 1;
    const add = (tensors: tf.TensorInfo[]) => kernelFunc({ inputs: tensors as unknown as tf.NamedTensorInfoMap, backend, attrs }) as tf.TensorInfo;
    let terms = Object.values(inputs) as tf.TensorInfo[];
    if (limit < 2 || terms.length <= limit) return add(terms);
    const made: tf.TensorInfo[] = [];
    while (terms.length > limit) {
      const partial: tf.TensorInfo[] = [];
      for (let i = 0; i < terms.length; i += limit) {
        const chunk = terms.slice(i, i + limit);
        if (chunk.length === 1) {
          partial.push(chunk[0]);
          continue;
        }
        const sum = add(chunk);
        made.push(sum);
        partial.push(sum);
      }
      terms = partial;
    }
    const result = add(terms);
    for (const t of made) (backend as unknown as WebgpuBackendLike).disposeData(t.dataId);
    return result;
  };
  tf.unregisterKernel(tf.AddN, "webgpu");
  tf.registerKernel({ ...original, kernelFunc: chunked });
}
