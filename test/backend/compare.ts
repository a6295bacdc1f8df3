/**
 * Runs one computation on two backends from the same plain-array inputs and returns both
 * results as plain arrays, so kernels can be checked against the cpu backend.
 */
import * as tf from "../../runtime/tf.js";
import { initBackend } from "../../runtime/backend/index.js";

export type Computation = () => tf.Tensor | tf.Tensor[];

/** Seeded inputs in [-1, 1) (mulberry32), reproducible across backends. */
export function randomArray(length: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** The shapes of the outputs `runOn` returned, so that comparisons check them too. */
const shapesOf = new WeakMap<Float32Array[], number[][]>();

export async function runOn(backend: string, computation: Computation): Promise<Float32Array[]> {
  await initBackend(backend);
  const result = tf.tidy(computation);
  const list = Array.isArray(result) ? result : [result];
  // Asynchronous reads: webgpu under Node cannot read synchronously (no OffscreenCanvas).
  const values = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
  shapesOf.set(
    values,
    list.map((t) => t.shape),
  );
  list.forEach((t) => t.dispose());
  return values;
}

/** Largest |a − b| over all outputs (counts, shapes and sizes must agree). */
export function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  if (a.length !== b.length) throw new Error(`output counts differ: ${a.length} vs ${b.length}`);
  const shapesA = shapesOf.get(a);
  const shapesB = shapesOf.get(b);
  if (shapesA && shapesB && JSON.stringify(shapesA) !== JSON.stringify(shapesB)) {
    throw new Error(`output shapes differ: ${JSON.stringify(shapesA)} vs ${JSON.stringify(shapesB)}`);
  }
  let worst = 0;
  a.forEach((values, k) => {
    if (values.length !== b[k].length) throw new Error(`output ${k} sizes differ: ${values.length} vs ${b[k].length}`);
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(values[i] - b[k][i]));
  });
  return worst;
}

/** Largest |value| over all outputs, to scale tolerances. */
export function maxMagnitude(a: Float32Array[]): number {
  return a.reduce((m, values) => values.reduce((n, v) => Math.max(n, Math.abs(v)), m), 0);
}

/** Runs on cpu and on `other` (wasm by default) and returns [cpu, other]. */
export async function onCpuAndWasm(
  computation: Computation,
  other = "wasm",
): Promise<[Float32Array[], Float32Array[]]> {
  const reference = await runOn("cpu", computation);
  const candidate = await runOn(other, computation);
  return [reference, candidate];
}
