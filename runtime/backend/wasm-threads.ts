/**
 * Lets the threaded-SIMD build of the wasm backend run under Node.
 *
 * The backend turns threads off under Node, and forcing them on fails twice: Emscripten starts
 * its pthread workers from `blob:` URLs (Node's `Worker` takes only files or source text), and
 * XNNPACK sizes its thread pool as half the logical cores (it assumes hyper-threading), which is
 * one thread on a two-core machine. `prepareWasmThreads` swaps the worker constructor for one
 * that runs the backend's worker source directly (and never holds the process open), and makes
 * the core count read twice the threads wanted; `finishWasmThreads` restores the core count
 * once the backend is up.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import type { Worker as NodeWorker, WorkerOptions } from "node:worker_threads";

const require = createRequire(import.meta.url);

interface OsModule {
  cpus: () => unknown[];
}

interface WorkerThreadsModule {
  Worker: new (source: string | URL, options?: WorkerOptions) => NodeWorker;
}

/** Threads to use: SIMC_WASM_THREADS when set, else every core (at most 8, XNNPACK's cap). */
export function wantedWasmThreads(): number {
  const fromEnv = Number(process.env.SIMC_WASM_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return Math.min(fromEnv, 8);
  return Math.min(availableParallelism(), 8);
}

let restoreCpus: (() => void) | undefined;
let workerPatched = false;

function workerSource(): string {
  const factoryPath = require.resolve("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js");
  const { wasmWorkerContents } =
    require("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js") as {
      wasmWorkerContents: string;
    };
  // The worker normally imports the factory from a blob; load it from the package instead and
  // make the blob import a no-op. Newlines inside the source's string literals must stay escaped.
  return (
    `globalThis.WasmBackendModuleThreadedSimd = require(${JSON.stringify(factoryPath)});\n` +
    wasmWorkerContents.replace(/\n/g, "\\n") +
    `\n;{ const load = global.importScripts; global.importScripts = (f) => { if (!String(f).startsWith("blob:")) load(f); }; }`
  );
}

function patchWorker(): void {
  if (workerPatched) return;
  const threads = require("node:worker_threads") as WorkerThreadsModule;
  const Original = threads.Worker;
  const source = workerSource();
  class BlobFreeWorker extends Original {
    constructor(script: string | URL, options?: WorkerOptions) {
      if (String(script).startsWith("blob:")) super(source, { ...options, eval: true });
      else super(script, options);
    }

    // Emscripten refs a worker while it runs a pthread; XNNPACK's pool threads run for ever,
    // which would keep Node from exiting when the program is done.
    override ref(): void {}
  }
  threads.Worker = BlobFreeWorker;
  workerPatched = true;
}

/** Call before the wasm backend initialises; `threads` ≥ 2. */
export function prepareWasmThreads(threads: number): void {
  patchWorker();
  const os = require("node:os") as OsModule;
  const original = os.cpus;
  os.cpus = () => {
    const cpus = original();
    const wanted = 2 * threads;
    return Array.from({ length: wanted }, (_, i) => cpus[i % Math.max(cpus.length, 1)]);
  };
  restoreCpus = () => {
    os.cpus = original;
  };
}

export function finishWasmThreads(): void {
  restoreCpus?.();
  restoreCpus = undefined;
}
