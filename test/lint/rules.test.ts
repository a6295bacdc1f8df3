/**
 * Every rule against its fixtures (test/fixtures/lint/<rule-id>/fail*.sim and pass*.sim):
 * the exact findings (rule, severity, line:column) of each failing fixture, none in the
 * passing ones, and no checker errors in either unless the case says which are expected.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintFile } from "../../lint/lint-file.js";
import { lintRules } from "../../lint/rules/index.js";
import { FIXTURES, findings } from "./helpers.js";

interface Case {
  /** `severity line:col` of each finding of the fixture's rule, in order. */
  expect: string[];
  /** Checker error codes the fixture is known to trigger (the rule explains them). */
  checkerErrors?: string[];
  /** Text each finding's message must contain, in order. */
  messages?: string[];
}

const CASES: Record<string, Record<string, Case>> = {
  "deq-no-well-posedness": {
    "fail.sim": { expect: ["warning 13:3"], messages: ["derived from the SIM parts"] },
    "fail-dense-cell.sim": { expect: ["warning 5:11"], messages: ["dense cell with norm: none"] },
    "fail-norm-none.sim": { expect: ["warning 5:33"], messages: ["conv cell with norm: none"] },
    "pass.sim": { expect: [] },
    "pass-spectral-norm.sim": { expect: [] },
    "pass-sim-only.sim": { expect: [] },
    "pass-linf.sim": { expect: [] },
    "pass-pcdeq.sim": { expect: [] },
  },
  "linf-not-contractive": {
    "fail.sim": { expect: ["error 6:30"], checkerErrors: ["SIM2011"], messages: ["m = 1, so μ∞(A) = m + max_i(T_ii − |T_ii|) = 1 ≥ 1"] },
    "fail-positional.sim": { expect: ["error 4:24"], checkerErrors: ["SIM2011"], messages: ["m = 1.5"] },
    "pass.sim": { expect: [] },
    "pass-default-m.sim": { expect: [] },
  },
  "dropout-in-deq-cell": {
    "fail.sim": { expect: ["warning 12:5"], messages: ["dropout(rate: 0.2) in the surrogate sits inside"] },
    "fail-via-block.sim": { expect: ["warning 14:5"], messages: ["(from block 'regularised')"] },
    "pass.sim": { expect: [] },
    "pass-rate-zero.sim": { expect: [] },
    "pass-sim-only.sim": { expect: [] },
  },
  "batchnorm-in-deq-cell": {
    "fail.sim": { expect: ["warning 11:5"] },
    "fail-residual.sim": { expect: ["warning 11:7"] },
    "pass.sim": { expect: [] },
  },
  "solver-tol-too-loose": {
    "fail.sim": { expect: ["warning 7:36"], messages: ["relative residual of 0.1, above 0.05"] },
    "pass.sim": { expect: [] },
    "pass-absolute.sim": { expect: [] },
  },
  "backward-tol-looser": {
    "fail.sim": { expect: ["warning 8:29"], messages: ["backward tolerance 0.01 is looser than the forward tolerance 0.001"] },
    "pass.sim": { expect: [] },
    "pass-one-step.sim": { expect: [] },
  },
  "iteration-cap-too-low": {
    "fail.sim": { expect: ["warning 7:41"], messages: ["max_iter = 40 steps but needs 66 to reach tol 1e-3 on a map contracting by 0.9"] },
    "fail-averaged.sim": { expect: ["warning 8:43"], messages: ["max_iter = 300 steps but needs 459"] },
    "fail-damped-eval.sim": { expect: ["warning 7:75"], messages: ["eval_max_iter = 50 steps but needs 90"] },
    "fail-backward.sim": { expect: ["warning 8:61"], messages: ["implicit backward pass (picard) stops after max_iter = 40 steps but needs 132"] },
    "pass.sim": { expect: [] },
    "pass-averaged.sim": { expect: [] },
    "pass-anderson.sim": { expect: [] },
  },
  "lift-rank-too-large": {
    "fail.sim": { expect: ["warning 9:27"], messages: ["r = 32 is not smaller than its dimension m = 32"] },
    "fail-embed.sim": { expect: ["warning 8:36"], messages: ["r = 64 is not smaller than its feature count n = 64"] },
    "pass.sim": { expect: [] },
    "pass-defaults.sim": { expect: [] },
  },
  "rff-odd-cossin": {
    "fail.sim": { expect: ["error 3:10"], messages: ["odd n = 63 (the default of parameter 'n')"] },
    "fail-embed.sim": { expect: ["error 8:14"], checkerErrors: ["SIM4024"], messages: ["odd n = 63:"] },
    "pass.sim": { expect: [] },
    "pass-parameter.sim": { expect: [] },
  },
  "rff-bandwidth-range": {
    "fail.sim": { expect: ["warning 9:28"], messages: ["the embedding has bandwidth σ = 10000, above 1000"] },
    "fail-layer.sim": { expect: ["warning 11:5"], messages: ["rff layer in the basis (from block 'fourier') has bandwidth σ = 1e-5, below 1e-3"] },
    "pass.sim": { expect: [] },
    "pass-bounds.sim": { expect: [] },
  },
  "unused-import": {
    "fail.sim": { expect: ["warning 3:23", "warning 4:10"], messages: ["'pooled_head' is imported", "'tcn' is imported"] },
    "fail-alias.sim": { expect: ["warning 1:10"], messages: ["'mlp' is imported"] },
    "pass.sim": { expect: [] },
    "pass-library.sim": { expect: [] },
  },
  "unused-block": {
    "fail.sim": { expect: ["warning 8:7"], messages: ["block 'wide_mlp'"] },
    "fail-chain.sim": { expect: ["warning 2:7", "warning 6:7"], messages: ["block 'inner'", "block 'outer'"] },
    "pass.sim": { expect: [] },
    "pass-library.sim": { expect: [] },
  },
  "unused-parameter": {
    "fail.sim": { expect: ["warning 2:32"], messages: ["parameter 'kernel' of block 'conv_relu' is never used"] },
    "pass.sim": { expect: [] },
    "pass-uses.sim": { expect: [] },
  },
  "shadowed-name": {
    "fail.sim": { expect: ["warning 6:23", "warning 7:10"], messages: ["parameter 'relu' shadows the layer 'relu'", "loop variable 'stage' shadows the block 'stage'"] },
    "fail-import-and-block.sim": {
      expect: ["warning 7:13", "warning 7:23"],
      messages: ["parameter 'fcn' shadows the import 'fcn'", "parameter 'head_block' shadows the block 'head_block'"],
    },
    "pass.sim": { expect: [] },
  },
};

