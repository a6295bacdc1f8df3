/**
 * sin and cos of a float32 array on the wasm heap with the SIMD kernels of ./sine-kernel.ts,
 * split between the pool's threads. The last count % 4 elements, and any beyond
 * SINE_EXACT_LIMIT (which the kernel flags), are redone with Math.sin or Math.cos.
 */
import { heapF32, heapMemory, withScratch, type HeapModule } from "./module.js";
import { SINE_EXACT_LIMIT, sineKernels } from "./sine-kernel.js";
import { heapPool, pooledKernels } from "./pooled-kernels.js";
import type { PooledModule } from "./threads.js";

export type SineFunction = "sin" | "cos";

/** Vectors below which another thread costs more (waking it) than it saves. */
const MIN_VECTORS_PER_THREAD = 1 << 14;

function moduleFor(heap: HeapModule): PooledModule {
  return pooledKernels(heap, "sine", sineKernels);
}

/** out[i] = sin x[i] or cos x[i] for `count` floats (out must not overlap x). */
export function simdSine(
  heap: HeapModule,
  fn: SineFunction,
  xPointer: number,
  outPointer: number,
  count: number,
): void {
  const exact = fn === "sin" ? Math.sin : Math.cos;
  const vectors = Math.floor(count / 4);
  const pool = heapPool(heap);
  const threads = Math.max(1, Math.min(pool.size, Math.floor(vectors / MIN_VECTORS_PER_THREAD)));
  let flagged = false;
  if (vectors > 0) {
    withScratch(heap, 16 * threads, (flags) => {
      const calls = Array.from({ length: threads }, (_, t) => {
        const v0 = Math.floor((vectors * t) / threads);
        const v1 = Math.floor((vectors * (t + 1)) / threads);
        return [xPointer + 16 * v0, outPointer + 16 * v0, 4 * (v1 - v0), flags + 16 * t];
      });
      pool.run(moduleFor(heap), `${fn}_range`, calls);
      flagged = new Int32Array(heapMemory(heap).buffer, flags, 4 * threads).some((flag) => flag !== 0);
    });
  }
  const x = heapF32(heap, xPointer, count);
  const out = heapF32(heap, outPointer, count);
  for (let i = 4 * vectors; i < count; i++) out[i] = exact(x[i]);
  if (!flagged) return;
  for (let i = 0; i < 4 * vectors; i++) {
    if (Math.abs(x[i]) > SINE_EXACT_LIMIT) out[i] = exact(x[i]);
  }
}
