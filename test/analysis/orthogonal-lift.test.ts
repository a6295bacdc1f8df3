import * as tf from "../../runtime/tf.js";
import { Matrix } from "ml-matrix";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { liftReport } from "../../analysis/lift.js";
import { loadModel } from "../../api/load-model.js";
import { initBackend } from "../../runtime/backend/index.js";
import { createExecutor } from "../../runtime/executor.js";
import { householderBasis } from "../../runtime/kernels.js";

beforeAll(async () => {
  await initBackend("cpu");
});

function load(source: string, target?: "sim" | "deq") {
  const file = join(mkdtempSync(join(tmpdir(), "simc-lift-")), "p.sim");
  writeFileSync(file, source);
  return loadModel(file, target ? { target } : {});
}

describe("koopman(projection: orthogonal)", () => {
  it("builds an orthonormal Q from any V, so that Q·Qᵀ is a rank-r projection, and gradients reach V", () => {
    const v = tf.randomNormal([7, 3], 0, 1, "float32", 5) as tf.Tensor2D;
    const q = new Matrix(householderBasis(v).arraySync());
    const gram = q.transpose().mmul(q);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(gram.get(i, j)).toBeCloseTo(i === j ? 1 : 0, 5);
    const report = liftReport("C·B", q, q.transpose());
    expect(report.projectionDistance).toBeLessThan(1e-5);
    expect(report.numericalRank).toBe(3);
    const grad = tf.grad((w: tf.Tensor) => householderBasis(w as tf.Tensor2D).slice([0, 0], [7, 1]).sum())(v);
    expect(Math.max(...(grad.abs().dataSync() as Float32Array))).toBeGreaterThan(0);
  });

  it("lowers to one projection node with m·r parameters and runs it", () => {
    const spec = `
      model p {
        input: [6]
        task: classify(classes: 2)
        basis { dense(units: 8) }
        lift: koopman(m: 8, r: 3, projection: orthogonal)
        surrogate { dense(units: 4) }
        head { dense(units: 2) }
      }`;
    const loaded = load(spec, "sim");
    expect(loaded.ok, JSON.stringify(loaded.diagnostics)).toBe(true);
    if (!loaded.ok) return;
    const node = loaded.module.graph.nodes.find((n) => n.op === "projection");
    expect(node).toMatchObject({ id: "lift.P", attrs: { kind: "orthogonal", rank: 3 }, params: ["lift.V"] });
    expect(loaded.module.params.find((p) => p.name === "lift.V")?.shape).toEqual([8, 3]);
    expect(loaded.module.params.some((p) => p.name === "lift.B")).toBe(false);
    // The checker's totals and the lowered parameters agree: 6·8+8, 8·3, 8·4+4, 4·2+2.
    expect(loaded.module.trainableParams).toBe(56 + 24 + 36 + 10);
    const executor = createExecutor(loaded.module);
    const x = tf.randomNormal([5, 6], 0, 1, "float32", 2);
    const y = executor.forward(x, { training: false }).output;
    expect(y.shape).toEqual([5, 2]);
    executor.dispose();
  });

  it("rejects an unknown projection with the allowed values", () => {
    const loaded = load(`model p { input: [6] task: classify(classes: 2) basis { dense(units: 8) } lift: koopman(m: 8, r: 3, projection: oblique) surrogate { dense(units: 4) } head { dense(units: 2) } }`);
    expect(loaded.ok).toBe(false);
    expect(loaded.diagnostics.map((d) => [d.code, d.hint])).toContainEqual(["SIM2012", "koopman(projection) is one of free | orthogonal"]);
  });
});
