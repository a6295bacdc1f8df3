import { describe, expect, it } from "vitest";
import { lowerModel } from "../../compiler/lower/index.js";
import { activation, at, cellModel, dense, FILE, flatten, simModel } from "./fixtures.js";

function onlyDiagnostic(result: ReturnType<typeof lowerModel>) {
  expect(result.module).toBeUndefined();
  expect(result.diagnostics).toHaveLength(1);
  const [d] = result.diagnostics;
  expect(d.severity).toBe("error");
  expect(d.file).toBe(FILE);
  expect(d.hint).toBeTruthy();
  return d;
}

describe("models that cannot lower to the asked target", () => {
  it("--target sim on a DEQ-only model points at its cell", () => {
    const d = onlyDiagnostic(lowerModel(cellModel("dense", { units: 4, activation: "relu", norm: "none" }), "sim", { seed: 0 }));
    expect(d).toMatchObject({ code: "SIM5001", loc: { line: 34, column: 3 } });
    expect(d.message).toBe("model 'cellfixture' has no SIM parts to lower: it declares only a DEQ cell");
    expect(d.hint).toContain("--target deq");
  });

  it("a two-tier model without its embedding", () => {
    const model = simModel();
    model.variant = "two";
    const d = onlyDiagnostic(lowerModel(model, "sim", { seed: 0 }));
    expect(d).toMatchObject({ code: "SIM5002", loc: { line: 15 } });
    expect(d.hint).toContain("embed: rff(");
  });

  it("a derived DEQ without a surrogate, or without SIM parts", () => {
    const model = simModel();
    model.surrogate = [];
    const d = onlyDiagnostic(lowerModel(model, "deq", { seed: 0 }));
    expect(d.code).toBe("SIM5003");
    expect(d.message).toContain("needs a surrogate ϕ");

    const bare = cellModel("dense", { units: 4, activation: "relu", norm: "none" });
    delete bare.deq!.cell;
    const e = onlyDiagnostic(lowerModel(bare, "deq", { seed: 0 }));
    expect(e).toMatchObject({ code: "SIM5003", loc: { line: 35 } });
    expect(e.message).toContain("a lifted space");
  });

  it("a lift whose m differs from ψ's width", () => {
    const model = simModel();
    model.lift = { m: 7, r: 3, origin: at(15, 9) };
    for (const target of ["sim", "deq"] as const) {
      const d = onlyDiagnostic(lowerModel(model, target, { seed: 0 }));
      expect(d).toMatchObject({ code: "SIM5004", loc: { line: 15, column: 9 } });
      expect(d.message).toBe("koopman(m: 7) does not match the 6 features it projects");
    }
  });

  it("a head that cannot read the explicit cell's state", () => {
    const model = cellModel("dense", { units: 4, activation: "relu", norm: "none" });
    model.head = [dense("head.0.dense", [5], 3, true, 30)];
    const d = onlyDiagnostic(lowerModel(model, "deq", { seed: 0 }));
    expect(d).toMatchObject({ code: "SIM5005", loc: { line: 30 } });
    expect(d.message).toBe("the head expects [5] but the DEQ state z* is [4]");
  });

  it("a derived cell whose surrogate does not act per position", () => {
    const model = simModel({ input: [3, 4] });
    model.surrogate = [flatten("surrogate.0.flatten", [3, 6]), dense("surrogate.1.dense", [18], 5, true, 21)];
    model.head = [dense("head.0.dense", [5], 3, true, 30)];
    const d = onlyDiagnostic(lowerModel(model, "deq", { seed: 0 }));
    expect(d).toMatchObject({ code: "SIM5006" });
    // the same model is a fine SIM
    expect(lowerModel(model, "sim", { seed: 0 }).diagnostics).toEqual([]);
  });

  it("a layer the IR has no op for", () => {
    const model = simModel();
    model.surrogate = [...model.surrogate, activation("surrogate.3.gelu", "gelu", [5], 23)];
    const d = onlyDiagnostic(lowerModel(model, "sim", { seed: 0 }));
    expect(d).toMatchObject({ code: "SIM5007", loc: { line: 23 } });
    expect(d.message).toBe("layer 'gelu' has no IR lowering");
  });
});
