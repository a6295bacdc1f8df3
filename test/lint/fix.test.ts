/**
 * `--fix`: unused imports are removed (the name, or the whole import), fixes that overlap wait
 * for the next pass, the file is written once and atomically, and the result lints clean.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../core/atomic-write.js";
import { applyFixes } from "../../lint/fix.js";
import { lintFile } from "../../lint/lint-file.js";
import type { LintDiagnostic } from "../../lint/types.js";
import { FIXTURES, findings, tempProject } from "./helpers.js";

let project: ReturnType<typeof tempProject> | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

const MODEL_BODY = `
model digits {
  input: [28, 28, 1]
  task: classify(classes: 10)
  basis {
    conv_bn_relu(channels: 4)
    flatten()
    dense(units: 16)
  }
  surrogate { dense(units: 8) }
  train { data: mnist }
}
`;

describe("lint --fix", () => {
  it("removes an unused name and a wholly unused import, and the result re-lints clean", () => {
    const original = readFileSync(join(FIXTURES, "unused-import", "fail.sim"), "utf8");
    project = tempProject({ "model.sim": original });
    const file = project.path("model.sim");
    const result = lintFile(file, { fix: true });
    expect(result.fixed).toBe(true);
    const expected = original
      .replace(`import { linear_head, pooled_head } from "std/heads";`, `import { linear_head } from "std/heads";`)
      .replace(`import { tcn } from "std/tcn";\n`, "");
    expect(readFileSync(file, "utf8")).toBe(expected);
    // The report describes the fixed file: nothing left to fix, no checker problems.
    expect(result.diagnostics).toEqual([]);
    expect(lintFile(file).diagnostics).toEqual([]);
    expect(readdirSync(project.root)).toEqual(["model.sim"]);
  });

  it("needs two passes for neighbouring names and takes them", () => {
    project = tempProject({ "model.sim": `import { conv_bn_relu, vgg_basis, conv_bn_relu as cbr } from "std/vgg";\n${MODEL_BODY}` });
    const file = project.path("model.sim");
    const before = lintFile(file);
    expect(findings(before.diagnostics)).toEqual(["unused-import warning 1:24", "unused-import warning 1:35"]);
    // In one pass only one of the two overlapping removals can apply.
    const onePass = applyFixes(readFileSync(file, "utf8"), before.diagnostics);
    expect(onePass.applied).toHaveLength(1);
    lintFile(file, { fix: true });
    expect(readFileSync(file, "utf8")).toBe(`import { conv_bn_relu } from "std/vgg";\n${MODEL_BODY}`);
    expect(findings(lintFile(file).diagnostics)).toEqual([]);
  });

  it("removes an aliased duplicate", () => {
    const original = readFileSync(join(FIXTURES, "unused-import", "fail-alias.sim"), "utf8");
    project = tempProject({ "model.sim": original });
    lintFile(project.path("model.sim"), { fix: true });
    expect(readFileSync(project.path("model.sim"), "utf8")).toBe(original.replace("{ fcn as mlp, fcn }", "{ fcn }"));
  });

  it("keeps comments: a name with a comment beside it is reported but not removed", () => {
    const text = `import {\n  conv_bn_relu, // the only one we need\n  vgg_basis\n} from "std/vgg";\n${MODEL_BODY}`;
    project = tempProject({ "model.sim": text });
    const result = lintFile(project.path("model.sim"), { fix: true });
    expect(result.fixed).toBe(false);
    expect(readFileSync(project.path("model.sim"), "utf8")).toBe(text);
    expect(findings(result.diagnostics)).toEqual(["unused-import warning 3:3"]);
    expect(result.diagnostics[0].fix).toBeUndefined();
  });

  it("leaves a file with syntax errors alone", () => {
    const text = `import { tcn } from "std/tcn";\nmodel broken {\n  input: [28, 28\n}\n`;
    project = tempProject({ "model.sim": text });
    const result = lintFile(project.path("model.sim"), { fix: true });
    expect(result.fixed).toBe(false);
    expect(readFileSync(project.path("model.sim"), "utf8")).toBe(text);
    expect(result.diagnostics.some((d) => d.code.startsWith("SIM0") && d.severity === "error")).toBe(true);
  });

  it("does not fix what the config turned off", () => {
    const original = readFileSync(join(FIXTURES, "unused-import", "fail.sim"), "utf8");
    project = tempProject({ "simc.json": `{ "lint": { "rules": { "unused-import": "off" } } }`, "model.sim": original });
    expect(lintFile(project.path("model.sim"), { fix: true }).fixed).toBe(false);
    expect(readFileSync(project.path("model.sim"), "utf8")).toBe(original);
  });
});

describe("applyFixes", () => {
  const at = (start: number, end: number, text: string): LintDiagnostic => ({
    code: "lint/test",
    severity: "warning",
    file: "x",
    loc: { start, end, line: 1, column: start + 1, endLine: 1, endColumn: end + 1 },
    message: "m",
    fix: { description: "d", edits: [{ start, end, text }] },
  });

  it("applies non-overlapping fixes together and skips overlapping ones", () => {
    const outcome = applyFixes("abcdefgh", [at(6, 8, "GH"), at(0, 2, "AB"), at(1, 3, "xx")]);
    expect(outcome.text).toBe("ABcdefGH");
    expect(outcome.applied).toHaveLength(2);
  });

  it("applies a multi-edit fix all or nothing", () => {
    const both: LintDiagnostic = {
      ...at(0, 1, ""),
      fix: { description: "two", edits: [{ start: 0, end: 1, text: "A" }, { start: 4, end: 5, text: "E" }] },
    };
    // One edit of `both` overlaps a fix taken first: none of its edits is applied.
    const outcome = applyFixes("abcde", [at(0, 1, "z"), both]);
    expect(outcome.text).toBe("zbcde");
    expect(outcome.applied.map((f) => f.description)).toEqual(["d"]);
    expect(applyFixes("abcde", [both]).text).toBe("AbcdE");
  });

  it("writes atomically: the target is replaced and no temporary file is left", () => {
    project = tempProject({ "out.sim": "old" });
    writeFileAtomic(project.path("out.sim"), "new text");
    expect(readFileSync(project.path("out.sim"), "utf8")).toBe("new text");
    expect(readdirSync(project.root)).toEqual(["out.sim"]);
  });
});
