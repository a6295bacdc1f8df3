import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkEntry } from "../../compiler/check.js";
import { parseDocument } from "../../grammar/parse.js";
import { lowerModel } from "../../compiler/lower/index.js";
import { readFileSync } from "node:fs";

/** Spec → [model, variant, default target, trainable, frozen] of its default target. */
const EXPECTED: Record<string, [string, string, string, number, number]> = {
  "specs/mnist/sim-single.sim": ["mnist_sim_single", "single", "sim", 81_480, 0],
  "specs/mnist/sim-two.sim": ["mnist_sim_two", "two", "sim", 80_466, 2_600],
  "specs/cifar10/sim-single.sim": ["cifar10_sim_single", "single", "sim", 168_694, 0],
  "specs/cifar10/sim-two.sim": ["cifar10_sim_two", "two", "sim", 168_264, 2_600],
  "specs/svhn/sim-single.sim": ["svhn_sim_single", "single", "sim", 168_694, 0],
  "specs/copy-memory/sim-single.sim": ["copy_memory_sim_single", "single", "sim", 17_294, 0],
  "specs/copy-memory/sim-two.sim": ["copy_memory_sim_two", "two", "sim", 17_294, 512],
  "specs/copy-memory/deq.sim": ["copy_memory_deq", "single", "deq", 18_318, 0],
  "specs/image-regression/sim-single.sim": ["image_sim_single", "single", "sim", 396_035, 0],
  "specs/image-regression/sim-two.sim": ["image_sim_two", "two", "sim", 396_035, 32_768],
  "specs/image-regression/rff-only.sim": ["image_rff_only", "rff-only", "sim", 263_683, 256],
  "specs/mnist/mondeq.sim": ["mnist_mondeq", "none", "deq", 84_460, 0],
  "specs/mnist/pcdeq.sim": ["mnist_pcdeq", "none", "deq", 269_578, 0],
  "specs/mnist/linf.sim": ["mnist_linf", "none", "deq", 269_834, 0],
  "specs/mnist/search.sim": ["mnist_sim_two_search", "two", "sim", 50_208, 2_600],
  "specs/mnist/mondeq-search.sim": ["mnist_mondeq_search", "none", "deq", 22_380, 0],
};

function specFiles(): string[] {
  return readdirSync("specs").flatMap((dir) =>
    readdirSync(join("specs", dir))
      .filter((f) => f.endsWith(".sim"))
      .map((f) => `specs/${dir}/${f}`),
  );
}

describe("specs", () => {
  it("has an expectation for every spec file", () => {
    expect(specFiles().sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s checks clean with the paper's parameter count", (file, [name, variant, target, trainable, frozen]) => {
    const result = checkEntry(file);
    expect(result.diagnostics).toEqual([]);
    expect(result.models).toHaveLength(1);
    const model = result.models[0];
    expect([model.name, model.variant, model.defaultTarget, model.trainableParams, model.frozenParams]).toEqual([
      name,
      variant,
      target,
      trainable,
      frozen,
    ]);
    expect(model.targets[model.defaultTarget]).toEqual({ trainable, frozen });
    expect(model.train.data).not.toBe("");
  });

  it.each(Object.keys(EXPECTED))("%s states what it is, where it comes from and its count", (file) => {
    const text = readFileSync(file, "utf8");
    const header = text.split("\n").filter((line) => line.startsWith("//")).join("\n");
    const [, , , trainable] = EXPECTED[file];
    expect(header).toContain(trainable.toLocaleString("en-US"));
    expect(header).toMatch(/\b20\d\d\b/);
  });

  it.each(Object.keys(EXPECTED))("%s lowers to IR with the totals simc check reports, for every target", (file) => {
    const model = checkEntry(file).models[0];
    for (const target of ["sim", "deq"] as const) {
      const totals = model.targets[target];
      if (!totals) continue;
      const lowered = lowerModel(model, target, { seed: 1 });
      expect(lowered.diagnostics).toEqual([]);
      expect({ trainable: lowered.module!.trainableParams, frozen: lowered.module!.frozenParams }).toEqual(totals);
    }
  });
});

describe("standard library", () => {
  const modules = readdirSync("stdlib").filter((f) => f.endsWith(".sim"));

  it("holds the documented modules", () => {
    expect(modules.sort()).toEqual(["fcn.sim", "heads.sim", "tcn.sim", "vgg.sim"]);
  });

  it.each(modules)("every block of %s parses and has a doc comment with its shapes and source", (file) => {
    const parsed = parseDocument(readFileSync(join("stdlib", file), "utf8"), `std/${file}`);
    expect(parsed.diagnostics).toEqual([]);
    const blocks = parsed.document.declarations.filter((d) => d.kind === "BlockDecl");
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      expect(block.doc, block.name.name).toMatch(/Shapes: /);
      expect(block.doc, block.name.name).toMatch(/Source: /);
    }
  });
});
