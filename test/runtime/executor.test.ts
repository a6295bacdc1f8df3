import * as tf from "../../runtime/tf.js";
import { beforeAll, describe, expect, it } from "vitest";
import { initialValues } from "../../ir/initialize.js";
import type { IRModule } from "../../ir/types.js";
import { createExecutor, planGraph, type Executor } from "../../runtime/executor.js";
import { moduleOf, node, param } from "./ir-fixtures.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Deterministic test input values in about [-1, 1]. */
const values = (n: number, phase = 0) => Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + phase));
const get = (e: Executor, name: string) => Array.from(e.variable(name).dataSync());

function run(m: IRModule, input: number[], shape: number[], training = false, step = 0): { out: number[]; shape: number[]; e: Executor } {
  const e = createExecutor(m, { seed: 3 });
  const x = tf.tensor(input, shape);
  const y = e.forward(x, { training, step }).output;
  const out = Array.from(y.dataSync());
  const outShape = y.shape;
  y.dispose();
  x.dispose();
  return { out, shape: outShape, e };
}

function expectAllClose(actual: number[], expected: number[], digits = 4) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i], digits));
}

describe("executor: parameters", () => {
  it("initialises every parameter with initialValues and marks only trainable ones trainable", () => {
    const params = [param("w", [3, 2]), param("omega", [2, 2], undefined, "frozen"), param("mean", [2], { kind: "zeros" }, "buffer")];
    const m = moduleOf([3], [node("d", "dense", ["input"], [2], {}, ["w"])], params);
    const e = createExecutor(m);
    expect(get(e, "w")).toEqual(Array.from(initialValues(params[0])));
    expect(get(e, "omega")).toEqual(Array.from(initialValues(params[1])));
    expect(e.variable("w").trainable).toBe(true);
    expect(e.variable("omega").trainable).toBe(false);
    expect(e.variable("mean").trainable).toBe(false);
    expect(e.trainable.map((p) => p.name)).toEqual(["w"]);
    e.dispose();
  });
});

