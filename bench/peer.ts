/**
 * The PyTorch peer of `bench/step.ts` (`bench/peer_torch.py`, the same models on the same
 * machine) and simc's side of the image-regression comparison: the RFF-only SIM's full-batch
 * training step (Konishi & Kawahara 2023, Eq. 12: frozen Gaussian Fourier features, B and C of
 * rank 128, a three-layer FCN of width 256, a linear head to RGB; MSE, Adam), built directly in
 * TensorFlow.js like the MNIST model of `step.ts`.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "../runtime/tf.js";
import { time, type Timing } from "./timing.js";

/** The paper's image-regression protocol: a 256 × 256 image, every pixel in each step. */
export const IMAGE_PIXELS = 65_536;
export const IMAGE_STEPS = 3;

export interface PeerTiming {
  first_ms: number;
  median_ms: number;
  steps: number;
}

export interface PeerResult {
  torch: string;
  threads: number;
  device: string;
  blas: string;
  mnist_sim_batch128: PeerTiming;
  rff_only_full_batch: PeerTiming & { pixels: number };
}

const script = join(dirname(fileURLToPath(import.meta.url)), "peer_torch.py");

/** A Python that imports torch: `python3` on the PATH, else the system's (Debian's python3-torch). */
function pythonWithTorch(): string | undefined {
  for (const python of ["python3", "/usr/bin/python3"]) {
    if (spawnSync(python, ["-c", "import torch"], { encoding: "utf8" }).status === 0) return python;
  }
  return undefined;
}

export function runTorchPeer(threads: number, steps: number): { ok: true; result: PeerResult } | { ok: false; reason: string } {
  const python = pythonWithTorch();
  if (!python) return { ok: false, reason: "no python3 here imports torch" };
  const run = spawnSync(
    python,
    [script, "--threads", String(threads), "--steps", String(steps), "--image-steps", String(IMAGE_STEPS), "--pixels", String(IMAGE_PIXELS)],
    { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: String(threads) } },
  );
  if (run.status !== 0) return { ok: false, reason: `${script} exited ${run.status}: ${run.stderr.trim().split("\n").pop() ?? ""}` };
  return { ok: true, result: JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as PeerResult };
}

/**
 * Steady-state and first full-batch training step of the RFF-only SIM on the current backend;
 * `inspect`, when given, gets the step afterwards (to profile it) before the model goes.
 */
export async function timeRffOnly(
  pixels: number,
  steps: number,
  inspect?: (step: () => Promise<void>) => Promise<void>,
): Promise<Timing> {
  let seed = 7;
  const normal = (shape: number[], fanIn: number) => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), "float32", seed++));
  const omega = tf.randomNormal([2, 128], 0, 1 / 0.016, "float32", seed++);
  const projectB = normal([256, 128], 256);
  const projectC = normal([128, 256], 128);
  const fcn = [0, 1, 2].map(() => ({ w: normal([256, 256], 256), b: tf.variable(tf.zeros([256])) }));
  const head = { w: normal([256, 3], 256), b: tf.variable(tf.zeros([3])) };
  const params = [projectB, projectC, ...fcn.flatMap((l) => [l.w, l.b]), head.w, head.b];
  const x = tf.randomUniform([pixels, 2], 0, 1, "float32", seed++) as tf.Tensor2D;
  const y = tf.randomUniform([pixels, 3], 0, 1, "float32", seed++) as tf.Tensor2D;
  const optimizer = tf.train.adam(1e-3);
  const forward = (): tf.Tensor2D => {
    const z = tf.matMul(x, omega as tf.Tensor2D);
    let v = tf.mul(tf.concat([tf.cos(z), tf.sin(z)], 1), 1 / Math.sqrt(128)) as tf.Tensor2D;
    v = tf.matMul(tf.matMul(v, projectB as tf.Tensor2D), projectC as tf.Tensor2D);
    fcn.forEach((layer, i) => {
      v = tf.add(tf.matMul(v, layer.w as tf.Tensor2D), layer.b) as tf.Tensor2D;
      if (i < 2) v = tf.relu(v);
    });
    return tf.add(tf.matMul(v, head.w as tf.Tensor2D), head.b) as tf.Tensor2D;
  };
  const step = async () => {
    const loss = optimizer.minimize(() => tf.losses.meanSquaredError(y, forward()) as tf.Scalar, true, params) as tf.Scalar;
    await loss.data();
    loss.dispose();
  };
  try {
    const timing = await time(step, 2, steps);
    await inspect?.(step);
    return timing;
  } finally {
    optimizer.dispose();
    tf.dispose([omega, x, y, ...params]);
  }
}
