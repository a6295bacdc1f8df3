/**
 * A conv monotone DEQ, written as a spec, checked, lowered and trained on real digits through
 * the executor and the trainer: Peaceman–Rachford with the Fourier-domain resolvent forward,
 * the same splitting backward. The loss falls, every sample converges, and the monotone margin
 * holds on the trained weights.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "../../runtime/tf.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../../runtime/backend/index.js";
import { loadDataset } from "../../runtime/data/index.js";
import type { Dataset } from "../../runtime/data/types.js";
import { createExecutor } from "../../runtime/executor.js";
import { loadModel } from "../../api/load-model.js";
import { resolveTrainConfig } from "../../runtime/train/config.js";
import { train } from "../../runtime/train/train.js";
import { monotoneTransfer } from "../../runtime/deq/cells/monotone-spectral.js";
import { spectralGrid } from "../../runtime/deq/fourier.js";
import { symmetricEigenvalues } from "./reference.js";

const SPEC = `
model tiny_mondeq {
  input: [28, 28, 1]
  task: classify(classes: 10)

  deq {
    cell: monotone(kind: conv, channels: 4, kernel: 3, m: 0.5)
    solver: peaceman_rachford(alpha: 1.0, tol: 1e-3, max_iter: 100)
    backward: implicit(tol: 1e-3, max_iter: 100)
  }
  head {
    avgpool(size: 4)
    flatten()
    dense(units: 10)
  }

  train {
    data: mnist
    optimizer: adam(lr: 1e-2)
    batch: 50
    epochs: 3
  }
}
`;

let dir: string;
let digits: Dataset;

beforeAll(async () => {
  // The backend users train on (the cpu backend's batched products make this a minute).
  await initBackend("wasm");
  dir = mkdtempSync(join(tmpdir(), "simc-mondeq-"));
  writeFileSync(join(dir, "tiny.sim"), SPEC);
  digits = await loadDataset("mnist", { baseDir: ".", limit: 300, seed: 0, validation: 0.1 });
  digits = { ...digits, test: { ...digits.test, count: 200, x: digits.test.x.subarray(0, 200 * 784), y: digits.test.y.subarray(0, 200) } };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("conv monotone DEQ, end to end", () => {
  it("trains on real digits with every sample converged, and keeps I − W ⪰ mI", async () => {
    const loaded = loadModel(join(dir, "tiny.sim"));
    if (!loaded.ok) throw new Error(loaded.message ?? loaded.diagnostics.map((d) => d.message).join("; "));
    const executor = createExecutor(loaded.module, { seed: 3 });
    const config = resolveTrainConfig(loaded.module.train, { seed: 3 });
    const result = await train({ executor, dataset: digits, config });
    const losses = result.history.map((r) => r.trainLoss);
    expect(losses[2]).toBeLessThan(losses[0] * 0.8);
    expect(result.test?.accuracy).toBeGreaterThan(0.5);
    for (const epoch of result.history) expect(epoch.solver?.notConverged).toBe(0);

    // The trained kernels, as the cell uses them: sym(I − W) ⪰ mI at every frequency.
    const param = (name: string) => executor.parameters.find((p) => p.name === `deq.${name}`)!.variable;
    const [a, b] = ["A", "B"].map((n) => param(n).mul(param(`${n}.scale`)).div(param(n).norm()));
    const transfer = monotoneTransfer(a, b, 0.5, spectralGrid(28, 28));
    const blocks = transfer.arraySync();
    let smallest = Infinity;
    for (const t of blocks) {
      // I − T in block form; its symmetric part's eigenvalues are those of the Hermitian part.
      const sym = t.map((row, i) => row.map((_, j) => (i === j ? 1 : 0) - (t[i][j] + t[j][i]) / 2));
      smallest = Math.min(smallest, symmetricEigenvalues(sym)[0]);
    }
    expect(smallest).toBeGreaterThanOrEqual(0.5 - 1e-4);
    executor.dispose();
  });
});
