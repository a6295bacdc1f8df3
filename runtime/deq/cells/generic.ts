/**
 * Generic dense/conv cells: f(z, x) = σ(W z + U x + b), with optional weight norm
 * (W = g · v/‖v‖ per output unit) or spectral norm (W / σ̂, σ̂ = ‖W û‖ with û refined by one
 * power iteration per training forward and stored in the `W.u` buffer; for conv kernels this
 * is the norm of the kernel reshaped to [k·k·cin, cout], as in common spectral-norm layers),
 * and an optional Jacobian penalty `jac_reg`·‖J‖²_F/d estimated with one Hutchinson probe:
 * E‖J ε‖² = ‖J‖²_F for ε ~ N(0, I), averaged over the batch and divided by the state size d.
 */
import * as tf from "../../tf.js";
import { ACTIVATION_NAMES, activationByName } from "../activations.js";
import { DeqConfigError } from "../errors.js";
import type { LinearOperator, StructuredMap } from "../types.js";
import { convSame, convSameT } from "./conv-ops.js";
import { affineInjection } from "./injection.js";
import { numberArg, stringArg, type CellArgs, type CellParams } from "./params.js";
import { boundFromStructure, jvpAt } from "./structured.js";
import type { CellDefinition } from "./types.js";

export function denseOperator(w: tf.Tensor): LinearOperator {
  return {
    apply: (z) => tf.matMul(z as tf.Tensor2D, w as tf.Tensor2D),
    applyT: (y) => tf.matMul(y as tf.Tensor2D, w as tf.Tensor2D, false, true),
  };
}

export function convOperator(kernel: tf.Tensor): LinearOperator {
  return { apply: (z) => convSame(z, kernel), applyT: (y) => convSameT(y, kernel) };
}

function unit(v: tf.Tensor): tf.Tensor {
  return v.div(v.norm().add(1e-12));
}

export function genericCell(
  label: string,
  family: "dense" | "conv",
  args: CellArgs,
  p: CellParams,
): CellDefinition {
  const activationName = stringArg(label, family, args, "activation", ACTIVATION_NAMES, "relu");
  const activation = activationByName(activationName)!;
  const norm = stringArg(label, family, args, "norm", ["none", "weight", "spectral"], "none");
  const jacReg = numberArg(label, family, args, "jac_reg", 0);
  if (jacReg < 0) throw new DeqConfigError(label, `cell ${family} setting "jac_reg" must be ≥ 0, got ${jacReg}`);

  /** W as a matrix [rows, out] (conv kernels flattened over space and input channels). */
  const asMatrix = (w: tf.Tensor) => w.reshape([-1, w.shape[w.shape.length - 1]]) as tf.Tensor2D;

  const effectiveWeight = (): tf.Tensor =>
    tf.tidy(() => {
      if (norm === "weight") {
        const v = p.get("W.v");
        const axes = v.shape.slice(0, -1).map((_, i) => i);
        return v.mul(p.get("W.g")).div(v.square().sum(axes, true).sqrt().add(1e-12));
      }
      const w = p.get("W");
      if (norm === "spectral") {
        const u = unit(p.get("W.u"));
        const sigma = tf.matMul(asMatrix(w), u.expandDims(1)).norm();
        return w.div(sigma.add(1e-12));
      }
      return w.clone();
    });

  const structureFor = (inputs: tf.Tensor[]): StructuredMap => {
    const w = effectiveWeight();
    return {
      linear: family === "dense" ? denseOperator(w) : convOperator(w),
      injection: affineInjection(family, inputs[0], p),
      activation,
    };
  };

  return {
    family,
    prepare(training) {
      if (norm !== "spectral" || !training) return;
      // One power iteration on the buffer: u ← normalize(Mᵀ normalize(M u)).
      tf.tidy(() => {
        const m = asMatrix(p.get("W"));
        const u = unit(p.get("W.u")).expandDims(1);
        const v = unit(tf.matMul(m, u));
        p.get("W.u").assign(unit(tf.matMul(m, v, true, false)).reshape([-1]));
      });
    },
    bind: (inputs) => boundFromStructure(structureFor(inputs)),
    regularizer:
      jacReg > 0
        ? (inputs, zStar) =>
            tf.tidy(() => {
              const eps = tf.randomNormal(zStar.shape);
              const jv = jvpAt(structureFor(inputs), zStar, eps);
              return jv.square().sum().div(eps.size).mul(jacReg) as tf.Scalar;
            })
        : undefined,
  };
}
