/**
 * A model's cell as a dynamical system: z_{t+1} = f(z_t, x) from z_0 = 0, plain iteration
 * (the dynamics of the paper's Eq. 1, not the accelerated solver; optionally averaged), for T steps, one trajectory
 * per input. For a SIM compiled to the DEQ target the cell is its derived cell ϕ(K·(ψ(x) + A z)).
 * Trajectories that leave every bounded set are cut where the first state stops being finite
 * (or exceeds `LIMIT`), for every sample alike, so that the pairs stay comparable.
 */
import * as tf from "../runtime/tf.js";
import type { ImplicitAttrs } from "../ir/types.js";
import { buildCell, type BoundCell } from "../runtime/deq/index.js";
import type { Executor } from "../runtime/executor.js";
import { localParams } from "../runtime/implicit-node.js";
import { safeAlpha } from "../runtime/deq/solvers/averaged.js";
import type { Trajectories } from "./spectrum.js";

/**
 * z_{t+1} = (1 − α)·z_t + α·f(z_t, x): α = 1 is plain iteration; `auto` takes an ℓ∞ cell's
 * α* = 1/(1 − min_i min(a_ii, 0)) (the averaged iteration its well-posedness is stated for), 1 otherwise.
 */
export type Damping = number | "auto";

export interface IteratedTrajectories extends Trajectories {
  /** The α the states were iterated with. */
  alpha: number;
  /** Steps asked for; `steps` is smaller when the states blew up. */
  requestedSteps: number;
  /** Seconds spent iterating. */
  seconds: number;
}

/** States beyond this magnitude count as diverged. */
const LIMIT = 1e12;

/**
 * Up to `requested` steps of a bound cell from z_0 = 0 for a batch of `n`: states row-major
 * `[n][steps + 1][dim]`, `steps` fewer than requested when they stopped being finite and bounded.
 * States are read asynchronously: the webgpu backend has no synchronous read under Node.
 */
export async function iterateBound(
  bound: BoundCell,
  stateShape: readonly number[],
  n: number,
  requested: number,
  alpha = 1,
): Promise<{ states: Float32Array; steps: number }> {
  const dim = stateShape.reduce((a, b) => a * b, 1);
  const states = new Float32Array(n * (requested + 1) * dim);
  let z: tf.Tensor = tf.zeros([n, ...stateShape]);
  let steps = requested;
  try {
    for (let t = 1; t <= requested; t++) {
      const next = tf.tidy(() => (alpha === 1 ? bound.f(z) : tf.add(tf.mul(1 - alpha, z), tf.mul(alpha, bound.f(z)))));
      z.dispose();
      z = next;
      const values = (await z.data()) as Float32Array;
      if (!values.every((v) => Number.isFinite(v) && Math.abs(v) < LIMIT)) {
        steps = t - 1;
        break;
      }
      for (let s = 0; s < n; s++) states.set(values.subarray(s * dim, (s + 1) * dim), (s * (requested + 1) + t) * dim);
    }
  } finally {
    z.dispose();
  }
  if (steps === requested) return { states, steps };
  const kept = new Float32Array(n * (steps + 1) * dim);
  for (let s = 0; s < n; s++) kept.set(states.subarray(s * (requested + 1) * dim, (s * (requested + 1) + steps + 1) * dim), s * (steps + 1) * dim);
  return { states: kept, steps };
}

/** `x` holds `count` inputs of `inputShape`, row-major. The executor runs in evaluation mode. */
export async function iterateCell(
  executor: Executor,
  x: Float32Array,
  inputShape: readonly number[],
  count: number,
  steps: number,
  damping: Damping = 1,
  batchSize = 256,
): Promise<IteratedTrajectories | undefined> {
  const started = performance.now();
  const inputSize = inputShape.reduce((a, b) => a * b, 1);
  let stateDim = 0;
  let inputDim = 0;
  let states: Float32Array | undefined;
  let inputs: Float32Array | undefined;
  let good = steps;
  let alpha = 1;
  for (let from = 0; from < count; from += batchSize) {
    const n = Math.min(batchSize, count - from);
    const batch = tf.tensor(x.subarray(from * inputSize, (from + n) * inputSize), [n, ...inputShape]);
    const found = executor.implicitInputs(batch);
    batch.dispose();
    if (!found) return undefined;
    try {
      const attrs = found.node.attrs as unknown as ImplicitAttrs;
      const label = found.node.loc ? `${found.node.id} (${found.node.loc.file}:${found.node.loc.line}:${found.node.loc.column})` : found.node.id;
      const injectionShape = found.inputs[0].shape.slice(1);
      const { cell, stateShape } = buildCell(label, attrs, localParams(found.node, executor.variable), injectionShape, found.body);
      if (!states || !inputs) {
        stateDim = stateShape.reduce((a, b) => a * b, 1);
        inputDim = injectionShape.reduce((a, b) => a * b, 1);
        states = new Float32Array(count * (steps + 1) * stateDim);
        inputs = new Float32Array(count * inputDim);
      }
      inputs.set((await found.inputs[0].data()) as Float32Array, from * inputDim);
      cell.prepare(false);
      const bound = cell.bind(found.inputs);
      alpha = damping === "auto" ? (safeAlpha(bound.structure) ?? 1) : damping;
      const batchStates = await iterateBound(bound, stateShape, n, Math.min(steps, good), alpha);
      good = Math.min(good, batchStates.steps);
      for (let s = 0; s < n; s++) {
        for (let t = 0; t <= batchStates.steps; t++) {
          const source = (s * (batchStates.steps + 1) + t) * stateDim;
          states.set(batchStates.states.subarray(source, source + stateDim), ((from + s) * (steps + 1) + t) * stateDim);
        }
      }
    } finally {
      found.inputs.forEach((t) => t.dispose());
    }
  }
  if (!states || !inputs) return undefined;
  if (good < steps) {
    // Keep z_0 … z_good of every trajectory.
    const kept = new Float32Array(count * (good + 1) * stateDim);
    for (let s = 0; s < count; s++) {
      kept.set(states.subarray(s * (steps + 1) * stateDim, (s * (steps + 1) + good + 1) * stateDim), s * (good + 1) * stateDim);
    }
    states = kept;
  }
  return { count, steps: good, requestedSteps: steps, stateDim, states, inputDim, inputs, alpha, seconds: (performance.now() - started) / 1000 };
}