describe("executor: ops against hand computations", () => {
  it("dense on vectors and per position on sequences", () => {
    const params = [param("w", [3, 2]), param("b", [2])];
    const vec = moduleOf([3], [node("d", "dense", ["input"], [2], {}, ["w", "b"])], params);
    const input = values(6);
    const { out, e } = run(vec, input, [2, 3]);
    const w = get(e, "w");
    const b = get(e, "b");
    const expected: number[] = [];
    for (let r = 0; r < 2; r++)
      for (let j = 0; j < 2; j++) expected.push(b[j] + [0, 1, 2].reduce((s, k) => s + input[r * 3 + k] * w[k * 2 + j], 0));
    expectAllClose(out, expected);

    const seq = moduleOf([4, 3], [node("d", "dense", ["input"], [4, 2], {}, ["w", "b"])], params);
    const seqInput = values(24);
    const r2 = run(seq, seqInput, [2, 4, 3]);
    expect(r2.shape).toEqual([2, 4, 2]);
    const expectedSeq: number[] = [];
    for (let p = 0; p < 8; p++)
      for (let j = 0; j < 2; j++) expectedSeq.push(b[j] + [0, 1, 2].reduce((s, k) => s + seqInput[p * 3 + k] * w[k * 2 + j], 0));
    expectAllClose(r2.out, expectedSeq);
  });

  it("conv2d NHWC with same padding and stride", () => {
    const params = [param("k", [3, 3, 2, 3]), param("b", [3])];
    const m = moduleOf(
      [5, 5, 2],
      [node("c", "conv2d", ["input"], [3, 3, 3], { kernel: [3, 3], stride: [2, 2], dilation: [1, 1], padding: "same" }, ["k", "b"])],
      params,
    );
    const input = values(50);
    const { out, shape, e } = run(m, input, [1, 5, 5, 2]);
    expect(shape).toEqual([1, 3, 3, 3]);
    const k = get(e, "k");
    const b = get(e, "b");
    // TensorFlow SAME with stride 2 on 5: output 3, total padding 2 → 1 before.
    const expected: number[] = [];
    for (let oy = 0; oy < 3; oy++)
      for (let ox = 0; ox < 3; ox++)
        for (let co = 0; co < 3; co++) {
          let s = b[co];
          for (let ky = 0; ky < 3; ky++)
            for (let kx = 0; kx < 3; kx++)
              for (let ci = 0; ci < 2; ci++) {
                const iy = oy * 2 + ky - 1;
                const ix = ox * 2 + kx - 1;
                if (iy < 0 || iy >= 5 || ix < 0 || ix >= 5) continue;
                s += input[(iy * 5 + ix) * 2 + ci] * k[((ky * 3 + kx) * 2 + ci) * 3 + co];
              }
          expected.push(s);
        }
    expectAllClose(out, expected);
    // Behind another node the convolution runs fused with its bias: same values.
    const behind = moduleOf(
      [5, 5, 2],
      [
        node("i", "identity", ["input"], [5, 5, 2]),
        node("c", "conv2d", ["i"], [3, 3, 3], { kernel: [3, 3], stride: [2, 2], dilation: [1, 1], padding: "same" }, ["k", "b"]),
      ],
      params,
    );
    expectAllClose(run(behind, input, [1, 5, 5, 2], true).out, expected);
  });

  it("conv1d: causal, dilated, with weight norm", () => {
    const params = [param("v", [2, 1, 2]), param("g", [2], { kind: "constant", value: 2 }), param("b", [2])];
    const m = moduleOf(
      [6, 1],
      [node("c", "conv1d", ["input"], [6, 2], { kernel: 2, stride: 1, dilation: 2, padding: "causal", weightNorm: true }, ["v", "g", "b"])],
      params,
    );
    const input = values(6);
    const { out, e } = run(m, input, [1, 6, 1]);
    const v = get(e, "v");
    const b = get(e, "b");
    const norm = [0, 1].map((co) => Math.hypot(v[0 * 2 + co], v[1 * 2 + co]));
    const w = v.map((value, i) => (2 * value) / norm[i % 2]);
    const expected: number[] = [];
    for (let t = 0; t < 6; t++)
      for (let co = 0; co < 2; co++) {
        // causal: y[t] = Σ_k w[k]·x[t − (K−1−k)·d]
        let s = b[co];
        for (let k = 0; k < 2; k++) {
          const i = t - (1 - k) * 2;
          if (i >= 0) s += input[i] * w[k * 2 + co];
        }
        expected.push(s);
      }
    expectAllClose(out, expected);
  });

  it("batchnorm: batch statistics and PyTorch running-stat updates in training, running stats in evaluation", () => {
    const params = [
      param("gamma", [2], { kind: "constant", value: 1.5 }),
      param("beta", [2], { kind: "constant", value: 0.25 }),
      param("mean", [2], { kind: "zeros" }, "buffer"),
      param("var", [2], { kind: "ones" }, "buffer"),
    ];
    const m = moduleOf(
      [2],
      [node("bn", "batchnorm", ["input"], [2], { epsilon: 1e-5, momentum: 0.1 }, ["gamma", "beta", "mean", "var"])],
      params,
    );
    const input = [1, 10, 2, 20, 4, 40, 5, 30];
    const e = createExecutor(m);
    const x = tf.tensor2d(input, [4, 2]);
    const train = Array.from(e.forward(x, { training: true }).output.dataSync());
    for (let c = 0; c < 2; c++) {
      const col = [0, 1, 2, 3].map((r) => input[r * 2 + c]);
      const mu = col.reduce((a, b) => a + b) / 4;
      const biased = col.reduce((a, v) => a + (v - mu) ** 2, 0) / 4;
      const unbiased = (biased * 4) / 3;
      col.forEach((v, r) => expect(train[r * 2 + c]).toBeCloseTo(1.5 * ((v - mu) / Math.sqrt(biased + 1e-5)) + 0.25, 4));
      expect(get(e, "mean")[c]).toBeCloseTo(0.1 * mu, 4);
      expect(get(e, "var")[c]).toBeCloseTo(0.9 + 0.1 * unbiased, 3);
    }
    const runningMean = get(e, "mean");
    const runningVar = get(e, "var");
    const evaluated = Array.from(e.forward(x, { training: false }).output.dataSync());
    evaluated.forEach((v, i) => {
      const c = i % 2;
      expect(v).toBeCloseTo(1.5 * ((input[i] - runningMean[c]) / Math.sqrt(runningVar[c] + 1e-5)) + 0.25, 3);
    });
    expect(get(e, "mean")).toEqual(runningMean); // evaluation leaves the statistics alone
  });

  it.each([false, true])("batchnorm's gradient matches finite differences (relu fused after it: %s)", (withRelu) => {
    const params = [
      param("gamma", [2]),
      param("beta", [2]),
      param("mean", [2], { kind: "zeros" }, "buffer"),
      param("var", [2], { kind: "ones" }, "buffer"),
    ];
    const bn = node("bn", "batchnorm", ["input"], [2], { epsilon: 1e-5, momentum: 0.1 }, ["gamma", "beta", "mean", "var"]);
    const m = moduleOf([2], withRelu ? [bn, node("r", "activation", ["bn"], [2], { fn: "relu" })] : [bn], params);
    const e = createExecutor(m);
    if (withRelu) {
      // training (fused) and a hand computation agree: relu of the normalised batch
      const x = [0.5, 1.5, -1, 2, 0.25, -0.75];
      const out = Array.from(e.forward(tf.tensor2d(x, [3, 2]), { training: true, updateStatistics: false }).output.dataSync());
      const gamma = get(e, "gamma");
      const beta = get(e, "beta");
      for (let c = 0; c < 2; c++) {
        const col = [0, 1, 2].map((r) => x[r * 2 + c]);
        const mu = col.reduce((a, b) => a + b) / 3;
        const v = col.reduce((a, b) => a + (b - mu) ** 2, 0) / 3;
        col.forEach((value, r) => expect(out[r * 2 + c]).toBeCloseTo(Math.max(0, (gamma[c] * (value - mu)) / Math.sqrt(v + 1e-5) + beta[c]), 4));
      }
    }
    const weights = tf.tensor2d([0.3, -1.2, 0.7, 0.1, -0.5, 0.9], [3, 2]);
    const loss = (x: tf.Tensor) =>
      tf.tidy(() => tf.sum(tf.mul(tf.square(e.forward(x, { training: true, updateStatistics: false }).output), weights)) as tf.Scalar);
    const input = [0.5, 1.5, -1, 2, 0.25, -0.75];
    const analytic = Array.from(
      tf
        .grad(loss)(tf.tensor2d(input, [3, 2]))
        .dataSync(),
    );
    const h = 1e-2;
    input.forEach((_, i) => {
      const plus = input.map((v, j) => (j === i ? v + h : v));
      const minus = input.map((v, j) => (j === i ? v - h : v));
      const numeric = (loss(tf.tensor2d(plus, [3, 2])).dataSync()[0] - loss(tf.tensor2d(minus, [3, 2])).dataSync()[0]) / (2 * h);
      expect(analytic[i]).toBeCloseTo(numeric, 2);
    });
  });

  it("activations", () => {
    const input = [-3, -0.5, 0, 0.7, 2, 7];
    const cases: [string, (x: number) => number, number?][] = [
      ["relu", (x) => Math.max(0, x)],
      ["tanh", Math.tanh],
      ["sigmoid", (x) => 1 / (1 + Math.exp(-x))],
      ["softsign", (x) => x / (1 + Math.abs(x))],
      ["relu6", (x) => Math.min(6, Math.max(0, x))],
      ["softplus", (x) => Math.log(1 + Math.exp(x))],
      ["softplus", (x) => Math.log(1 + Math.exp(5 * x)) / 5, 5],
    ];
    for (const [fn, f, beta] of cases) {
      const attrs: Record<string, string | number> = beta === undefined ? { fn } : { fn, beta };
      const m = moduleOf([6], [node("a", "activation", ["input"], [6], attrs)], []);
      expectAllClose(run(m, input, [1, 6]).out, input.map(f));
    }
  });

  it("max and average pooling in 2-D and 1-D", () => {
    const input = values(32);
    const m2 = moduleOf(
      [4, 4, 2],
      [node("p", "pool", ["input"], [2, 2, 2], { mode: "max", size: [2, 2], stride: [2, 2], padding: "valid" })],
      [],
    );
    const expected2: number[] = [];
    for (let oy = 0; oy < 2; oy++)
      for (let ox = 0; ox < 2; ox++)
        for (let c = 0; c < 2; c++) {
          const window = [0, 1].flatMap((dy) => [0, 1].map((dx) => input[((oy * 2 + dy) * 4 + ox * 2 + dx) * 2 + c]));
          expected2.push(Math.max(...window));
        }
    expectAllClose(run(m2, input, [1, 4, 4, 2]).out, expected2);

    const seq = values(12);
    const m1 = moduleOf([6, 2], [node("p", "pool", ["input"], [3, 2], { mode: "avg", size: [2], stride: [2], padding: "valid" })], []);
    const expected1: number[] = [];
    for (let t = 0; t < 3; t++) for (let c = 0; c < 2; c++) expected1.push((seq[2 * t * 2 + c] + seq[(2 * t + 1) * 2 + c]) / 2);
    const r = run(m1, seq, [1, 6, 2]);
    expect(r.shape).toEqual([1, 3, 2]);
    expectAllClose(r.out, expected1);
  });

  it("flatten, identity and add", () => {
    const m = moduleOf(
      [2, 2, 1],
      [node("f", "flatten", ["input"], [4]), node("i", "identity", ["f"], [4]), node("s", "add", ["f", "i"], [4])],
      [],
    );
    const r = run(m, [1, 2, 3, 4], [1, 2, 2, 1]);
    expect(r.shape).toEqual([1, 4]);
    expect(r.out).toEqual([2, 4, 6, 8]);
  });

  it("dropout: seeded per step in training, identity in evaluation", () => {
    const m = moduleOf([200], [node("d", "dropout", ["input"], [200], { rate: 0.5 })], []);
    const ones = Array.from({ length: 200 }, () => 1);
    const a = run(m, ones, [1, 200], true, 7).out;
    const b = run(m, ones, [1, 200], true, 7).out;
    const c = run(m, ones, [1, 200], true, 8).out;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a)).toEqual(new Set([0, 2]));
    expect(run(m, ones, [1, 200], false).out).toEqual(ones);
  });

  it("random Fourier features: cossin and cosbias", () => {
    const omega = param("omega", [2, 3], { kind: "normal", mean: 0, std: 1 }, "frozen");
    const input = [0.3, -0.8];
    const cossin = moduleOf(
      [2],
      [node("r", "rff", ["input"], [6], { features: "cossin", n: 6, scale: 1 / Math.sqrt(3) }, ["omega"])],
      [omega],
    );
    const r1 = run(cossin, input, [1, 2]);
    const w = get(r1.e, "omega");
    const proj = [0, 1, 2].map((j) => input[0] * w[j] + input[1] * w[3 + j]);
    expectAllClose(
      r1.out,
      [...proj.map(Math.cos), ...proj.map(Math.sin)].map((v) => v / Math.sqrt(3)),
    );

    const omega2 = param("omega", [2, 3], { kind: "normal", mean: 0, std: 1 }, "frozen");
    const phase = param("phase", [3], { kind: "uniform", low: 0, high: 2 * Math.PI }, "frozen");
    const cosbias = moduleOf(
      [2],
      [node("r", "rff", ["input"], [3], { features: "cosbias", n: 3, scale: 0.5 }, ["omega", "phase"])],
      [omega2, phase],
    );
    const r2 = run(cosbias, input, [1, 2]);
    const w2 = get(r2.e, "omega");
    const b2 = get(r2.e, "phase");
    expectAllClose(
      r2.out,
      [0, 1, 2].map((j) => 0.5 * Math.cos(input[0] * w2[j] + input[1] * w2[3 + j] + b2[j])),
    );
  });
});

