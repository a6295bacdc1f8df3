/**
 * The cells and solver settings the shipped specs do not cover, through the ONNX Loop: a conv
 * pcDEQ (its kernel read off the runtime's operator), a pcDEQ-2 (relu injection by default), a
 * weight-normed dense cell under damped Picard, an ℓ∞ cell with a fixed averaged step, a dense
 * monotone cell, and a derived cell whose sub-graph becomes the loop body. Outputs and iteration counts equal simc's.
 */
import * as tf from "../../runtime/tf.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { ImplicitAttrs, IRModule } from "../../ir/types.js";
import { exportSource } from "../../export/source.js";
import { onnxModel } from "../../export/onnx/index.js";
import { loadModel } from "../../api/load-model.js";
import { expectClose, moduleOf, onnxRun, realExamples, simcForward } from "./helpers.js";

const FIXTURE = "test/fixtures/export/cells.sim";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function fixture(model: string): IRModule {
  const loaded = loadModel(FIXTURE, { model, target: "deq", seed: 7 });
  if (!loaded.ok) throw new Error(`${model}: ${loaded.message ?? loaded.diagnostics.map((d) => d.message).join("; ")}`);
  return loaded.module;
}

/** A seeded input batch in [0, 1). */
function inputs(module: IRModule, count: number): Float32Array {
  const size = module.input.shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: count * size }, (_, i) => (((Math.sin(i * 12.9898 + 1) * 43758.5453) % 1) + 1) % 1);
}

async function expectSameAsSimc(module: IRModule, x: Float32Array, count: number): Promise<number> {
  const source = exportSource(module, undefined, 7);
  try {
    const expected = simcForward(source, x, count);
    const outputs = await onnxRun(onnxModel(source, { softmax: false, metadata: {}, producerVersion: "test" }), x, [count, ...module.input.shape]);
    expectClose(outputs.output.data as Float32Array, expected.output);
    const node = module.graph.nodes.find((n) => n.op === "implicit");
    if (!node) throw new Error("no implicit node");
    const steps = Number((outputs[`steps:${node.id}`].data as BigInt64Array)[0]);
    expect(steps).toBe(expected.steps[0]);
    return steps;
  } finally {
    source.dispose();
  }
}

describe("ONNX Loop export of other cells and solvers", () => {
  it.each(["conv_pcdeq", "pcdeq_two", "dense_weightnorm", "linf_fixed_alpha", "monotone_dense"])("%s", async (model) => {
    const module = fixture(model);
    const steps = await expectSameAsSimc(module, inputs(module, 5), 5);
    expect(steps).toBeGreaterThan(2);
  });

  it("exports a derived cell's body as the loop body (image regression, damped Picard)", async () => {
    const spec = "specs/image-regression/sim-single.sim";
    const module = moduleOf(spec, "deq");
    const node = module.graph.nodes.find((n) => n.op === "implicit");
    if (!node?.body) throw new Error("expected a derived cell");
    const attrs = node.attrs as unknown as ImplicitAttrs;
    attrs.solver = { name: "picard", settings: { damping: 0.5, tol: 1e-4, max_iter: 30 } };
    const steps = await expectSameAsSimc(module, await realExamples(module, spec, 16), 16);
    expect(steps).toBeLessThanOrEqual(30);
  });
});
