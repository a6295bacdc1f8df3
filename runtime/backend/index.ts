/**
 * Chooses and initialises the TensorFlow.js backend every simc command computes on.
 *
 * Default order: `tensorflow` (native, from @tensorflow/tfjs-node-gpu or -node when installed),
 * else `wasm` (threaded SIMD where possible, with simc's extra kernels), else `cpu`.
 * `webgpu` only when asked for. A requested backend that cannot be loaded is an error that says
 * why and which backends are available.
 */
import { RUNTIME_CODES } from "../../core/codes/runtime.js";
import { CodedFailure } from "../../core/failure.js";
import * as tf from "../tf.js";
import { installGradients } from "./gradients.js";
import { loadTensorflowBackend } from "./tensorflow.js";
import { loadWasmBackend } from "./wasm.js";
import { loadWebgpuBackend } from "./webgpu.js";

export const BACKEND_NAMES = ["tensorflow", "wasm", "cpu", "webgpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendInfo {
  /** The TensorFlow.js backend name now current: tensorflow, wasm, cpu or webgpu. */
  name: string;
  /** What runs underneath, e.g. "wasm (SIMD, 2 threads)". */
  detail: string;
}

/** A requested backend is unknown or cannot be loaded here; the message says what to do. */
export class BackendUnavailableError extends CodedFailure {
  constructor(message: string) {
    super(RUNTIME_CODES.backendUnavailable, message, { hint: `choose one of ${BACKEND_NAMES.join(", ")} with --backend` });
    this.name = "BackendUnavailableError";
  }
}

type Attempt = { ok: true; detail: string } | { ok: false; reason: string };

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

async function attempt(name: BackendName): Promise<Attempt> {
  try {
    switch (name) {
      case "tensorflow": {
        const result = await loadTensorflowBackend();
        return result.detail ? { ok: true, detail: result.detail } : { ok: false, reason: result.failures.join("; ") };
      }
      case "wasm":
        return { ok: true, detail: await loadWasmBackend() };
      case "cpu":
        if (!(await tf.setBackend("cpu"))) return { ok: false, reason: "the cpu backend did not initialise" };
        return { ok: true, detail: "cpu (plain JavaScript, slow)" };
      case "webgpu":
        return { ok: true, detail: await loadWebgpuBackend() };
    }
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}

const HINTS: Record<BackendName, string> = {
  tensorflow: "install it with `npm install @tensorflow/tfjs-node` (or @tensorflow/tfjs-node-gpu for CUDA)",
  wasm: "reinstall @tensorflow/tfjs-backend-wasm",
  cpu: "",
  webgpu:
    "it needs the optional packages webgpu and @tensorflow/tfjs-backend-webgpu (`npm install webgpu @tensorflow/tfjs-backend-webgpu`) and a GPU adapter (or Mesa's software one)",
};

/**
 * Backends that load on this machine, trying each but `webgpu` (whose native layer prints its
 * own warnings while probing) unless it is already up. The current backend is kept.
 */
export async function availableBackends(except?: BackendName): Promise<BackendName[]> {
  const previous = tf.getBackend();
  const found: BackendName[] = [];
  for (const name of BACKEND_NAMES) {
    if (name === except) continue;
    if (name === "webgpu" ? tf.findBackend("webgpu") !== null : (await attempt(name)).ok) found.push(name);
  }
  if (previous) await tf.setBackend(previous);
  return found;
}

/**
 * Makes `requested` (or the best available backend) current and waits until it is ready.
 * Throws `BackendUnavailableError` when `requested` is unknown or cannot be loaded.
 */
export async function initBackend(requested?: string): Promise<BackendInfo> {
  installGradients();
  if (requested !== undefined && requested !== "") {
    const name = requested.toLowerCase();
    if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
      throw new BackendUnavailableError(`unknown backend '${requested}': choose one of ${BACKEND_NAMES.join(", ")}`);
    }
    const result = await attempt(name as BackendName);
    if (!result.ok) {
      const others = await availableBackends(name as BackendName);
      const hint = HINTS[name as BackendName];
      throw new BackendUnavailableError(
        `backend '${name}' is not available: ${result.reason}` +
          (hint ? `; ${hint}` : "") +
          `. Available here: ${others.join(", ") || "none"}.`,
      );
    }
    await tf.ready();
    return { name: tf.getBackend(), detail: result.detail };
  }
  const reasons: string[] = [];
  for (const name of ["tensorflow", "wasm", "cpu"] as const) {
    const result = await attempt(name);
    if (result.ok) {
      await tf.ready();
      return { name: tf.getBackend(), detail: result.detail };
    }
    reasons.push(`${name}: ${result.reason}`);
  }
  throw new BackendUnavailableError(`no TensorFlow.js backend could be initialised (${reasons.join("; ")})`);
}
