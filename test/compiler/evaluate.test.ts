import { describe, expect, it } from "vitest";
import type { Property } from "../../grammar/ast.js";
import { parseDocument } from "../../grammar/parse.js";
import { evaluate } from "../../compiler/evaluate.js";
import { Reporter } from "../../compiler/reporter.js";
import { formatValue, type EvalValue } from "../../compiler/values.js";

/** Evaluates one expression (written as a model property) with the given ints in scope. */
function run(expr: string, scope: Record<string, number> = {}) {
  const text = `model m {\n  x: ${expr}\n}\n`;
  const parsed = parseDocument(text, "e.sim");
  expect(parsed.diagnostics).toEqual([]);
  const decl = parsed.document.declarations[0];
  if (decl.kind !== "ModelDecl") throw new Error("expected a model");
  const property = decl.items[0] as Property;
  const reporter = new Reporter();
  const at = { file: "e.sim", loc: property.loc };
  const vars = new Map<string, EvalValue>(Object.entries(scope).map(([k, v]) => [k, { kind: "int", value: v, at }]));
  const value = evaluate(property.value, { file: "e.sim", scope: vars, reporter });
  return { value, diagnostics: reporter.diagnostics };
}

const shown = (expr: string, scope?: Record<string, number>) => {
  const { value } = run(expr, scope);
  return value ? `${value.kind} ${formatValue(value)}` : "failed";
};

describe("expression evaluation", () => {
  it("keeps ints and floats apart", () => {
    expect(shown("2 + 3 * 4")).toBe("int 14");
    expect(shown("2.0 + 3")).toBe("float 5.0");
    expect(shown("1e-3")).toBe("float 0.001");
    expect(shown("-(3 - 5)")).toBe("int 2");
    expect(shown("2 ** 10")).toBe("int 1024");
    expect(shown("2 ** -1")).toBe("float 0.5");
    expect(shown("7 % 3")).toBe("int 1");
  });

  it("divides ints exactly to an int and otherwise to a float", () => {
    expect(shown("m / 2", { m: 50 })).toBe("int 25");
    expect(shown("m / 2", { m: 51 })).toBe("float 25.5");
    expect(shown("9.0 / 3")).toBe("float 3.0");
  });

  it("compares and combines booleans, short-circuiting", () => {
    expect(shown("i == 0", { i: 0 })).toBe("bool true");
    expect(shown("i < 3 && i >= 1", { i: 2 })).toBe("bool true");
    expect(shown("!(1 > 2)")).toBe("bool true");
    expect(shown("false && nothing > 1")).toBe("bool false");
    expect(shown("true || nothing > 1")).toBe("bool true");
    expect(shown("[1, 2] == [1, 2]")).toBe("bool true");
    expect(shown('"ab" + "c" == "abc"')).toBe("bool true");
  });

  it("leaves unbound names as symbols, so enum members and data set names pass through", () => {
    expect(shown("same")).toBe("symbol same");
    expect(shown("kind == conv")).toBe("bool false");
  });

  it("reports unknown names in arithmetic, with a suggestion from the scope", () => {
    const { value, diagnostics } = run("chanels * 2", { channels: 8 });
    expect(value).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(["SIM2002"]);
    expect(diagnostics[0].message).toBe("unknown name 'chanels'; did you mean 'channels'?");
    expect(diagnostics[0].loc.line).toBe(2);
    expect(diagnostics[0].loc.column).toBe(6);
  });

  it("reports operator misuse, division by zero and overflow at the expression", () => {
    expect(run("true + 1").diagnostics.map((d) => d.code)).toEqual(["SIM2013"]);
    expect(run("-true").diagnostics.map((d) => d.code)).toEqual(["SIM2013"]);
    expect(run("4 / (2 - 2)").diagnostics.map((d) => d.code)).toEqual(["SIM2014"]);
    expect(run("5 % 0").diagnostics.map((d) => d.code)).toEqual(["SIM2014"]);
    expect(run("10 ** 400").diagnostics.map((d) => d.code)).toEqual(["SIM2021"]);
    expect(run("9007199254740993").diagnostics.map((d) => d.code)).toEqual(["SIM2021"]);
    const division = run("4 / (2 - 2)").diagnostics[0];
    expect(division.loc.column).toBe(6);
  });
});