describe("executor: graph order and implicit nodes", () => {
  it("runs nodes listed out of order in dependency order, and caches nothing wrong between calls", () => {
    const m = moduleOf([2], [node("b", "activation", ["a"], [2], { fn: "relu" }), node("a", "identity", ["input"], [2])], []);
    m.graph.outputs = ["b"];
    expect(planGraph(m.graph).order.map((n) => n.id)).toEqual(["input", "a", "b"]);
    expect(run(m, [-1, 2], [1, 2]).out).toEqual([0, 2]);
  });

  it("solves a derived implicit body to its fixed point and reports solver statistics", () => {
    // f(z, u) = tanh(z·K + u), with a small K so the map contracts.
    const K = param("deq.K", [3, 3], { kind: "normal", mean: 0, std: 0.1 });
    const body = {
      inputs: ["z", "u"],
      nodes: [
        node("z", "input", [], [3]),
        node("u", "input", [], [3]),
        node("deq.Kz", "dense", ["z"], [3], {}, ["deq.K"]),
        node("deq.sum", "add", ["deq.Kz", "u"], [3]),
        node("deq.tanh", "activation", ["deq.sum"], [3], { fn: "tanh" }),
      ],
      outputs: ["deq.tanh"],
    };
    const implicit = {
      ...node(
        "deq",
        "implicit",
        ["input"],
        [3],
        {
          cell: "derived",
          cellArgs: {},
          solver: { name: "anderson", settings: { tol: 1e-5, max_iter: 50 } },
          backward: { mode: "implicit", settings: {} },
          stateShape: [3],
        },
        ["deq.K"],
      ),
      body,
    };
    const m = moduleOf([3], [implicit], [K]);
    const e = createExecutor(m);
    const input = [0.5, -0.3, 0.9, 0.1, 0.2, -0.4];
    const x = tf.tensor2d(input, [2, 3]);
    const result = e.forward(x, { training: false });
    const z = Array.from(result.output.dataSync());
    const k = get(e, "deq.K");
    for (let r = 0; r < 2; r++)
      for (let j = 0; j < 3; j++) {
        const fz = Math.tanh([0, 1, 2].reduce((s, i) => s + z[r * 3 + i] * k[i * 3 + j], 0) + input[r * 3 + j]);
        expect(z[r * 3 + j]).toBeCloseTo(fz, 4);
      }
    expect(result.implicit).toHaveLength(1);
    expect(result.implicit[0]).toMatchObject({ node: "deq", samples: 2, notConverged: 0 });
    expect(result.implicit[0].steps).toBeGreaterThan(1);

    // training: gradients reach K through the implicit node
    const grads = tf.variableGrads(() => tf.sum(e.forward(x, { training: true }).output) as tf.Scalar, [e.variable("deq.K")]);
    expect(Math.abs(Array.from(grads.grads[e.variable("deq.K").name].dataSync()).reduce((a, b) => a + Math.abs(b), 0))).toBeGreaterThan(0);
  });
});
