/**
 * Elementwise activations of the DEQ cells, each with its derivative (the analytic Jacobian
 * products and the Jacobian regulariser need σ′ at the pre-activation).
 */
import * as tf from "../tf.js";
import type { CellActivationName } from "../../vocabulary/activations.js";
import type { Activation } from "./types.js";

function make(name: string, apply: (x: tf.Tensor) => tf.Tensor, derivative: (x: tf.Tensor) => tf.Tensor): Activation {
  return { name, apply, derivative };
}

/** softplus with sharpness β: (1/β)·log(1 + exp(βx)); its slope is sigmoid(βx). */
export function softplusActivation(beta: number): Activation {
  return make(
    "softplus",
    (x) => tf.tidy(() => tf.softplus(x.mul(beta)).div(beta)),
    (x) => tf.tidy(() => tf.sigmoid(x.mul(beta))),
  );
}

/** Every σ the vocabulary offers a cell, softplus (which takes β) aside. */
const TABLE: Record<Exclude<CellActivationName, "softplus">, Activation> = {
  relu: make("relu", (x) => tf.relu(x), (x) => tf.step(x, 0)),
  tanh: make("tanh", (x) => tf.tanh(x), (x) => tf.tidy(() => tf.scalar(1).sub(tf.tanh(x).square()))),
  sigmoid: make(
    "sigmoid",
    (x) => tf.sigmoid(x),
    (x) =>
      tf.tidy(() => {
        const s = tf.sigmoid(x);
        return s.mul(tf.scalar(1).sub(s));
      }),
  ),
  softsign: make(
    "softsign",
    (x) => tf.tidy(() => x.div(x.abs().add(1))),
    (x) => tf.tidy(() => tf.scalar(1).div(x.abs().add(1).square())),
  ),
  relu6: make(
    "relu6",
    (x) => tf.relu6(x),
    (x) => tf.tidy(() => tf.logicalAnd(x.greater(0), x.less(6)).cast("float32")),
  ),
  leaky_relu: make(
    "leaky_relu",
    (x) => tf.leakyRelu(x, 0.01),
    (x) => tf.step(x, 0.01),
  ),
  elu: make(
    "elu",
    (x) => tf.elu(x),
    (x) => tf.tidy(() => tf.where(x.greater(0), tf.onesLike(x), tf.exp(x))),
  ),
  identity: make("identity", (x) => x.clone(), (x) => tf.onesLike(x)),
};

export const ACTIVATION_NAMES = [...Object.keys(TABLE), "softplus"];

/** The activation called `name`; `beta` is softplus's sharpness. Undefined for unknown names. */
export function activationByName(name: string, beta = 1): Activation | undefined {
  if (name === "softplus") return softplusActivation(beta);
  return Object.prototype.hasOwnProperty.call(TABLE, name) ? TABLE[name as keyof typeof TABLE] : undefined;
}

/** Multiplication by a fixed mask (the linearisation of relu at a point), as an activation. */
export function maskActivation(mask: tf.Tensor): Activation {
  return make("mask", (x) => x.mul(mask), () => mask.clone());
}
