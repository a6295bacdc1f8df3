/**
 * docs/lint.md is generated from the rules and their fixtures and must be up to date; its
 * examples are real: each "Reported" example triggers its rule, each "Not reported" one does not.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lintFile } from "../../lint/lint-file.js";
import { lintRules } from "../../lint/rules/index.js";
import { lintDocExamples, renderLintDocsFromFixtures } from "../../lint/write-docs.js";
import { findings, tempProject } from "./helpers.js";

const DOC = join(import.meta.dirname, "..", "..", "docs", "lint.md");

let project: ReturnType<typeof tempProject> | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

describe("docs/lint.md", () => {
  const text = readFileSync(DOC, "utf8");

  it("is what the rules and fixtures generate (run `npx tsx lint/write-docs.ts` after changing them)", () => {
    expect(text).toBe(renderLintDocsFromFixtures());
  });

  it("documents every rule with its severity, description and both examples", () => {
    for (const rule of lintRules) {
      const section = text.split(`\n### ${rule.id}\n`)[1]?.split("\n### ")[0];
      expect(section, rule.id).toBeDefined();
      expect(section).toContain(`Default severity: **${rule.defaultSeverity === "error" ? "error" : "warning"}**`);
      expect(section).toContain(rule.docs.description);
      const { fail, pass } = lintDocExamples(rule.id);
      expect(section).toContain(fail.trimEnd());
      expect(section).toContain(pass.trimEnd());
    }
  });

  it("shows a suppression example that silences what it says", () => {
    const example = text.split("## Suppression comments")[1].split("```sim\n")[1].split("```")[0];
    project = tempProject({ "example.sim": example });
    const { diagnostics } = lintFile(project.path("example.sim"));
    expect(diagnostics).toEqual([]);
    project.remove();
    const unsuppressed = example.replace(/\/\/ simc-lint-disable-[^\n]*/g, "");
    project = tempProject({ "example.sim": unsuppressed });
    expect(findings(lintFile(project.path("example.sim")).diagnostics)).toEqual([
      "unused-parameter warning 2:12",
      "shadowed-name warning 2:24",
      "unused-parameter warning 2:24",
      "unused-parameter warning 4:13",
    ]);
  });
});
