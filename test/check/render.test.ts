import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../core/diagnostic.js";
import { countSummary, renderDiagnostics, useColor } from "../../cli/render-diagnostic.js";
import { check } from "../compiler/helpers.js";

const loc = (line: number, column: number, endLine: number, endColumn: number) => ({
  start: 0,
  end: 0,
  line,
  column,
  endLine,
  endColumn,
});

const diagnostic = (over: Partial<Diagnostic>): Diagnostic => ({
  code: "SIM2003",
  severity: "error",
  file: "a.sim",
  loc: loc(2, 9, 2, 13),
  message: "dense has no argument 'unit'",
  ...over,
});

describe("code frames", () => {
  it("shows file:line:col, severity and code, the line with a caret underline, help and notes", () => {
    const sources = new Map([["a.sim", "model m {\n  dense(unit: 4)\n}\n"]]);
    const text = renderDiagnostics(
      [diagnostic({ hint: "valid arguments: units, bias", related: [{ file: "b.sim", loc: loc(3, 1, 3, 2), message: "declared here" }] })],
      sources,
      { color: false },
    );
    expect(text).toBe(
      [
        "a.sim:2:9: error[SIM2003]: dense has no argument 'unit'",
        "  2 |   dense(unit: 4)",
        "    |         ^^^^",
        "  help: valid arguments: units, bias",
        "  note: b.sim:3:1: declared here",
        "",
      ].join("\n"),
    );
  });

  it("aligns carets after tabs, underlines to the end of the line for multi-line spans, and marks empty spans", () => {
    const sources = new Map([["a.sim", "x\n\tresidual {\n"]]);
    const multi = renderDiagnostics([diagnostic({ loc: loc(2, 2, 4, 1) })], sources, { color: false }).split("\n");
    expect(multi[1]).toBe("  2 |     residual {");
    expect(multi[2]).toBe("    |     ^^^^^^^^^^");
    const empty = renderDiagnostics([diagnostic({ loc: loc(1, 2, 1, 2) })], sources, { color: false }).split("\n");
    expect(empty[2]).toBe("    |  ^");
  });

  it("keeps long lines and control characters readable", () => {
    const long = `${"a".repeat(300)}BAD${"b".repeat(300)}\u0007`;
    const sources = new Map([["a.sim", long]]);
    const lines = renderDiagnostics([diagnostic({ loc: loc(1, 301, 1, 304) })], sources, { color: false }).split("\n");
    expect(lines[1].length).toBeLessThan(180);
    const caret = lines[2].indexOf("^");
    expect(lines[1].slice(caret, caret + 3)).toBe("BAD");
    expect(renderDiagnostics([diagnostic({ loc: loc(1, 604, 1, 605) })], sources, { color: false })).not.toContain("\u0007");
  });

  it("colours only when asked, and asks only on a terminal without NO_COLOR", () => {
    const sources = new Map([["a.sim", "model m {\n  dense(unit: 4)\n}\n"]]);
    expect(renderDiagnostics([diagnostic({})], sources, { color: true })).toContain("\u001b[31m");
    expect(renderDiagnostics([diagnostic({})], sources, { color: false })).not.toContain("\u001b[");
    const saved = process.env.NO_COLOR;
    try {
      delete process.env.NO_COLOR;
      expect(useColor({ isTTY: true })).toBe(true);
      expect(useColor({ isTTY: false })).toBe(false);
      process.env.NO_COLOR = "1";
      expect(useColor({ isTTY: true })).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });

  it("renders real checker output without needing the source of library files", () => {
    const result = check('import { vgg_basis } from "std/vgg"\nmodel m {\n  input: [9]\n  task: regress(outputs: 1)\n  basis { vgg_basis(channels: 2, m: 4) }\n  surrogate { dense(units: 2) }\n}\n');
    const text = renderDiagnostics(result.diagnostics, result.sources, { color: false });
    expect(text).toContain("test.sim:5:11: error[SIM3001]: conv2d expects an image [height, width, channels], got [9]");
    expect(text).toContain("  note: std/vgg:");
    expect(countSummary(result.diagnostics)).toBe("1 error, 1 warning");
  });
});
