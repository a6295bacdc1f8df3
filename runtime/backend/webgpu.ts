/**
 * The WebGPU backend under Node: Dawn's `webgpu` package provides `navigator.gpu`, which
 * `@tensorflow/tfjs-backend-webgpu` must see when it loads. Both packages are optional.
 *
 * Without a GPU, Dawn can run on Mesa's llvmpipe through OpenGL ES; that adapter exists only at
 * the "compatibility" feature level and needs EGL without a display (EGL_PLATFORM=surfaceless,
 * set here unless the environment chose otherwise). Adapter requests that find nothing at the
 * core level are retried at the compatibility level.
 */
import * as tf from "../tf.js";
import { RUNTIME_CODES } from "../../core/codes/runtime.js";
import { CodedFailure } from "../../core/failure.js";
import { packageInstalled } from "./tensorflow.js";
import { installChunkedAddN } from "./webgpu-add-n.js";

interface WebgpuPackage {
  create: (options: string[]) => GpuLike;
  globals: Record<string, unknown>;
}

interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
}

interface GpuLike {
  requestAdapter: (options?: Record<string, unknown>) => Promise<AdapterLike | null>;
  getPreferredCanvasFormat?: () => string;
}

let detail: string | undefined;

async function importOptional<T>(name: string): Promise<T> {
  if (!packageInstalled(name)) throw new Error(`${name} is not installed`);
  try {
    const specifier: string = name;
    return (await import(specifier)) as T;
  } catch (error) {
    throw new Error(
      `${name} failed to load: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`,
    );
  }
}

function describe(adapter: AdapterLike | null, level: string): string {
  const info = adapter?.info;
  const name = info?.description || [info?.vendor, info?.architecture, info?.device].filter((s) => s).join(" ");
  return `webgpu (${name || "unknown adapter"}, ${level} feature level)`;
}

/**
 * TensorFlow.js reads GPU data synchronously through an OffscreenCanvas, which Node lacks. simc's
 * training and evaluation read asynchronously; what still reads synchronously (the DEQ target's
 * solvers test convergence between iterations) gets an error that says so instead of a
 * ReferenceError.
 */
function refuseSynchronousReads(): void {
  if (typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas !== "undefined") return;
  const backend = tf.findBackend("webgpu") as unknown as { readSync: (dataId: object) => unknown };
  backend.readSync = () => {
    throw new CodedFailure(
      RUNTIME_CODES.backendUnavailable,
      "the webgpu backend cannot read GPU data synchronously under Node, which this computation needs " +
        "(the DEQ target's solvers check convergence between iterations)",
      { hint: "use --backend wasm or tensorflow for it" },
    );
  };
}

export async function loadWebgpuBackend(): Promise<string> {
  if (detail !== undefined) {
    if (!(await tf.setBackend("webgpu")))
      throw new Error("the webgpu backend was initialised before but cannot be selected again");
    return detail;
  }
  process.env.EGL_PLATFORM ??= "surfaceless";
  const { create, globals } = await importOptional<WebgpuPackage>("webgpu");
  Object.assign(globalThis, globals);
  // The platform's own adapters first (Vulkan, Metal, D3D), then Dawn's OpenGL ES backend,
  // which is how Mesa's software rasteriser (llvmpipe) is reached.
  let gpu = create([]);
  let level = "core";
  let chosen: AdapterLike | null = null;
  let requestAdapter = async (options?: Record<string, unknown>) => {
    chosen = await gpu.requestAdapter(options);
    if (!chosen) {
      chosen = await gpu.requestAdapter({ ...options, featureLevel: "compatibility" });
      level = "compatibility";
    }
    return chosen;
  };
  if (!(await requestAdapter())) {
    gpu = create(["backend=opengles"]);
    level = "compatibility";
    requestAdapter = async (options?: Record<string, unknown>) => {
      chosen = await gpu.requestAdapter({ ...options, featureLevel: "compatibility" });
      return chosen;
    };
  }
  const probe = await requestAdapter();
  if (!probe) throw new Error("no WebGPU adapter was found (no GPU, and no Mesa software adapter)");
  const host = globalThis as { navigator?: Record<string, unknown> };
  if (host.navigator === undefined) host.navigator = {};
  Object.defineProperty(host.navigator, "gpu", {
    // A plain object: only these two are used, and native methods must keep their receiver.
    value: { requestAdapter, getPreferredCanvasFormat: () => gpu.getPreferredCanvasFormat?.() ?? "rgba8unorm" },
    configurable: true,
  });
  await importOptional("@tensorflow/tfjs-backend-webgpu");
  installChunkedAddN();
  if (!(await tf.setBackend("webgpu"))) throw new Error("the webgpu backend did not initialise");
  refuseSynchronousReads();
  detail = describe(chosen, level);
  return detail;
}
