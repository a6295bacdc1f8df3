/**
 * Control over tfjs's gradient tape, which the DEQ runtime needs in two places:
 * - the forward solve must not be recorded (dozens of iterations would be kept for nothing);
 * - the backward pass computes vector–Jacobian products with `tf.grads`-style calls *inside* a
 *   custom gradient. tfjs keeps a single active tape, and a gradient call made while another
 *   gradient call is back-propagating replaces that tape and clears it when done, which breaks
 *   the outer call. `isolatedTape` gives the inner call a tape of its own and puts the outer
 *   one back.
 */
import * as tf from "../tf.js";

/**
 * Runs `fn` so that nothing it does is recorded on the gradient tape: the result is a constant
 * for every enclosing gradient computation (a stop-gradient). Ops run inside a custom op are
 * never taped, and a custom op with no inputs is connected to nothing.
 */
export function untaped(fn: () => tf.Tensor): tf.Tensor {
  const op = tf.customGrad(() => ({ value: fn(), gradFunc: () => [] }));
  return op();
}

/** Runs `fn` for its side effects (e.g. updating a buffer variable) without recording anything. */
export function withoutTape(fn: () => void): void {
  untaped(() => {
    fn();
    return tf.scalar(0);
  }).dispose();
}

/** Runs `fn` with a fresh, private gradient tape, restoring the caller's tape afterwards. */
export function isolatedTape<T>(fn: () => T): T {
  const state = tf.engine().state;
  const tape = state.activeTape;
  const depth = state.gradientDepth;
  state.gradientDepth = 0;
  try {
    return fn();
  } finally {
    state.activeTape = tape;
    state.gradientDepth = depth;
  }
}

/**
 * Vector–Jacobian product: the gradients of ⟨fn(), dy⟩ with respect to each of `xs`, as
 * tensors of their shapes (zeros where `fn` does not depend on an x). Safe to call from a
 * custom gradient function.
 */
export function vjp(fn: () => tf.Tensor, xs: tf.Tensor[], dy: tf.Tensor): tf.Tensor[] {
  return isolatedTape(() => {
    const { value, grads } = tf.engine().gradients(fn, xs, dy, true);
    value.dispose();
    return xs.map((x, i) => grads[i] ?? tf.zerosLike(x));
  });
}
