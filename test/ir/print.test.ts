import { describe, expect, it } from "vitest";
import { printIR } from "../../ir/print.js";
import { lowerModel } from "../../compiler/lower/index.js";
import { cellModel, simModel } from "../lower/fixtures.js";

describe("printIR", () => {
  it("lists every node with its inputs, attributes, shape and parameters", () => {
    const embed = { kind: "rff" as const, n: 8, r: 4, sigma: 2, kernel: "gauss" as const, features: "cossin" as const, origin: { file: "f", line: 16, column: 3 } };
    const m = lowerModel(simModel({ embed }), "sim", { seed: 0 }).module!;
    const lines = printIR(m).split("\n");
    expect(lines[0]).toBe("model fixture  target sim (two)  input [4]  classify(3)");
    expect(lines[1]).toBe(`parameters: ${m.trainableParams.toLocaleString("en-US")} trainable, 24 frozen`);
    expect(lines).toContain("%embed = rff(%basis.0.dense) features=cossin n=8 scale=0.5 kernel=gauss sigma=2 : [8]");
    expect(lines).toContain("    params: embed.omega [6,4] (frozen)");
    expect(lines).toContain("%embed.D = dense(%embed) : [4]");
    expect(lines.at(-2)).toBe("return %head.0.dense");
    for (const node of m.graph.nodes) expect(lines.some((l) => l.startsWith(`%${node.id} = `))).toBe(true);
  });

  it("indents implicit bodies and states the certificate", () => {
    const derived = printIR(lowerModel(simModel(), "deq", { seed: 0 }).module!);
    expect(derived).toContain("    | %deq.inject = add(%u, %deq.A) : [6]");
    expect(derived).toContain("    | return %surrogate.2.dense");
    expect(derived).toMatch(/^well-posedness: not guaranteed — no well-posedness guarantee/m);
    const monotone = printIR(lowerModel(cellModel("monotone", { kind: "dense", units: 4, m: 1 }), "deq", { seed: 0 }).module!);
    expect(monotone).toMatch(/%deq = implicit\(%input\) cell=monotone cellArgs=\{kind: dense, units: 4, m: 1\} solver=\{name: anderson/);
    expect(monotone).toContain("    params: deq.U.weight [4,4], deq.U.bias [4], deq.A [4,4], deq.B [4,4]");
  });
});
