/**
 * `simc doc`: the standard library's modules and blocks, with signatures, defaults as written
 * and `///` docs — on a fixture library (exact output) and on the real one (every block listed).
 */
import { SOLVER_ENTRIES } from "../../vocabulary/solvers.js";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeModule, describeStdlib, firstSentence, formatModule, formatOverview } from "../../cli/commands/doc.js";
import { main } from "../../cli/main.js";
import { captureOutput } from "../lint/helpers.js";

const FIXTURE_LIB = join(import.meta.dirname, "fixtures", "stdlib");
const STDLIB = join(import.meta.dirname, "..", "..", "stdlib");
const doc = (...args: string[]) => captureOutput(() => main(["doc", ...args]));

describe("describeModule", () => {
  it("reads signatures, types, defaults as written, docs and the layers a block applies", () => {
    const [features, stacks] = describeStdlib(FIXTURE_LIB);
    expect(features.module).toBe("std/features");
    expect(features.summary).toBe("Feature maps for the doc tests.\nSecond line of the summary.");
    expect(features.diagnostics).toEqual([]);
    expect(features.blocks).toEqual([
      {
        name: "fourier",
        signature: "fourier(n: int, sigma: float = 1e-1, kernel: gauss | laplace = gauss)",
        params: [
          { name: "n", type: "int" },
          { name: "sigma", type: "float", default: "1e-1" },
          { name: "kernel", type: "gauss | laplace", default: "gauss" },
        ],
        doc: "Random Fourier features of the input.\nn: feature count; sigma: bandwidth.",
        applies: ["rff"],
        line: 6,
      },
      { name: "plain", signature: "plain(units)", params: [{ name: "units" }], applies: ["dense", "relu"], line: 10 },
    ]);
    expect(stacks.blocks.map((b) => [b.signature, b.applies])).toEqual([["twice(width: int = 8)", ["dense", "relu"]]]);
    expect(stacks.summary).toBeUndefined();
  });

  it("formats the overview with one line per block and the module in detail", () => {
    const modules = describeStdlib(FIXTURE_LIB);
    expect(formatOverview(modules)).toBe(
      [
        "std/features — Feature maps for the doc tests.",
        "  fourier(n: int, sigma: float = 1e-1, kernel: gauss | laplace = gauss)",
        "      Random Fourier features of the input.",
        "  plain(units)",
        "",
        "std/stacks",
        "  twice(width: int = 8)",
        "      Two residual dense layers.",
        "",
        "Run 'simc doc std/NAME' for a module's details.",
        "",
      ].join("\n"),
    );
    const detail = formatModule(modules[0]);
    expect(detail).toContain("  block fourier(n: int, sigma: float = 1e-1, kernel: gauss | laplace = gauss)\n");
    expect(detail).toContain("    parameters:\n      n       int              required\n      sigma   float            default 1e-1\n      kernel  gauss | laplace  default gauss\n");
    expect(detail).toContain("    applies: dense, relu\n");
  });

  it("reports syntax errors in a module instead of failing", () => {
    const m = describeModule("std/broken.sim", "block ok(n: int) { dense(units: n) }\nblock bad(n: int { relu() }\n");
    expect(m.blocks.map((b) => b.name)).toContain("ok");
    expect(m.diagnostics.some((d) => d.severity === "error")).toBe(true);
  });

  it("cuts a one-line summary at the first sentence", () => {
    expect(firstSentence("A TCN: blocks with dilations 1, 2, 4; the first block\nmaps the input.")).toBe("A TCN: blocks with dilations 1, 2, 4");
    expect(firstSentence("Conv 3×3.\nMore.")).toBe("Conv 3×3.");
  });
});

describe("simc doc on the standard library", () => {
  /** Block names found by a plain text scan of stdlib/*.sim, independent of the parser. */
  const blocksByModule = new Map(
    readdirSync(STDLIB)
      .filter((f) => f.endsWith(".sim"))
      .map((f) => [`std/${f.replace(/\.sim$/, "")}`, [...readFileSync(join(STDLIB, f), "utf8").matchAll(/^block\s+([A-Za-z_]\w*)/gm)].map((m) => m[1])]),
  );

  it("lists every module and every block, each under its module", async () => {
    const { result, stdout } = await doc();
    expect(result).toBe(0);
    expect(blocksByModule.size).toBeGreaterThan(0);
    const sections = stdout.split(/\n(?=std\/)/);
    for (const [module, blocks] of blocksByModule) {
      const section = sections.find((s) => s.startsWith(`${module}`));
      expect(section, module).toBeDefined();
      for (const block of blocks) expect(section).toMatch(new RegExp(`^  ${block}\\(`, "m"));
    }
  });

  it("shows one module in detail, by std/NAME or NAME", async () => {
    const [module, blocks] = [...blocksByModule][0];
    const full = await doc(module);
    expect(full.result).toBe(0);
    expect(full.stdout.startsWith(`${module}  (`)).toBe(true);
    for (const block of blocks) expect(full.stdout).toContain(`  block ${block}(`);
    const short = await doc(module.slice("std/".length));
    expect(short.stdout).toBe(full.stdout);
  });

  it("writes JSON with --json", async () => {
    const { result, stdout } = await doc("--json");
    expect(result).toBe(0);
    const parsed = JSON.parse(stdout) as { version: number; modules: { module: string; blocks: { name: string }[] }[] };
    expect(parsed.version).toBe(1);
    expect(Object.fromEntries(parsed.modules.map((m) => [m.module, m.blocks.map((b) => b.name)]))).toEqual(Object.fromEntries(blocksByModule));
  });

  it("exits 2 for an unknown module, suggesting the closest", async () => {
    const [module] = [...blocksByModule.keys()];
    const typo = `${module}x`;
    const { result, stderr } = await doc(typo);
    expect(result).toBe(2);
    expect(stderr).toContain(`unknown module '${typo}'; did you mean '${module}'?`);
  });

  it("shows a vocabulary from its table: every solver with its settings and defaults", async () => {
    const { result, stdout } = await doc("solvers");
    expect(result).toBe(0);
    for (const solver of SOLVER_ENTRIES) {
      expect(stdout).toContain(`${solver.name} — ${solver.doc}`);
      for (const setting of solver.settings) expect(stdout).toContain(`    ${setting.name} = `);
    }
    expect(stdout).toContain("    memory = 6 (int ≥ 1)");
    const json = await doc("schedules", "--json");
    const document = JSON.parse(json.stdout) as { topic: string; entries: { name: string; settings: { name: string; default: string }[] }[] };
    expect(document.topic).toBe("schedules");
    const linear = document.entries.find((e) => e.name === "onecycle_linear");
    expect(linear?.settings.map((s) => `${s.name}=${s.default}`)).toEqual(["max_lr=0.001", "final=5", "beta1_high=0.95", "beta1_low=0.85"]);
  });
});
