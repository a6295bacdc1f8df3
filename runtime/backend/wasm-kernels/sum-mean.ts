/**
 * Sum and Mean over every axis but the last (bias gradients, batch-norm statistics) for the
 * wasm backend. The built-in kernels first transpose the reduced axes to the end, a full copy
 * that costs more than the sum; here the columns are summed in place with the SIMD kernels.
 * Other reductions keep the built-in kernels.
 */
import * as tf from "../../tf.js";
import { columnSums } from "../simd/column-sums.js";
import { simdKernels } from "../simd/module.js";
import { f32, heapModule, pointer, type KernelArgs } from "./heap.js";

type KernelFunc = tf.KernelConfig["kernelFunc"];

/** The reduced axes when they are exactly the leading ones, else undefined. */
function leadingAxes(shape: number[], axis: unknown): number[] | undefined {
  const axes = tf.util.parseAxisParam(axis as number | number[], shape).sort((a, b) => a - b);
  if (shape.length < 2 || axes.length !== shape.length - 1) return undefined;
  return axes.every((a, i) => a === i) ? axes : undefined;
}

function makeColumnReduction(builtIn: KernelFunc, mean: boolean) {
  return function columnReduction(args: KernelArgs<"x">): tf.TensorInfo {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    const axes = leadingAxes(x.shape, attrs.axis);
    const cols = x.shape[x.shape.length - 1];
    const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const kernels = simdKernels(heapModule(backend));
    if (!axes || x.dtype !== "float32" || cols % 4 !== 0 || rows === 0 || !kernels) {
      return builtIn(args as unknown as Parameters<KernelFunc>[0]) as tf.TensorInfo;
    }
    const totals = columnSums(heapModule(backend), pointer(backend, x), rows, cols);
    const shape = attrs.keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols];
    const out = backend.makeOutput(shape, "float32");
    const values = f32(backend, out);
    for (let c = 0; c < cols; c++) values[c] = mean ? totals[c] / rows : totals[c];
    return out;
  };
}

export const makeSum = (builtIn: KernelFunc) => makeColumnReduction(builtIn, false);
export const makeMean = (builtIn: KernelFunc) => makeColumnReduction(builtIn, true);
