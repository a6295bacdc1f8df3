/**
 * Project configuration (`simc.json`, found by walking up to the project root) and per-line
 * suppression comments, including the reports for unknown rule ids and malformed settings.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LintConfigCache, findConfigFile, parseLintConfig } from "../../lint/config.js";
import { lintFile } from "../../lint/lint-file.js";
import { lintRuleIds } from "../../lint/rules/index.js";
import { lintPaths } from "../../cli/commands/lint.js";
import { FIXTURES, findings, tempProject } from "./helpers.js";

const unusedBlockFail = readFileSync(join(FIXTURES, "unused-block", "fail.sim"), "utf8");

let project: ReturnType<typeof tempProject> | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

describe("simc.json", () => {
  it("applies without a config: the rules' default severities", () => {
    project = tempProject({ "model.sim": unusedBlockFail });
    expect(findings(lintFile(project.path("model.sim")).diagnostics)).toEqual(["unused-block warning 8:7"]);
  });

  it("turns a rule off", () => {
    project = tempProject({ "simc.json": `{ "lint": { "rules": { "unused-block": "off" } } }`, "model.sim": unusedBlockFail });
    expect(findings(lintFile(project.path("model.sim")).diagnostics)).toEqual([]);
  });

  it("raises a rule to an error, for files in subdirectories too", () => {
    project = tempProject({ "simc.json": `{ "lint": { "rules": { "unused-block": "error" } } }`, "models/deep/model.sim": unusedBlockFail });
    const result = lintFile(project.path("models/deep/model.sim"));
    expect(result.config.file).toBe(project.path("simc.json"));
    expect(findings(result.diagnostics)).toEqual(["unused-block error 8:7"]);
  });

  it("stops looking at the project root (a package.json without simc.json)", () => {
    project = tempProject({
      "simc.json": `{ "lint": { "rules": { "unused-block": "off" } } }`,
      "inner/package.json": "{}",
      "inner/model.sim": unusedBlockFail,
    });
    expect(findFirst(project.path("inner/model.sim"))).toBeUndefined();
    expect(findings(lintFile(project.path("inner/model.sim")).diagnostics)).toEqual(["unused-block warning 8:7"]);
  });

  it("reports an unknown rule id at its key, with a suggestion", () => {
    const text = `{\n  "lint": {\n    "rules": {\n      "unused-blok": "warn"\n    }\n  }\n}\n`;
    const config = parseLintConfig(text, "simc.json", lintRuleIds);
    expect(config.diagnostics).toHaveLength(1);
    const [d] = config.diagnostics;
    expect([d.code, d.severity, d.file, `${d.loc.line}:${d.loc.column}`]).toEqual(["lint/unknown-rule", "error", "simc.json", "4:7"]);
    expect(d.message).toBe("unknown lint rule 'unused-blok'");
    expect(d.hint).toBe("did you mean 'unused-block'?");
  });

  it("reports a bad severity, a bad section and invalid JSON", () => {
    const bad = parseLintConfig(`{ "lint": { "rules": { "unused-block": "loud" }, "extends": "x" } }`, "simc.json", lintRuleIds);
    expect(bad.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["lint/invalid-config", `unknown setting "lint.extends"`],
      ["lint/invalid-config", `rule 'unused-block' is set to "loud"`],
    ]);
    expect(bad.rules).toEqual({});
    const broken = parseLintConfig(`{ "lint": { "rules": { `, "simc.json", lintRuleIds);
    expect(broken.diagnostics.map((d) => d.code)).toEqual(["lint/invalid-config"]);
    expect(broken.diagnostics[0].message).toMatch(/^simc\.json is not valid JSON/);
  });

  it("reports config problems once per run, on the config file", () => {
    project = tempProject({
      "simc.json": `{ "lint": { "rules": { "no-such-rule": "error" } } }`,
      "a.sim": unusedBlockFail,
      "b.sim": unusedBlockFail,
    });
    const run = lintPaths([project.root]);
    const configProblems = run.byFile.get(project.path("simc.json")) ?? [];
    expect(configProblems.map((d) => `${d.code} ${d.loc.line}:${d.loc.column}`)).toEqual(["lint/unknown-rule 1:24"]);
  });

  it("ignores other sections of simc.json", () => {
    const config = parseLintConfig(`{ "project": { "name": "x" }, "lint": { "rules": { "unused-block": "error" } } }`, "simc.json", lintRuleIds);
    expect(config.diagnostics).toEqual([]);
    expect(config.rules).toEqual({ "unused-block": "error" });
  });
});

function findFirst(file: string): string | undefined {
  return findConfigFile(file);
}

const SUPPRESSED = `block conv_relu(channels: int, kernel: int = 3) {  // simc-lint-disable-line unused-parameter
  conv2d(channels: channels, kernel: 3)
}

// simc-lint-disable-next-line unused-block, shadowed-name -- kept for the docs
block spare(relu: int) { dense(units: relu) }

block other(flatten: int, units: int) { dense(units: 4) }  // simc-lint-disable-line shadowed-name

// simc-lint-disable-next-line
block noisy(dense: int) { relu() }

block typo(units: int) { dense(units: 4) }  // simc-lint-disable-line unused-paramter, shadowed-name

/* simc-lint-disable-next-line unused-block */
block quiet(units: int) { dense(units: units) }

