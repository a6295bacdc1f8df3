/**
 * Training-step and inference speed of the MNIST single-tier SIM, built directly in
 * TensorFlow.js, on every backend that loads here, side by side.
 *
 * Model (batch 128, input [128, 28, 28, 1]): 4 × (conv 3×3, 24 channels, same padding, bias →
 * batch norm with batch statistics → relu), max-pool 2 after the 2nd and 4th; flatten (1176);
 * dense 1176→50; B 50→25 and C 25→50 without bias; dense 50→32 relu, 32→32 relu, 32→32;
 * dense 32→10; softmax cross-entropy; Adam. Two builds of the convolution blocks: "ops", the
 * operations the executor's kernels use, and "fused", simc's fused operations.
 *
 * Reports milliseconds per step (median and best of the timed steps), and GFLOP/s against the
 * model's multiply-add count (2 FLOPs each; convolutions and matrix products only — a
 * training step counts forward, input gradients except the first layer's, and weight
 * gradients). The cpu backend gets inference only: a training step takes minutes there.
 *
 * Environment: SIMC_BENCH_STEPS (timed steps, default 20; two when a step takes over 2 s),
 * SIMC_BENCH_BACKENDS (comma list), SIMC_BENCH_PROFILE=1 (per-kernel times of one training
 * step on each backend, and of one RFF-only full-batch step; SIMC_BENCH_PROFILE_TOP=N lists N
 * kernels, default 16).
 */
import * as tf from "../runtime/tf.js";
import { loadavg } from "node:os";
import { availableBackends, initBackend } from "../runtime/backend/index.js";
import { wantedWasmThreads } from "../runtime/backend/wasm-threads.js";
import { IMAGE_PIXELS, IMAGE_STEPS, runTorchPeer, timeRffOnly, type PeerTiming } from "./peer.js";
import { time, type Timing } from "./timing.js";
import { batchNormTraining } from "../runtime/ops/batch-norm.js";
import { MNIST_SPEC, timeSimcTrainStep } from "./simc-train-step.js";

const BATCH = 128;
const CONV_CHANNELS = 24;

interface Model {
  params: tf.Variable[];
  train(x: tf.Tensor4D, y: tf.Tensor2D): tf.Scalar;
  infer(x: tf.Tensor4D): tf.Tensor2D;
}

interface Layer {
  kind: "conv" | "dense";
  /** conv: input height/width, in, out, kernel; dense: in, out. */
  shape: number[];
}

/** The FLOP-bearing layers, in order (for the FLOP count). */
export const LAYERS: Layer[] = [
  { kind: "conv", shape: [28, 1, CONV_CHANNELS, 3] },
  { kind: "conv", shape: [28, CONV_CHANNELS, CONV_CHANNELS, 3] },
  { kind: "conv", shape: [14, CONV_CHANNELS, CONV_CHANNELS, 3] },
  { kind: "conv", shape: [14, CONV_CHANNELS, CONV_CHANNELS, 3] },
  { kind: "dense", shape: [7 * 7 * CONV_CHANNELS, 50] },
  { kind: "dense", shape: [50, 25] },
  { kind: "dense", shape: [25, 50] },
  { kind: "dense", shape: [50, 32] },
  { kind: "dense", shape: [32, 32] },
  { kind: "dense", shape: [32, 32] },
  { kind: "dense", shape: [32, 10] },
];

/** Multiply-adds × 2 for one example: forward, and a full training step. */
export function flopsPerExample(): { forward: number; train: number } {
  let forward = 0;
  let train = 0;
  LAYERS.forEach((layer, i) => {
    const flops =
      layer.kind === "conv"
        ? 2 * layer.shape[0] * layer.shape[0] * layer.shape[3] * layer.shape[3] * layer.shape[1] * layer.shape[2]
        : 2 * layer.shape[0] * layer.shape[1];
    forward += flops;
    // Weight gradient always; input gradient for every layer but the first.
    train += flops * (i === 0 ? 2 : 3);
  });
  return { forward, train };
}

/**
 * Seeded parameters: He-normal weights, zero biases, unit batch-norm scales. `fused` builds
 * the convolution blocks from simc's fused operations (bias inside the convolution, batch norm
 * and relu as one `batchNormTraining`), otherwise from the plain TensorFlow.js operations.
 */
