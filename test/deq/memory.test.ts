import * as tf from "../../runtime/tf.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { CellFamily } from "../../compiler/checked-model.js";
import type { ImplicitAttrs } from "../../ir/types.js";
import { projectParams } from "../../runtime/deq/cells/index.js";
import { SolverError } from "../../runtime/deq/errors.js";
import { runImplicit } from "../../runtime/deq/implicit.js";
import { cellVariables, disposeAll, implicitAttrs, normal, useCpu } from "./helpers.js";

beforeAll(useCpu);

type Params = Record<string, tf.Variable>;

/** One training step as a trainer runs it: forward, loss (+ penalty), gradients, apply, dispose. */
function step(attrs: ImplicitAttrs, params: Params, x: tf.Tensor, optimizer: tf.Optimizer, body?: (z: tf.Tensor, i: tf.Tensor[]) => tf.Tensor) {
  const vars = Object.values(params).filter((v) => v.trainable);
  const { value, grads } = tf.variableGrads(() => {
    const r = runImplicit({ label: "mem", attrs, inputs: [x], params, body, training: true });
    const loss = r.output.square().mean();
    return (r.regularizer ? loss.add(r.regularizer) : loss) as tf.Scalar;
  }, vars);
  optimizer.applyGradients(grads);
  projectParams(attrs.cell, params);
  value.dispose();
  tf.dispose(Object.values(grads));
  const evaluation = runImplicit({ label: "mem", attrs, inputs: [x], params, body, training: false });
  evaluation.output.dispose();
}

function expectFlat(run: () => void): void {
  run(); // optimizer slots are created on the first step
  const before = tf.memory().numTensors;
  for (let k = 0; k < 4; k++) run();
  expect(tf.memory().numTensors).toBe(before);
}

describe("no tensor leaks across repeated forward + backward", () => {
  const configs: { name: string; family: CellFamily; layout: Parameters<typeof cellVariables>[1]; args: Record<string, string | number>; injection: number[]; solver: string; settings?: Record<string, number | string>; backward?: string; backwardSettings?: Record<string, number | string>; scales?: Record<string, number> }[] = [
    { name: "dense + anderson + implicit(anderson), spectral norm, jac_reg", family: "dense", layout: { kind: "dense", units: 5, norm: "spectral" }, args: { units: 5, activation: "tanh", norm: "spectral", jac_reg: 0.1 }, injection: [3], solver: "anderson" },
    { name: "dense + broyden + implicit(broyden)", family: "dense", layout: { kind: "dense", units: 5 }, args: { units: 5, activation: "tanh" }, injection: [3], solver: "broyden", backwardSettings: { solver: "broyden" } },
    { name: "conv + picard + phantom", family: "conv", layout: { kind: "conv", channels: 2, kernel: 3 }, args: { channels: 2, kernel: 3, activation: "tanh" }, injection: [4, 4, 1], solver: "picard", backward: "phantom", scales: { W: 0.1 } },
    { name: "monotone dense + peaceman_rachford (splitting backward)", family: "monotone", layout: { kind: "dense", units: 5 }, args: { kind: "dense", units: 5, m: 0.5 }, injection: [3], solver: "peaceman_rachford", scales: { A: 1, B: 1 } },
    { name: "monotone conv + peaceman_rachford (Fourier resolvent)", family: "monotone", layout: { kind: "conv", channels: 2, kernel: 3 }, args: { kind: "conv", channels: 2, kernel: 3, m: 0.5 }, injection: [4, 4, 1], solver: "peaceman_rachford" },
    { name: "monotone dense + forward_backward", family: "monotone", layout: { kind: "dense", units: 5 }, args: { kind: "dense", units: 5, m: 1 }, injection: [3], solver: "forward_backward", settings: { alpha: 0.2 } },
    { name: "pcdeq + picard + one_step", family: "pcdeq", layout: { kind: "dense", units: 5 }, args: { kind: "dense", units: 5, activation: "sigmoid", injection: "relu", beta: 5 }, injection: [3], solver: "picard", backward: "one_step", scales: { W: 0.05 } },
    { name: "linf + averaged + lipschitz_reg", family: "linf", layout: { kind: "dense", units: 5 }, args: { units: 5, m: 0.9, lipschitz_reg: 0.1 }, injection: [3], solver: "averaged" },
    { name: "dense + unrolled", family: "dense", layout: { kind: "dense", units: 5 }, args: { units: 5, activation: "tanh" }, injection: [3], solver: "anderson", backward: "unrolled", backwardSettings: { steps: 10 } },
  ];
  for (const c of configs) {
    it(c.name, () => {
      const { params, stateShape } = cellVariables(c.family, c.layout, c.injection, 120, { W: 0.2, ...c.scales });
      const attrs = implicitAttrs(c.family, c.args, stateShape, c.solver, c.settings ?? {}, c.backward ?? "implicit", c.backwardSettings ?? {});
      const x = normal([3, ...c.injection], 121);
      const optimizer = tf.train.adam(1e-3);
      expectFlat(() => step(attrs, params, x, optimizer));
      optimizer.dispose();
      x.dispose();
      disposeAll(params);
    });
  }

  it("derived body with broyden forward and autodiff backward", () => {
    const k = tf.variable(normal([4, 4], 130, 0.3), true, "mem_K");
    const a = tf.variable(normal([4, 4], 131, 0.3), true, "mem_A");
    const params = { K: k, A: a };
    const body = (z: tf.Tensor, i: tf.Tensor[]) => tf.tanh(i[0].add(z.matMul(a)).matMul(k));
    const attrs = implicitAttrs("derived", {}, [4], "broyden");
    const x = normal([3, 4], 132);
    const optimizer = tf.train.sgd(1e-3);
    expectFlat(() => step(attrs, params, x, optimizer, body));
    tf.dispose([x, k, a]);
  });

  it("outputs are ordinary tensors: a tf.tidy around evaluation or training releases them", () => {
    const { params, stateShape } = cellVariables("dense", { kind: "dense", units: 5 }, [3], 140, { W: 0.2 });
    const x = normal([3, 3], 141);
    for (const solver of ["picard", "anderson", "broyden"]) {
      const attrs = implicitAttrs("dense", { units: 5, activation: "tanh" }, stateShape, solver);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        runImplicit({ label: "tidy", attrs, inputs: [x], params, training: false });
        runImplicit({ label: "tidy", attrs, inputs: [x], params, training: true });
      });
      expect(tf.memory().numTensors).toBe(before);
    }
    x.dispose();
    disposeAll(params);
  });

  it("a failing solve releases everything it allocated", () => {
    const body = (z: tf.Tensor) => z.mul(2).add(1);
    const attrs = implicitAttrs("derived", {}, [3], "anderson", { max_iter: 30 });
    const x = tf.ones([2, 3]);
    const fail = () => {
      // Anderson solves this linear map; picard cannot and must throw.
      expect(() => runImplicit({ label: "fail", attrs: { ...attrs, solver: { name: "picard", settings: {} } }, inputs: [x], params: {}, body, training: false })).toThrow(SolverError);
    };
    expectFlat(fail);
    x.dispose();
  });
});
