/**
 * Golden snapshots of the IR of specs/mnist/sim-single.sim for both targets. A change to
 * lowering that alters them must be intended: regenerate with
 *   UPDATE_GOLDEN=1 npx vitest run test/golden
 * and review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkEntry } from "../../compiler/check.js";
import { serializeIR } from "../../ir/serialize.js";
import { lowerModel } from "../../compiler/lower/index.js";

const SPEC = "specs/mnist/sim-single.sim";
const GOLDEN_DIR = join("test", "golden");
const update = process.env.UPDATE_GOLDEN === "1";

describe(`golden IR of ${SPEC}`, () => {
  const checked = checkEntry(SPEC);

  it("checks cleanly", () => {
    expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(checked.models).toHaveLength(1);
  });

  for (const target of ["sim", "deq"] as const) {
    it(`${target} target matches ${target}.golden.json`, () => {
      const model = checked.models[0];
      const lowered = lowerModel(model, target, { seed: model.train.seed });
      expect(lowered.diagnostics).toEqual([]);
      const text = serializeIR(lowered.module!);
      const path = join(GOLDEN_DIR, `mnist-sim-single.${target}.golden.json`);
      if (update || !existsSync(path)) {
        if (!update) throw new Error(`${path} is missing; create it with UPDATE_GOLDEN=1 npx vitest run test/golden`);
        writeFileSync(path, text);
      }
      expect(text).toBe(readFileSync(path, "utf8"));
    });
  }
});
