import { describe, expect, it } from "vitest";
import { parseIR, serializeIR } from "../../ir/serialize.js";
import type { IRModule } from "../../ir/types.js";
import { lowerModel } from "../../compiler/lower/index.js";
import { cellModel, simModel } from "../lower/fixtures.js";

function modules(): IRModule[] {
  const embed = { kind: "rff" as const, n: 8, r: 4, sigma: 2, kernel: "gauss" as const, features: "cosbias" as const, origin: { file: "f", line: 16, column: 3 } };
  return [
    lowerModel(simModel(), "sim", { seed: 1 }).module!,
    lowerModel(simModel({ embed }), "sim", { seed: 1 }).module!,
    lowerModel(simModel(), "deq", { seed: 1 }).module!,
    lowerModel(cellModel("monotone", { kind: "dense", units: 6, m: 1 }), "deq", { seed: 1 }).module!,
    lowerModel(cellModel("pcdeq", { kind: "conv", channels: 3, kernel: 3, activation: "tanh", injection: "softplus", beta: 5 }, [6, 6, 1]), "deq", { seed: 1 }).module!,
  ];
}

/** Reverses the key order of every object, to show serialisation does not depend on it. */
function shuffledKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(shuffledKeys) as T;
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, shuffledKeys(v)])) as T;
  return value;
}

describe("serializeIR / parseIR", () => {
  it("round-trips every module exactly", () => {
    for (const m of modules()) {
      const text = serializeIR(m);
      const parsed = parseIR(text, "m.json");
      expect(parsed.diagnostics).toEqual([]);
      expect(parsed.module).toEqual(m);
      expect(serializeIR(parsed.module!)).toBe(text);
    }
  });

  it("writes keys in a fixed order whatever order the object has", () => {
    for (const m of modules()) expect(serializeIR(shuffledKeys(m))).toBe(serializeIR(m));
    const text = serializeIR(modules()[0]);
    const topKeys = Object.keys(JSON.parse(text));
    expect(topKeys.slice(0, 4)).toEqual(["version", "model", "target", "variant"]);
    expect(topKeys.slice(-2)).toEqual(["params", "graph"]);
    // short lists stay on one line
    expect(text).toContain('"shape": [6, 3]');
  });

  it("reports invalid JSON at its line and column", () => {
    const text = serializeIR(modules()[0]).replace('"target": "sim",', '"target": "sim"');
    const { module, diagnostics } = parseIR(text, "broken.json");
    expect(module).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: "SIM5101", file: "broken.json", severity: "error" });
    const line = text.split("\n").findIndex((l) => l.includes('"variant"')) + 1;
    expect(diagnostics[0].loc.line).toBe(line);
  });

  it("rejects other IR versions with a hint to recompile", () => {
    const value = JSON.parse(serializeIR(modules()[0]));
    value.version = 2;
    const { module, diagnostics } = parseIR(JSON.stringify(value, null, 2), "v2.json");
    expect(module).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: "SIM5102", loc: { line: 2 } });
    expect(diagnostics[0].message).toContain("this simc reads version 1");
    expect(diagnostics[0].hint).toMatch(/recompile/);
    expect(parseIR("[1, 2]", "list.json").diagnostics[0].code).toBe("SIM5102");
  });

  it("locates structural problems by JSON path", () => {
    const value = JSON.parse(serializeIR(modules()[0]));
    value.graph.nodes[2].shape = [6, "x"];
    delete value.params[1].init;
    const text = JSON.stringify(value, null, 2);
    const { module, diagnostics } = parseIR(text, "bad.json");
    expect(module).toBeUndefined();
    const messages = diagnostics.map((d) => d.message);
    expect(messages).toContain('$.graph.nodes[2].shape[1]: expected a positive integer, found string "x"');
    expect(messages).toContain('$.params[1]: missing field "init"');
    const shapeProblem = diagnostics.find((d) => d.message.startsWith("$.graph.nodes[2].shape[1]"))!;
    expect(text.slice(shapeProblem.loc.start, shapeProblem.loc.end)).toBe('"x"');
    expect(text.split("\n")[shapeProblem.loc.line - 1]).toContain('"x"');
  });

  it("runs the verifier and points at the offending node", () => {
    const value = JSON.parse(serializeIR(modules()[0]));
    const index = value.graph.nodes.findIndex((n: { id: string }) => n.id === "lift.C");
    value.graph.nodes[index].inputs = ["nowhere"];
    const text = JSON.stringify(value, null, 2);
    const { module, diagnostics } = parseIR(text, "bad.json");
    expect(module).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: "SIM5104" });
    expect(diagnostics[0].message).toContain("input nowhere is not defined before it");
    expect(text.slice(diagnostics[0].loc.start).startsWith("{")).toBe(true);
    expect(text.split("\n")[diagnostics[0].loc.line].trim()).toBe('"id": "lift.C",');
  });
});