describe("lint rules on their fixtures", () => {
  it("has cases for exactly the rules, and every rule has fail.sim and pass.sim", () => {
    expect(Object.keys(CASES).sort()).toEqual(lintRules.map((r) => r.id).sort());
    for (const rule of lintRules) {
      const files = readdirSync(join(FIXTURES, rule.id)).filter((f) => f.endsWith(".sim"));
      expect(files).toContain("fail.sim");
      expect(files).toContain("pass.sim");
      expect(files.sort()).toEqual(Object.keys(CASES[rule.id]).sort());
    }
  });

  for (const [ruleId, cases] of Object.entries(CASES)) {
    describe(ruleId, () => {
      for (const [fixture, c] of Object.entries(cases)) {
        it(fixture, () => {
          const file = join(FIXTURES, ruleId, fixture);
          const { diagnostics } = lintFile(file);
          const checkerErrors = diagnostics.filter((d) => d.rule === undefined && d.severity === "error").map((d) => d.code);
          expect(checkerErrors).toEqual(c.checkerErrors ?? []);
          const own = diagnostics.filter((d) => d.rule === ruleId);
          expect(own.map((d) => `${d.severity} ${d.loc.line}:${d.loc.column}`)).toEqual(c.expect);
          expect(own.every((d) => d.code === `lint/${ruleId}` && d.file === file)).toBe(true);
          (c.messages ?? []).forEach((text, i) => expect(own[i]?.message).toContain(text));
          if (fixture.startsWith("fail")) expect(own.every((d) => d.hint && d.hint.length > 0)).toBe(true);
        });
      }
    });
  }

  it("reports nothing from other rules in a clean model", () => {
    const { diagnostics } = lintFile(join(FIXTURES, "lift-rank-too-large", "pass.sim"));
    expect(findings(diagnostics)).toEqual([]);
  });
});
