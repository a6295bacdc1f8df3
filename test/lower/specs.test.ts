/** Every spec shipped in specs/ compiles to every target it has, and the IR is sound. */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkEntry } from "../../compiler/check.js";
import { parseIR, serializeIR } from "../../ir/serialize.js";
import { verifyIR } from "../../ir/verify.js";
import { lowerModel } from "../../compiler/lower/index.js";

function specFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? specFiles(path) : path.endsWith(".sim") ? [path] : [];
    })
    .sort();
}

const files = specFiles("specs");

describe("specs/", () => {
  it("holds the paper's models", () => {
    expect(files).toContain(join("specs", "mnist", "sim-single.sim"));
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of files) {
    it(`${file} lowers to both targets`, () => {
      const checked = checkEntry(file);
      expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(checked.models.length).toBeGreaterThan(0);
      for (const model of checked.models) {
        for (const target of ["sim", "deq"] as const) {
          const lowered = lowerModel(model, target, { seed: 1 });
          if (target === "sim" && model.variant === "none") {
            // a DEQ-only model: a located diagnostic instead of a module
            expect(lowered.module).toBeUndefined();
            expect(lowered.diagnostics).toHaveLength(1);
            expect(lowered.diagnostics[0]).toMatchObject({ code: "SIM5001", file: model.file });
            expect(model.targets.sim).toBeUndefined();
            continue;
          }
          expect(lowered.diagnostics).toEqual([]);
          const module = lowered.module!;
          expect(verifyIR(module)).toEqual([]);
          expect({ trainable: module.trainableParams, frozen: module.frozenParams }).toEqual(model.targets[target]);
          const parsed = parseIR(serializeIR(module), `${file}.${target}.json`);
          expect(parsed.diagnostics).toEqual([]);
          expect(parsed.module).toEqual(module);
          if (target === "deq") expect(module.certificate?.statement).toBeTruthy();
        }
      }
    });
  }

  it("states the certificates of the explicit cells", () => {
    const certificate = (file: string) => {
      const model = checkEntry(file).models[0];
      return lowerModel(model, "deq", { seed: model.train.seed }).module!.certificate!;
    };
    expect(certificate("specs/mnist/mondeq.sim")).toMatchObject({ guaranteed: true });
    expect(certificate("specs/mnist/pcdeq.sim")).toMatchObject({ guaranteed: true });
    const linf = certificate("specs/mnist/linf.sim");
    expect(linf.guaranteed).toBe(true);
    expect(linf.quantity!.mu_inf).toBeLessThan(1);
    expect(certificate("specs/mnist/sim-single.sim")).toMatchObject({ guaranteed: false });
  });
});
