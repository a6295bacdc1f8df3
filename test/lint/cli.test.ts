/**
 * `simc lint` end to end through the CLI: stylish output, the JSON document, exit codes
 * (0 warnings only, 1 errors, 2 usage), directory recursion, and the project's own specs and
 * standard library linting without errors.
 */
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { captureOutput, FIXTURES, tempProject } from "./helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const lint = (...args: string[]) => captureOutput(() => main(["lint", ...args]));

let project: ReturnType<typeof tempProject> | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

interface JsonReport {
  version: number;
  errorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  files: {
    file: string;
    errorCount: number;
    warningCount: number;
    fixed: boolean;
    diagnostics: { code: string; rule?: string; severity: string; message: string; hint?: string; line: number; column: number; fix?: unknown }[];
  }[];
}

describe("simc lint", () => {
  it("prints ESLint's stylish report and exits 0 when there are only warnings", async () => {
    const file = join(FIXTURES, "unused-import", "fail.sim");
    const { result, stdout } = await lint(file);
    expect(result).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe(file);
    expect(lines[1]).toMatch(/^ {2}3:23 {2}warning {2}'pooled_head' is imported from "std\/heads" but never used +unused-import$/);
    expect(lines[2]).toMatch(/^ +help: remove it from the import/);
    expect(lines[3]).toMatch(/^ {2}4:10 {2}warning {2}'tcn' is imported from "std\/tcn" but never used +unused-import$/);
    expect(stdout).toContain("✖ 2 problems (0 errors, 2 warnings)\n");
    expect(stdout).toContain("0 errors and 2 warnings potentially fixable with the `--fix` option.");
  });

  it("exits 1 on a lint error, and on checker errors, which it reports with their codes", async () => {
    const lintError = await lint(join(FIXTURES, "rff-odd-cossin", "fail.sim"));
    expect(lintError.result).toBe(1);
    expect(lintError.stdout).toMatch(/3:10 {2}error {2}rff uses cossin features with odd n = 63.* rff-odd-cossin/);
    expect(lintError.stdout).toContain("✖ 1 problem (1 error, 0 warnings)");

    project = tempProject({ "bad.sim": `model m {\n  input: [28, 28, 1]\n  task: classify(classes: 10)\n  basis { conv2d(channels: 4, kernel: 2) }\n}\n` });
    const checkerError = await lint(project.path("bad.sim"));
    expect(checkerError.result).toBe(1);
    expect(checkerError.stdout).toMatch(/^  1:7  error    model .m. has neither SIM parts nor a DEQ cell +SIM4016$/m);
  });

  it("exits 1 on syntax errors", async () => {
    project = tempProject({ "broken.sim": `model m {\n  input: [28, 28\n}\n` });
    const { result, stdout } = await lint(project.path("broken.sim"));
    expect(result).toBe(1);
    expect(stdout).toMatch(/error {2}.* SIM0\d{3}/);
  });

  it("exits 0 with no output for a clean file", async () => {
    const { result, stdout } = await lint(join(FIXTURES, "unused-import", "pass.sim"));
    expect(result).toBe(0);
    expect(stdout).toBe("");
  });

  it("writes a versioned JSON document with --json", async () => {
    const { result, stdout } = await lint(join(FIXTURES, "iteration-cap-too-low"), "--json");
    expect(result).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.version).toBe(1);
    expect(report.files.map((f) => f.file.split("/").pop())).toEqual([
      "fail-averaged.sim",
      "fail-backward.sim",
      "fail-damped-eval.sim",
      "fail.sim",
      "pass-anderson.sim",
      "pass-averaged.sim",
      "pass.sim",
    ]);
    expect(report.errorCount).toBe(0);
    expect(report.warningCount).toBe(4);
    const fail = report.files.find((f) => f.file.endsWith("/fail.sim"));
    expect(fail?.diagnostics).toEqual([
      expect.objectContaining({ code: "lint/iteration-cap-too-low", rule: "iteration-cap-too-low", severity: "warning", line: 7, column: 41 }),
    ]);
    expect(fail?.diagnostics[0].hint).toContain("raise max_iter to at least 66");
  });

  it("reports fixable problems in JSON and applies them with --fix", async () => {
    project = tempProject({ "model.sim": readFileSync(join(FIXTURES, "unused-import", "fail.sim"), "utf8") });
    const before = JSON.parse((await lint(project.path("model.sim"), "--json")).stdout) as JsonReport;
    expect(before.fixableWarningCount).toBe(2);
    expect(before.files[0].diagnostics[0].fix).toEqual({
      description: "remove 'pooled_head' from the import",
      edits: [{ start: expect.any(Number), end: expect.any(Number), text: "" }],
    });
    const fixed = await lint(project.path("model.sim"), "--fix", "--json");
    expect(fixed.result).toBe(0);
    const after = JSON.parse(fixed.stdout) as JsonReport;
    expect(after.files[0].fixed).toBe(true);
    expect(after.warningCount).toBe(0);
  });

  it("recurses into directories for *.sim files only", async () => {
    project = tempProject({ "a/x.sim": "block unused_param(n: int) { dense(units: 4) }\n", "a/b/notes.txt": "not a spec", "a/b/y.sim": "block ok(n: int) { dense(units: n) }\n" });
    const { result, stdout } = await lint(project.path("a"), "--json");
    expect(result).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.files.map((f) => f.file)).toEqual([project.path("a/b/y.sim"), project.path("a/x.sim")]);
    expect(report.files[1].diagnostics.map((d) => d.rule)).toEqual(["unused-parameter"]);
  });

  it("exits 1 for usage problems", async () => {
    const none = await lint();
    expect(none.result).toBe(1);
    expect(none.stderr).toContain("give the files or directories to lint");
    const missing = await lint(join(ROOT, "no-such-dir"));
    expect(missing.result).toBe(1);
    expect(missing.stderr).toContain("no such file or directory");
    project = tempProject({ "empty/readme.txt": "" });
    const empty = await lint(project.path("empty"));
    expect(empty.result).toBe(1);
    expect(empty.stderr).toContain("no .sim files found");
  });

  it("reports an unknown rule in simc.json on the config file and exits 1", async () => {
    project = tempProject({ "simc.json": `{ "lint": { "rules": { "unused-imports": "off" } } }\n` });
    copyFileSync(join(FIXTURES, "unused-import", "pass.sim"), project.path("model.sim"));
    const { result, stdout } = await lint(project.root);
    expect(result).toBe(1);
    expect(stdout).toContain(`${project.path("simc.json")}\n  1:24  error  unknown lint rule 'unused-imports'  unknown-rule`.replace("unknown-rule", "lint/unknown-rule"));
    expect(stdout).toContain("help: did you mean 'unused-import'?");
  });

  it("finds no errors in the project's specs and standard library", async () => {
    const { result, stdout } = await lint(join(ROOT, "specs"), join(ROOT, "stdlib"), "--json");
    const report = JSON.parse(stdout) as JsonReport;
    const errors = report.files.flatMap((f) => f.diagnostics.filter((d) => d.severity === "error").map((d) => `${f.file}:${d.line}:${d.column} ${d.code} ${d.message}`));
    expect(errors).toEqual([]);
    expect(result).toBe(0);
    expect(report.files.length).toBeGreaterThan(4);
  });
});
