/**
 * Optimisers with PyTorch's update rules and explicit, checkpointable state:
 * - adam: L2 weight decay added to the gradient; bias-corrected moments;
 *   p ← p − lr·m̂ / (√v̂ + ε).
 * - adamw: decoupled weight decay p ← p·(1 − lr·wd), then the Adam step.
 * - sgd: L2 weight decay; momentum buffer b ← μ·b + g; nesterov uses g + μ·b.
 * The learning rate is given per step (schedules live in `schedule.ts`).
 */
import * as tf from "../tf.js";

export type OptimizerSpec =
  | { kind: "adam" | "adamw"; lr: number; eps: number; beta1: number; beta2: number; weightDecay: number }
  | { kind: "sgd"; lr: number; momentum: number; nesterov: boolean; weightDecay: number };

export interface OptimizedVariable {
  name: string;
  variable: tf.Variable;
}

export interface Optimizer {
  readonly spec: OptimizerSpec;
  /** Updates applied so far (Adam's bias correction uses it). */
  readonly iterations: number;
  /** One update of every variable with its gradient (same order as at creation); `beta1` overrides Adam's for this step. */
  apply(grads: tf.Tensor[], lr: number, beta1?: number): void;
  /** State tensors by name, for checkpoints. */
  slots(): { name: string; variable: tf.Variable }[];
  /** Restores the step count after the slots have been loaded. */
  setIterations(iterations: number): void;
  dispose(): void;
}

function zerosLike(v: tf.Variable): tf.Variable {
  return tf.variable(tf.zerosLike(v), false);
}

export function createOptimizer(spec: OptimizerSpec, variables: readonly OptimizedVariable[]): Optimizer {
  let iterations = 0;
  const slots: { name: string; variable: tf.Variable }[] = [];
  const first: tf.Variable[] = [];
  const second: tf.Variable[] = [];
  for (const { name, variable } of variables) {
    if (spec.kind === "sgd") {
      if (spec.momentum > 0) first.push(zerosLike(variable));
      if (spec.momentum > 0) slots.push({ name: `${name}/momentum`, variable: first[first.length - 1] });
    } else {
      first.push(zerosLike(variable));
      second.push(zerosLike(variable));
      slots.push({ name: `${name}/m`, variable: first[first.length - 1] }, { name: `${name}/v`, variable: second[second.length - 1] });
    }
  }

  const adam = (grads: tf.Tensor[], lr: number, beta1: number) => {
    if (spec.kind === "sgd") return;
    const t = iterations + 1;
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - spec.beta2 ** t;
    variables.forEach(({ variable }, i) => {
      let g = grads[i];
      if (spec.kind === "adamw") {
        if (spec.weightDecay > 0) variable.assign(tf.mul(variable, 1 - lr * spec.weightDecay));
      } else if (spec.weightDecay > 0) {
        g = tf.add(g, tf.mul(variable, spec.weightDecay));
      }
      const m = tf.add(tf.mul(first[i], beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(second[i], spec.beta2), tf.mul(tf.square(g), 1 - spec.beta2));
      first[i].assign(m);
      second[i].assign(v);
      const denominator = tf.add(tf.div(tf.sqrt(v), Math.sqrt(correction2)), spec.eps);
      variable.assign(tf.sub(variable, tf.mul(tf.div(m, denominator), lr / correction1)));
    });
  };

  const sgd = (grads: tf.Tensor[], lr: number) => {
    if (spec.kind !== "sgd") return;
    variables.forEach(({ variable }, i) => {
      let g = grads[i];
      if (spec.weightDecay > 0) g = tf.add(g, tf.mul(variable, spec.weightDecay));
      if (spec.momentum > 0) {
        // The buffer starts at zero, so the first step stores g itself, as PyTorch does.
        const buffer = tf.add(tf.mul(first[i], spec.momentum), g);
        first[i].assign(buffer);
        g = spec.nesterov ? tf.add(g, tf.mul(buffer, spec.momentum)) : buffer;
      }
      variable.assign(tf.sub(variable, tf.mul(g, lr)));
    });
  };

  return {
    spec,
    get iterations() {
      return iterations;
    },
    apply(grads, lr, beta1) {
      if (grads.length !== variables.length) throw new Error(`optimizer: ${grads.length} gradients for ${variables.length} variables`);
      tf.tidy(() => (spec.kind === "sgd" ? sgd(grads, lr) : adam(grads, lr, beta1 ?? spec.beta1)));
      iterations += 1;
    },
    slots: () => slots,
    setIterations(n) {
      iterations = n;
    },
    dispose() {
      for (const slot of slots) slot.variable.dispose();
    },
  };
}