function buildModel(fused: boolean): Model {
  let seed = 1;
  const normal = (shape: number[], fanIn: number) =>
    tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), "float32", seed++));
  const zeros = (shape: number[]) => tf.variable(tf.zeros(shape));
  const ones = (shape: number[]) => tf.variable(tf.ones(shape));
  const convs = [1, CONV_CHANNELS, CONV_CHANNELS, CONV_CHANNELS].map((cin) => ({
    w: normal([3, 3, cin, CONV_CHANNELS], 9 * cin),
    b: zeros([CONV_CHANNELS]),
    gamma: ones([CONV_CHANNELS]),
    beta: zeros([CONV_CHANNELS]),
    movingMean: tf.variable(tf.zeros([CONV_CHANNELS]), false),
    movingVariance: tf.variable(tf.ones([CONV_CHANNELS]), false),
  }));
  const dense = (nIn: number, nOut: number, bias = true) => ({
    w: normal([nIn, nOut], nIn),
    b: bias ? zeros([nOut]) : undefined,
  });
  const lift = dense(7 * 7 * CONV_CHANNELS, 50);
  const projectB = dense(50, 25, false);
  const projectC = dense(25, 50, false);
  const phi = [dense(50, 32), dense(32, 32), dense(32, 32)];
  const head = dense(32, 10);
  const linear = (x: tf.Tensor2D, layer: { w: tf.Variable; b?: tf.Variable }): tf.Tensor2D =>
    layer.b
      ? (tf.add(tf.matMul(x, layer.w as tf.Tensor2D), layer.b) as tf.Tensor2D)
      : tf.matMul(x, layer.w as tf.Tensor2D);

  const forward = (x: tf.Tensor4D, training: boolean): tf.Tensor2D => {
    let h: tf.Tensor4D = x;
    convs.forEach((c, i) => {
      if (fused && training) {
        // The fused convolution's gradient always computes the input gradient; the model input
        // needs none, so the first layer keeps the plain convolution (whose input gradient the
        // tape skips) and adds its bias.
        h =
          i === 0
            ? (tf.add(tf.conv2d(h, c.w as tf.Tensor4D, 1, "same"), c.b) as tf.Tensor4D)
            : tf.fused.conv2d({ x: h, filter: c.w as tf.Tensor4D, strides: 1, pad: "same", bias: c.b });
        h = batchNormTraining(h, c.gamma as tf.Tensor1D, c.beta as tf.Tensor1D, 1e-5, { relu: true }).y as tf.Tensor4D;
        if (i === 1 || i === 3) h = tf.maxPool(h, 2, 2, "valid");
        return;
      }
      h = tf.add(tf.conv2d(h, c.w as tf.Tensor4D, 1, "same"), c.b) as tf.Tensor4D;
      if (training) {
        const { mean, variance } = tf.moments(h, [0, 1, 2]);
        h = tf.batchNorm(h, mean, variance, c.beta, c.gamma, 1e-5) as tf.Tensor4D;
      } else {
        h = tf.batchNorm(h, c.movingMean, c.movingVariance, c.beta, c.gamma, 1e-5) as tf.Tensor4D;
      }
      h = tf.relu(h);
      if (i === 1 || i === 3) h = tf.maxPool(h, 2, 2, "valid");
    });
    let v = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
    v = linear(v, lift);
    v = linear(linear(v, projectB), projectC);
    v = tf.relu(linear(v, phi[0]));
    v = tf.relu(linear(v, phi[1]));
    v = linear(v, phi[2]);
    return linear(v, head);
  };

  const optimizer = tf.train.adam(1e-3);
  const params = [
    ...convs.flatMap((c) => [c.w, c.b, c.gamma, c.beta]),
    ...[lift, projectB, projectC, ...phi, head].flatMap((l) => (l.b ? [l.w, l.b] : [l.w])),
  ];
  return {
    params,
    train: (x, y) =>
      optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, forward(x, true)) as tf.Scalar,
        true,
        params,
      ) as tf.Scalar,
    infer: (x) => tf.tidy(() => forward(x, false)),
  };
}

/**
 * Per-kernel times of one call of `step` (which must finish its work), the 16 costliest;
 * `byShape` keeps products of different shapes apart (BatchMatMul [m, k]·[k, n] …).
 */
