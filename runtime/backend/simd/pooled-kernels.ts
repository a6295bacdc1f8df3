/**
 * Kernel modules for the thread pool: assembled by a builder, compiled once per wasm memory and
 * key (the builder's specialisation), and loaded in that memory's pool.
 */
import { encodeModule, type Fn } from "./assembler.js";
import { heapMemory, type HeapModule } from "./module.js";
import { threadPool, type PooledModule, type ThreadPool } from "./threads.js";
import type { WasmMemory } from "./webassembly.js";
import { wantedWasmThreads } from "../wasm-threads.js";

const loaded = new WeakMap<WasmMemory, Map<string, PooledModule>>();

/** The pool that runs kernels on `heap`'s memory. */
export function heapPool(heap: HeapModule): ThreadPool {
  return threadPool(heapMemory(heap), wantedWasmThreads());
}

/** The module `build` makes for `key`, loaded in `heap`'s pool (built on first use). */
export function pooledKernels(heap: HeapModule, key: string, build: () => Fn[]): PooledModule {
  const memory = heapMemory(heap);
  let byKey = loaded.get(memory);
  if (!byKey) {
    byKey = new Map();
    loaded.set(memory, byKey);
  }
  let module = byKey.get(key);
  if (!module) {
    const fns = build();
    const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
    module = heapPool(heap).load(
      encodeModule(fns, { shared }),
      fns.map((f) => f.exportName),
    );
    byKey.set(key, module);
  }
  return module;
}
