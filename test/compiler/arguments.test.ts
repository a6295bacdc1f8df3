import { describe, expect, it } from "vitest";
import { check, codes, errors, onlyModel, vectorSim } from "./helpers.js";

const basis = (layers: string) => check(vectorSim("[2]", layers));

describe("argument binding", () => {
  it("binds positional then named arguments and fills defaults", () => {
    const model = onlyModel(basis("    dense(16, bias: false)"));
    expect(model.basis[0].args).toEqual({ units: 16, bias: false });
    expect(model.basis[0].params.map((p) => p.name)).toEqual(["weight"]);
    const conv = onlyModel(check(vectorSim("[8, 8, 3]", "    conv2d(4)\n    flatten()")));
    expect(conv.basis[0].args).toEqual({ channels: 4, kernel: 3, stride: 1, padding: "same", bias: true });
  });

  it("widens ints to floats but never narrows floats to ints", () => {
    const model = onlyModel(basis("    dense(units: 8)\n    dropout(rate: 0)"));
    expect(model.basis[1].args.rate).toBe(0);
    const result = basis("    dense(units: 8.0)");
    expect(codes(result)).toEqual(["SIM2004@5:18"]);
    expect(result.diagnostics[0].hint).toBe("write 8 without a decimal point");
  });

  it("reports unknown arguments with the valid ones, and not the argument they misspell as missing", () => {
    const result = basis("    dense(unitz: 8)");
    expect(codes(result)).toEqual(["SIM2003@5:11"]);
    expect(result.diagnostics[0].message).toBe("dense has no argument 'unitz'; did you mean 'units'?");
    expect(result.diagnostics[0].hint).toBe("valid arguments: units, bias");
  });

  it("reports missing, duplicated, surplus and misplaced arguments", () => {
    expect(codes(basis("    dense()"))).toEqual(["SIM2005@5:5"]);
    expect(codes(basis("    dense(8, units: 8)"))).toEqual(["SIM2006@5:14"]);
    expect(codes(basis("    dense(8, true, 1)"))).toEqual(["SIM2006@5:20"]);
    expect(codes(basis("    dense(units: 8, true)"))).toEqual(["SIM2010@5:21"]);
    expect(codes(basis("    relu(1)"))).toEqual(["SIM2006@5:10"]);
  });

  it("checks enum members and ranges", () => {
    const enumResult = check(vectorSim("[8, 8, 3]", "    conv2d(channels: 4, padding: vaild)\n    flatten()"));
    expect(codes(enumResult)).toEqual(["SIM2012@5:34"]);
    expect(enumResult.diagnostics[0].message).toContain("did you mean 'valid'?");
    expect(codes(basis("    dense(units: 0)"))).toEqual(["SIM2011@5:18"]);
    expect(codes(basis("    dense(units: 4)\n    dropout(rate: 1.0)"))).toEqual(["SIM2011@6:19"]);
    expect(codes(basis('    dense(units: "8")'))).toEqual(["SIM2004@5:18"]);
  });

  it("checks block arguments against the declared parameter types", () => {
    const source = (arg: string) => `block widen(units: int, act: relu | tanh = relu, scale: float = 1.0) {
  dense(units: units)
  if act == relu { relu() } else { tanh() }
}
${vectorSim("[2]", `    widen(${arg})`)}`;
    const model = onlyModel(check(source("units: 6, act: tanh")));
    expect(model.basis.map((l) => l.op)).toEqual(["dense", "tanh"]);
    expect(model.basis[0].via).toEqual(["widen"]);
    expect(codes(check(source("units: 6.5")))).toEqual(["SIM2004@9:18"]);
    expect(codes(check(source("units: 6, act: sigmoid")))).toEqual(["SIM2012@9:26"]);
    expect(codes(check(source("units: 6, scale: true")))).toEqual(["SIM2004@9:28"]);
    expect(codes(check(source("unit: 6")))).toEqual(["SIM2003@9:11"]);
    expect(codes(check(source("")))).toEqual(["SIM2005@9:5"]);
  });

  it("type-checks a parameter's default and lets it depend on earlier parameters", () => {
    const good = `block wide(units: int, inner: int = units * 2) {
  dense(units: inner)
}
${vectorSim("[2]", "    wide(units: 3)")}`;
    expect(onlyModel(check(good)).basis[0].args.units).toBe(6);
    const bad = `block wide(units: int = "many") {
  dense(units: units)
}
${vectorSim("[2]", "    wide()")}`;
    expect(errors(check(bad)).map((d) => `${d.code}@${d.loc.line}:${d.loc.column}`)).toEqual(["SIM2004@1:25"]);
  });
});
