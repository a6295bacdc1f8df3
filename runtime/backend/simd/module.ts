/**
 * simc's SIMD kernels, assembled once and instantiated on the wasm backend's own memory, so
 * they read and write tensors where they lie (no copies). Also a scratch allocator on that heap.
 */
import { setFlagsFromString } from "node:v8";
import { encodeModule, Fn } from "./assembler.js";
import { columnKernels } from "./columns.js";
import { poolKernels } from "./max-pool.js";
import { paddedPatchKernels, patchKernels } from "./patches.js";
import { wasmApi, type WasmMemory, type WasmModuleObject } from "./webassembly.js";

/** What simc needs from the Emscripten module behind the wasm backend. */
export interface HeapModule {
  HEAPU8: Uint8Array;
  _malloc: (bytes: number) => number;
  _free: (pointer: number) => void;
  wasmMemory?: WasmMemory;
  asm?: { memory?: WasmMemory };
}

type Kernel = (...args: number[]) => void;

export interface SimdKernels {
  col_sum: Kernel;
  col_sum_sq_dev: Kernel;
  col_sum_dy_xdev: Kernel;
  col_affine: Kernel;
  col_affine2: Kernel;
  col_sum_dy_xdev_masked: Kernel;
  col_add: Kernel;
  col_sub: Kernel;
  col_rsub: Kernel;
  col_mul: Kernel;
  col_div: Kernel;
  col_rdiv: Kernel;
  square: Kernel;
  col_affine2_masked: Kernel;
  max_pool_grad: Kernel;
  max_pool_grad_2x2: Kernel;
  im2col_t: Kernel;
  im2col_t_padded: Kernel;
  pad_columns: Kernel;
}

const cache = new WeakMap<WasmMemory, SimdKernels>();
let compiled: { shared: boolean; module: WasmModuleObject } | undefined;

function allFunctions(): Fn[] {
  return [...columnKernels(), ...poolKernels(), ...patchKernels(), ...paddedPatchKernels()];
}

function memoryOf(heap: HeapModule): WasmMemory {
  const memory = heap.wasmMemory ?? heap.asm?.memory;
  if (!memory) throw new Error("the wasm backend does not expose its memory");
  return memory;
}

/** Whether this engine runs WebAssembly SIMD (fixed-width, 128-bit): does our module validate? */
export function simdSupported(): boolean {
  try {
    return wasmApi.validate(encodeModule(allFunctions(), { shared: false }));
  } catch {
    return false;
  }
}

let supported: boolean | undefined;

/** The kernels bound to `heap`'s memory (compiled on first use); undefined without SIMD. */
export function simdKernels(heap: HeapModule): SimdKernels | undefined {
  supported ??= simdSupported();
  if (!supported) return undefined;
  const memory = memoryOf(heap);
  const known = cache.get(memory);
  if (known) return known;
  const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
  if (!compiled || compiled.shared !== shared) {
    compiled = { shared, module: new wasmApi.Module(encodeModule(allFunctions(), { shared })) };
  }
  const instance = new wasmApi.Instance(compiled.module, { env: { memory } });
  const kernels = instance.exports as unknown as SimdKernels;
  cache.set(memory, kernels);
  return kernels;
}

let relaxed: boolean | undefined;

/**
 * Whether fused multiply-adds (relaxed SIMD) can be used: on by default from Node 22; on
 * Node 20 behind a V8 flag, which is switched on here. SIMC_WASM_FMA=0 turns them off.
 */
export function relaxedSimdAvailable(): boolean {
  if (relaxed !== undefined) return relaxed;
  const probe = new Fn("probe", ["v128", "v128", "v128"], ["v128"]);
  probe.get(0).get(1).get(2).f32x4RelaxedMadd();
  const bytes = encodeModule([probe], { shared: false });
  relaxed = false;
  if (process.env.SIMC_WASM_FMA === "0") return relaxed;
  try {
    if (!wasmApi.validate(bytes)) setFlagsFromString("--experimental-wasm-relaxed-simd");
    relaxed = wasmApi.validate(bytes);
  } catch {
    relaxed = false;
  }
  return relaxed;
}

/** The memory behind `heap`. */
export function heapMemory(heap: HeapModule): WasmMemory {
  return memoryOf(heap);
}

/** Runs `body` with `bytes` of heap scratch (16-byte aligned), freed afterwards. */
export function withScratch<T>(heap: HeapModule, bytes: number, body: (pointer: number) => T): T {
  const raw = heap._malloc(bytes + 16) >>> 0;
  if (!raw) throw new Error(`out of wasm memory allocating ${bytes} bytes of scratch`);
  try {
    // Arithmetic, not bit operations: those would turn offsets past 2 GiB negative.
    return body(raw + ((16 - (raw % 16)) % 16));
  } finally {
    heap._free(raw);
  }
}

/** A fresh Float32Array view of the heap (views go stale when the heap grows). */
export function heapF32(heap: HeapModule, pointer: number, length: number): Float32Array {
  return new Float32Array(memoryOf(heap).buffer, pointer, length);
}
