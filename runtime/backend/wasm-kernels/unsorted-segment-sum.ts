/**
 * UnsortedSegmentSum, which the wasm backend lacks (it is the gradient of `tf.gather`):
 * out[s, …] = Σ x[i, …] over the rows i whose segment id is s; ids outside [0, n) are dropped.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { f32, i32, zeros, type KernelArgs } from "./heap.js";

export function unsortedSegmentSum(args: KernelArgs<"x" | "segmentIds">): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, segmentIds } = inputs;
  if (x.dtype !== "float32") throw new Error(`UnsortedSegmentSum on wasm supports float32 only, got ${x.dtype}`);
  const numSegments = attrs.numSegments as number;
  const idsSize = segmentIds.shape.reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(segmentIds.shape.length).reduce((a, b) => a * b, 1);
  const out = zeros(backend, [numSegments, ...x.shape.slice(segmentIds.shape.length)]);
  const values = f32(backend, x);
  const ids = i32(backend, segmentIds);
  const sums = f32(backend, out);
  for (let i = 0; i < idsSize; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let k = 0; k < inner; k++) sums[to + k] += values[from + k];
  }
  return out;
}