// simc-lint-disable unused-block

model digits {
  input: [28, 28, 1]
  task: classify(classes: 10)
  basis {
    conv_relu(channels: 4)
    flatten()
    dense(units: 16)
  }
  surrogate { dense(units: 8) }
  train { data: mnist }
}
`;

describe("suppression comments", () => {
  it("silence the named rules on their line or the next, and report unknown ids and directives", () => {
    project = tempProject({ "model.sim": SUPPRESSED });
    const { diagnostics } = lintFile(project.path("model.sim"));
    expect(findings(diagnostics)).toEqual([
      // line 8: shadowed-name is silenced, unused-block and unused-parameter (twice) are not
      "unused-block warning 8:7",
      "unused-parameter warning 8:13",
      "unused-parameter warning 8:27",
      // line 13: the misspelled id silences nothing; shadowed-name (listed) has nothing to silence
      "unused-block warning 13:7",
      "unused-parameter warning 13:12",
    ]);
    const directives = diagnostics.filter((d) => d.rule === undefined).map((d) => `${d.code} ${d.severity} ${d.loc.line}:${d.loc.column} ${d.hint ?? ""}`);
    expect(directives).toEqual([
      "lint/unknown-rule error 13:71 did you mean 'unused-parameter'?",
      "lint/invalid-directive error 18:4 use 'simc-lint-disable-line <rule-id>' or 'simc-lint-disable-next-line <rule-id>'",
    ]);
  });

  it("never silence checker errors", () => {
    project = tempProject({
      "model.sim": `model digits {
  input: [28, 28, 1]
  task: classify(classes: 10)
  // simc-lint-disable-next-line
  deq { cell: linf(units: 8, m: 1.5) }
  train { data: mnist }
}
`,
    });
    const { diagnostics } = lintFile(project.path("model.sim"));
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["SIM2011"]);
  });

  it("share the config's rule table: a rule turned off needs no suppression and an unknown one is still reported", () => {
    project = tempProject({
      "simc.json": `{ "lint": { "rules": { "unused-parameter": "off" } } }`,
      "model.sim": SUPPRESSED,
    });
    const configs = new LintConfigCache(lintRuleIds);
    const { diagnostics } = lintFile(project.path("model.sim"), { configs });
    expect(findings(diagnostics)).toEqual(["unused-block warning 8:7", "unused-block warning 13:7"]);
    expect(diagnostics.some((d) => d.code === "lint/unknown-rule")).toBe(true);
  });
});
