/**
 * The WebAssembly backend: locates the `.wasm` binaries of the installed package, picks the
 * threaded-SIMD build when there are cores to share (falls back to plain SIMD), and registers
 * simc's kernels that the wasm backend lacks, runs slowly or gets wrong.
 */
import * as tf from "../tf.js";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { finishWasmThreads, prepareWasmThreads, wantedWasmThreads } from "./wasm-threads.js";
import { registerWasmKernels } from "./wasm-kernels/index.js";

const require = createRequire(import.meta.url);

type WasmModule = typeof import("@tensorflow/tfjs-backend-wasm");

let wasmDetail: string | undefined;

function wasmDistFolder(): string {
  // Resolved from node_modules, so the same code works from the sources and from dist/.
  return join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/";
}

async function trySetBackend(): Promise<boolean> {
  try {
    return await tf.setBackend("wasm");
  } catch {
    return false;
  }
}

/** Initialises the wasm backend (once) and makes it current; returns its description. */
export async function loadWasmBackend(): Promise<string> {
  const wasm: WasmModule = await import("@tensorflow/tfjs-backend-wasm");
  if (wasmDetail !== undefined) {
    if (!(await trySetBackend()))
      throw new Error("the wasm backend was initialised before but cannot be selected again");
    return wasmDetail;
  }
  const restoreProcessHandlers = keepProcessHandlers();
  try {
    wasmDetail = await initialise(wasm);
  } finally {
    restoreProcessHandlers();
  }
  return wasmDetail;
}

/**
 * Emscripten's Node glue adds process handlers that rethrow every uncaught error from inside
 * its minified source, so Node prints that whole source instead of the error. Remove them.
 */
function keepProcessHandlers(): () => void {
  const exceptions = new Set(process.listeners("uncaughtException"));
  const rejections = new Set(process.listeners("unhandledRejection"));
  return () => {
    for (const listener of process.listeners("uncaughtException")) {
      if (!exceptions.has(listener)) process.removeListener("uncaughtException", listener);
    }
    for (const listener of process.listeners("unhandledRejection")) {
      if (!rejections.has(listener)) process.removeListener("unhandledRejection", listener);
    }
  };
}

async function initialise(wasm: WasmModule): Promise<string> {
  registerWasmKernels();
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  wasm.setWasmPaths(wasmDistFolder());
  const threads = simd ? wantedWasmThreads() : 1;
  let threaded = false;
  if (threads > 1) {
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
    wasm.setThreadsCount(threads);
    prepareWasmThreads(threads);
    const silenced = silenceWarnings();
    try {
      threaded = await withDeadline(trySetBackend(), THREADED_START_SECONDS);
    } finally {
      silenced();
      finishWasmThreads();
    }
  }
  if (!threaded) {
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    if (!(await trySetBackend())) throw new Error("the wasm backend failed to initialise");
  }
  const used = threaded ? wasm.getThreadsCount() : 1;
  return `wasm (${simd ? "SIMD" : "no SIMD"}, ${used} thread${used === 1 ? "" : "s"})`;
}

/** How long the threaded build may take to start its workers. */
const THREADED_START_SECONDS = 60;

/**
 * Emscripten waits for every pthread worker to load; a worker that never does would leave the
 * start pending for ever. Past the deadline, say so instead of hanging.
 */
function withDeadline<T>(promise: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `the threaded wasm backend did not start within ${seconds} s; set SIMC_WASM_THREADS=1 to run without threads`,
          ),
        ),
      seconds * 1000,
    );
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** A failed threaded start is retried without threads; its warnings would only confuse. */
function silenceWarnings(): () => void {
  const warn = console.warn;
  console.warn = () => {};
  return () => {
    console.warn = warn;
  };
}
