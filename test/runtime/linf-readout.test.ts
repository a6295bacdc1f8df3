import * as tf from "../../runtime/tf.js";
import { describe, expect, it } from "vitest";
import { checkSource } from "../../compiler/check.js";
import { lowerModel } from "../../compiler/lower/index.js";
import { createExecutor } from "../../runtime/executor.js";

const SPEC = `model l {
  input: [6]
  task: classify(classes: 3)
  deq { cell: linf(units: 5, lipschitz_reg: 1.0) }
  head {
    batchnorm()
    dense(units: 3)
  }
}
`;

describe("the ℓ∞ Lipschitz regulariser reads the head as it is", () => {
  it("folds a leading batch norm's scale γ/√(var + ε) into the readout C", () => {
    const checked = checkSource(SPEC, "l.sim");
    const module = lowerModel(checked.models[0], "deq", { seed: 1 }).module!;
    const executor = createExecutor(module, { seed: 0 });
    try {
      const variance = executor.parameters.find((p) => p.param.name.endsWith("movingVariance") || p.param.name.endsWith(".var") || /variance/i.test(p.param.name));
      expect(variance, executor.parameters.map((p) => p.param.name).join(", ")).toBeDefined();
      const x = tf.randomNormal([4, 6], 0, 1, "float32", 3);
      const bound = (v: number) => {
        variance!.variable.assign(tf.fill(variance!.variable.shape, v));
        return tf.tidy(() => executor.forward(x, { training: true, updateStatistics: false }).regularizer!.dataSync()[0]);
      };
      const wide = bound(4);
      const narrow = bound(0.25);
      // Every row of C scales by 1/√var: the bound grows four-fold from var 4 to var 0.25.
      expect(narrow / wide).toBeCloseTo(4, 2);
    } finally {
      executor.dispose();
    }
  });
});