async function profileKernels(step: () => Promise<void>, byShape = false): Promise<string> {
  const info = await tf.profile(step);
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const key = byShape && k.name === "BatchMatMul" ? `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join("·")}` : k.name;
    const entry = byKernel.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += Number(k.kernelTimeMs) || 0;
    entry.calls += 1;
    byKernel.set(key, entry);
  }
  return [...byKernel.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, Number(process.env.SIMC_BENCH_PROFILE_TOP ?? 16))
    .map(
      ([name, e]) => `    ${name.padEnd(40)} ${e.ms.toFixed(1).padStart(8)} ms  ${String(e.calls).padStart(4)} calls`,
    )
    .join("\n");
}

interface Row {
  backend: string;
  variant: string;
  detail: string;
  train?: Timing;
  infer: Timing;
  note?: string;
}

/** Whether the webgpu backend starts here (a GPU, or Mesa's software rasteriser). */
async function webgpuLoads(): Promise<boolean> {
  try {
    await initBackend("webgpu");
    return true;
  } catch {
    return false;
  }
}

function format(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

export async function bench(): Promise<void> {
  const steps = Math.max(1, Number(process.env.SIMC_BENCH_STEPS) || 20);
  const wanted = process.env.SIMC_BENCH_BACKENDS?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const backends = wanted ?? [
    ...new Set([...(await availableBackends()), ...((await webgpuLoads()) ? ["webgpu"] : [])]),
  ];
  const flops = flopsPerExample();
  console.log(
    `MNIST single-tier SIM, batch ${BATCH}: ${((flops.forward * BATCH) / 1e9).toFixed(2)} GFLOP per inference batch, ` +
      `${((flops.train * BATCH) / 1e9).toFixed(2)} GFLOP per training step (convolutions and matrix products).`,
  );
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} (other work on this machine slows every number below)`,
  );
  const rows: Row[] = [];
  for (const name of backends) {
    const info = await initBackend(name);
    // The fused variant only where training is timed.
    for (const fused of name === "cpu" ? [false] : [false, true]) {
      const model = buildModel(fused);
      const variant = fused ? "fused" : "ops";
      const x = tf.randomNormal([BATCH, 28, 28, 1], 0, 1, "float32", 42) as tf.Tensor4D;
      const y = tf.oneHot(tf.randomUniform([BATCH], 0, 10, "int32", 43) as tf.Tensor1D, 10).toFloat() as tf.Tensor2D;
      const infer = await time(
        async () => {
          const out = model.infer(x);
          await out.data();
          out.dispose();
        },
        2,
        steps,
      );
      const row: Row = { backend: name, variant, detail: info.detail, infer };
      if (name === "cpu") {
        row.note = "training not timed (a step takes minutes on plain JavaScript)";
      } else {
        row.train = await time(
          async () => {
            const loss = model.train(x, y);
            await loss.data();
            loss.dispose();
          },
          2,
          steps,
        );
      }
      rows.push(row);
      if (process.env.SIMC_BENCH_PROFILE === "1" && name !== "cpu") {
        console.log(
          `  per-kernel times of one training step (${variant}) on ${info.detail}:\n${await profileKernels(async () => {
            const loss = model.train(x, y);
            await loss.data();
            loss.dispose();
          })}`,
        );
      }
      model.params.forEach((p) => p.dispose());
      tf.dispose([x, y]);
    }
  }
  console.log(
    `\n  ${"backend".padEnd(28)} ${"model".padEnd(6)} ${"first".padStart(7)} ${"train ms/step".padStart(20)} ${"cpu ms".padStart(7)} ${"GFLOP/s".padStart(8)} ${"infer ms/batch".padStart(20)} ${"GFLOP/s".padStart(8)}`,
  );
  for (const r of rows) {
    const train = r.train ? `${format(r.train.median)} (best ${format(r.train.best)})` : "—";
    const trainCpu = r.train ? format(r.train.cpu) : "—";
    const first = r.train ? format(r.train.first) : "—";
    const trainRate = r.train ? ((flops.train * BATCH) / 1e6 / r.train.median).toFixed(1) : "—";
    const infer = `${format(r.infer.median)} (best ${format(r.infer.best)})`;
    const inferRate = ((flops.forward * BATCH) / 1e6 / r.infer.median).toFixed(1);
    console.log(
      `  ${r.detail.padEnd(28)} ${r.variant.padEnd(6)} ${first.padStart(7)} ${train.padStart(20)} ${trainCpu.padStart(7)} ${trainRate.padStart(8)} ${infer.padStart(20)} ${inferRate.padStart(8)}`,
    );
    if (r.note) console.log(`    ${r.backend}: ${r.note}`);
  }
  console.log(
    `  (first: the first training step alone; then the steady state: median of ${steps} timed steps after 2 warm-up steps; GFLOP/s from the median; cpu ms: processor time of all threads per step)`,
  );
  console.log("  ops: tf.conv2d + bias add, tf.moments + tf.batchNorm, tf.relu");
  console.log(
    "  fused: tf.fused.conv2d with bias (but the first layer), runtime/ops batchNormTraining with the relu fused (what simc train runs: runtime/kernels.ts)",
  );
  await comparePeer(rows, steps);
}

/** The MNIST row simc train corresponds to: the fused build on the default backend. */
function simcRow(rows: Row[]): Row | undefined {
  return rows.find((r) => r.backend === "wasm" && r.variant === "fused" && r.train) ?? rows.find((r) => r.variant === "fused" && r.train);
}

/**
 * simc beside PyTorch on the same machine in the same run: the MNIST SIM at batch 128 (the
 * fused row above) and the RFF-only image-regression SIM's full-batch step.
 */
async function comparePeer(rows: Row[], steps: number): Promise<void> {
  const threads = wantedWasmThreads();
  const peer = runTorchPeer(threads, steps);
  const mnist = simcRow(rows);
  await initBackend(mnist?.backend ?? "wasm");
  const loop = await timeSimcTrainStep(BATCH, Math.max(steps, 20));
  let imageProfile: string | undefined;
  const image = await timeRffOnly(
    IMAGE_PIXELS,
    IMAGE_STEPS,
    process.env.SIMC_BENCH_PROFILE === "1"
      ? async (step) => {
          imageProfile = await profileKernels(step, true);
        }
      : undefined,
  );
  if (imageProfile) {
    console.log(`\n  per-kernel times of one RFF-only full-batch step on ${mnist?.detail ?? "wasm"}:\n${imageProfile}`);
  }
  console.log(`\n  simc beside PyTorch (same machine, same run; load average now ${loadavg()[0].toFixed(2)}):`);
  if (!peer.ok) {
    console.log(`  PyTorch peer not run: ${peer.reason}`);
    console.log("  to compare, install it: apt-get install python3-torch libopenblas0-pthread");
  } else {
    console.log(`  PyTorch ${peer.result.torch}, ${peer.result.threads} threads, BLAS: ${peer.result.blas}`);
  }
  console.log(`  ${"model".padEnd(44)} ${"simc first".padStart(11)} ${"simc step".padStart(10)} ${"torch first".padStart(12)} ${"torch step".padStart(11)} ${"ratio".padStart(6)}`);
  const line = (what: string, simc: Timing | undefined, torch: PeerTiming | undefined) => {
    const ratio = simc && torch ? (simc.median / torch.median_ms).toFixed(2) : "—";
    console.log(
      `  ${what.padEnd(44)} ${(simc ? format(simc.first) : "—").padStart(11)} ${(simc ? format(simc.median) : "—").padStart(10)} ${(torch ? format(torch.first_ms) : "—").padStart(12)} ${(torch ? format(torch.median_ms) : "—").padStart(11)} ${ratio.padStart(6)}`,
    );
  };
  const result = peer.ok ? peer.result : undefined;
  line(`MNIST single-tier SIM, batch ${BATCH} (ms)`, mnist?.train, result?.mnist_sim_batch128);
  line(`  the same, simc train on ${MNIST_SPEC}`, { ...loop, best: loop.median, cpu: 0 }, result?.mnist_sim_batch128);
  line(`RFF-only SIM, full batch of ${IMAGE_PIXELS.toLocaleString("en-US")} pixels (ms)`, image, result?.rff_only_full_batch);
  console.log(
    `  (ratio: simc's steady-state step over PyTorch's; ≤ 1 means simc is as fast or faster; simc on ${mnist?.detail ?? "wasm"}; ` +
      `"simc train": the compiled spec through the training loop with its checks, median of ${loop.steps - 1} steps after the first, on the bundled digits)`,
  );
}
