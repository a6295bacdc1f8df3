/**
 * A pool of Node worker threads that run simc's SIMD kernels on the wasm backend's shared
 * memory (the threaded build's heap), so that one kernel can use every core.
 *
 * Each worker instantiates the kernel modules it is sent on the same memory and sleeps on a
 * shared control block (Atomics.wait). `run` hands each worker one call (module, function,
 * i32 arguments), makes the calling thread do its own share, and waits until all are done.
 * Without shared memory the pool has one thread: the caller.
 *
 * Control block per worker (Int32Array): [sequence, done, module, function, argc, args…];
 * a negative `done` reports a failure, whose message arrives on the worker's port.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { wasmApi, type WasmMemory, type WasmModuleObject } from "./webassembly.js";

const SEQUENCE = 0;
const DONE = 1;
const MODULE = 2;
const FUNCTION = 3;
const ARGC = 4;
const ARGS = 5;
const MAX_ARGS = 27;
const SLOTS = ARGS + MAX_ARGS;

const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const { memory, control, port } = workerData;
const ctrl = new Int32Array(control);
const modules = new Map();
function receive() {
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
    const { id, module, names } = m.message;
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    modules.set(id, names.map((name) => exports[name]));
  }
}
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, ${SEQUENCE}, seen);
  seen = Atomics.load(ctrl, ${SEQUENCE});
  if (seen < 0) break;
  let status = seen;
  try {
    receive();
    while (!modules.has(ctrl[${MODULE}])) receive();
    const fn = modules.get(ctrl[${MODULE}])[ctrl[${FUNCTION}]];
    const args = Array.from(ctrl.subarray(${ARGS}, ${ARGS} + ctrl[${ARGC}]));
    fn(...args);
  } catch (error) {
    status = -seen;
    port.postMessage(String((error && error.stack) || error));
  }
  Atomics.store(ctrl, ${DONE}, status);
  Atomics.notify(ctrl, ${DONE});
}
`;

/** A kernel module compiled once, instantiated on the calling thread and in every worker. */
export interface PooledModule {
  id: number;
  names: string[];
  /** The calling thread's instance, by function name. */
  exports: Record<string, (...args: number[]) => void>;
}

interface PoolWorker {
  worker: Worker;
  control: Int32Array;
  port: MessagePort;
  sequence: number;
  modules: Set<number>;
}

export class ThreadPool {
  private readonly workers: PoolWorker[] = [];
  private readonly compiled = new Map<number, WasmModuleObject>();
  private nextId = 1;

  /** `threads` counts the calling thread; workers are made only for shared memories. */
  constructor(
    private readonly memory: WasmMemory,
    threads: number,
  ) {
    const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
    const count = shared ? Math.max(0, threads - 1) : 0;
    for (let i = 0; i < count; i++) {
      const control = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { memory, control: control.buffer, port: port2 },
        transferList: [port2],
      });
      // Idle workers sleep in Atomics.wait; they must not keep the process alive.
      worker.unref();
      port1.unref();
      this.workers.push({ worker, control, port: port1, sequence: 0, modules: new Set() });
    }
  }

  /** Threads that share each `run`: the workers and the caller. */
  get size(): number {
    return this.workers.length + 1;
  }

  /** Compiles `bytes` into a module usable by `run`. */
  load(bytes: Uint8Array, names: string[]): PooledModule {
    const module = new wasmApi.Module(bytes);
    const id = this.nextId++;
    this.compiled.set(id, module);
    const instance = new wasmApi.Instance(module, { env: { memory: this.memory } });
    const exports = Object.fromEntries(
      names.map((name) => [name, instance.exports[name] as (...args: number[]) => void]),
    );
    return { id, names, exports };
  }

  /**
   * Calls `fn` once per entry of `calls` (at most `size`), the first on this thread and the
   * others on workers, and returns when all have finished.
   */
  run(module: PooledModule, fn: string, calls: number[][]): void {
    if (calls.length > this.size) throw new Error(`${calls.length} calls for a pool of ${this.size} threads`);
    const index = module.names.indexOf(fn);
    if (index < 0) throw new Error(`no function '${fn}' in the kernel module`);
    const started: PoolWorker[] = [];
    for (let t = 1; t < calls.length; t++) {
      const w = this.workers[t - 1];
      if (calls[t].length > MAX_ARGS) throw new Error(`too many arguments for ${fn}`);
      if (!w.modules.has(module.id)) {
        w.port.postMessage({ id: module.id, module: this.compiled.get(module.id), names: module.names });
        w.modules.add(module.id);
      }
      w.control[MODULE] = module.id;
      w.control[FUNCTION] = index;
      w.control[ARGC] = calls[t].length;
      w.control.set(calls[t], ARGS);
      w.sequence += 1;
      Atomics.store(w.control, SEQUENCE, w.sequence);
      Atomics.notify(w.control, SEQUENCE);
      started.push(w);
    }
    let failure: Error | undefined;
    try {
      if (calls.length > 0) module.exports[fn](...calls[0]);
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    }
    for (const w of started) {
      for (;;) {
        const done = Atomics.load(w.control, DONE);
        if (done === w.sequence) break;
        if (done === -w.sequence) {
          const message = receiveMessageOnPort(w.port)?.message;
          failure ??= new Error(`a kernel thread failed: ${String(message ?? "unknown error")}`);
          break;
        }
        Atomics.wait(w.control, DONE, done);
      }
    }
    if (failure) throw failure;
  }
}

const pools = new WeakMap<WasmMemory, ThreadPool>();

/** The pool for `memory`, made on first use with `threads` threads. */
export function threadPool(memory: WasmMemory, threads: number): ThreadPool {
  let pool = pools.get(memory);
  if (!pool) {
    pool = new ThreadPool(memory, threads);
    pools.set(memory, pool);
  }
  return pool;
}
