/**
 * The native TensorFlow backend of `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node`,
 * optional peer dependencies: loaded when installed, never required.
 */
import * as tf from "../tf.js";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

const PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

export interface NativeLoadResult {
  detail?: string;
  /** Why each package could not be used, for the error message. */
  failures: string[];
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0];
}

/** Whether a package is installed where this module can resolve it. */
export function packageInstalled(name: string): boolean {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** Imports the first loadable native package and selects its `tensorflow` backend. */
export async function loadTensorflowBackend(): Promise<NativeLoadResult> {
  const failures: string[] = [];
  for (const name of PACKAGES) {
    if (!packageInstalled(name)) {
      failures.push(`${name} is not installed`);
      continue;
    }
    try {
      // A variable specifier keeps TypeScript from resolving a package that may be absent.
      const specifier: string = name;
      await import(specifier);
    } catch (error) {
      failures.push(`${name} failed to load: ${firstLine(error)}`);
      continue;
    }
    if (await tf.setBackend("tensorflow")) {
      return { detail: `tensorflow (${name.slice("@tensorflow/".length)}, native TensorFlow)`, failures };
    }
    failures.push(`${name} loaded but its 'tensorflow' backend did not initialise`);
  }
  return { failures };
}
