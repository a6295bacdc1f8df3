import { describe, expect, it } from "vitest";
import type { IRModule, IRNode } from "../../ir/types.js";
import { verifyIR } from "../../ir/verify.js";
import { lowerModel } from "../../compiler/lower/index.js";
import { activation, cellModel, conv2d, dense, flatten, simModel } from "../lower/fixtures.js";

/** A small image SIM: conv2d → relu → flatten → dense, lift, ϕ, g. */
function imageModule(): IRModule {
  const model = simModel();
  model.input = [4, 4, 1];
  model.basis = [conv2d("basis.0.conv2d", [4, 4, 1], 2), activation("basis.1.relu", "relu", [4, 4, 2]), flatten("basis.2.flatten", [4, 4, 2]), dense("basis.3.dense", [32], 6)];
  const result = lowerModel(model, "sim", { seed: 0 });
  expect(result.diagnostics).toEqual([]);
  return result.module!;
}

const copy = (m: IRModule): IRModule => structuredClone(m);
const node = (m: IRModule, id: string): IRNode => {
  const found = m.graph.nodes.find((n) => n.id === id) ?? m.graph.nodes.flatMap((n) => n.body?.nodes ?? []).find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};
const param = (m: IRModule, name: string) => m.params.find((p) => p.name === name)!;

function problemsAfter(base: IRModule, change: (m: IRModule) => void): string[] {
  const m = copy(base);
  change(m);
  return verifyIR(m);
}

describe("verifyIR", () => {
  it("accepts what lowering produces", () => {
    expect(verifyIR(imageModule())).toEqual([]);
    expect(verifyIR(lowerModel(simModel(), "deq", { seed: 0 }).module!)).toEqual([]);
  });

  it("requires unique ids and inputs defined before use", () => {
    const m = imageModule();
    expect(problemsAfter(m, (x) => (node(x, "basis.1.relu").id = "basis.0.conv2d"))).toContainEqual(expect.stringMatching(/node basis.0.conv2d \(activation\): id is used twice/));
    expect(problemsAfter(m, (x) => (node(x, "basis.1.relu").inputs = ["basis.2.flatten"]))).toContainEqual(
      expect.stringMatching(/input basis.2.flatten is not defined before it/),
    );
  });

  it("requires parameters declared, used, and shaped as their op needs", () => {
    const m = imageModule();
    expect(problemsAfter(m, (x) => (node(x, "lift.B").params = ["lift.X"]))).toEqual(
      expect.arrayContaining([expect.stringMatching(/parameter lift.X is not declared/), expect.stringMatching(/parameter lift.B is declared but no node uses it/)]),
    );
    expect(problemsAfter(m, (x) => (param(x, "basis.3.dense.weight").shape = [31, 6]))).toContainEqual(
      expect.stringMatching(/dense weight basis.3.dense.weight is \[31, 6\] but the input's last axis is 32/),
    );
    expect(problemsAfter(m, (x) => (param(x, "basis.0.conv2d.weight").shape = [3, 3, 2, 2]))).toContainEqual(
      expect.stringMatching(/conv2d kernel basis.0.conv2d.weight has shape \[3, 3, 2, 2\], expected \[3, 3, 1, 2\]/),
    );
    expect(problemsAfter(m, (x) => (param(x, "basis.0.conv2d.bias").shape = [3]))).toContainEqual(expect.stringMatching(/conv2d bias/));
  });

  it("requires node shapes to follow op semantics", () => {
    const m = imageModule();
    expect(problemsAfter(m, (x) => (node(x, "basis.2.flatten").shape = [16]))).toContainEqual(
      expect.stringMatching(/node basis.2.flatten \(flatten\): shape is \[16\] but the op computes \[32\]/),
    );
    expect(problemsAfter(m, (x) => (node(x, "basis.0.conv2d").attrs.padding = "valid"))).toContainEqual(
      expect.stringMatching(/shape is \[4, 4, 2\] but the op computes \[2, 2, 2\]/),
    );
    expect(problemsAfter(m, (x) => (node(x, "basis.1.relu").attrs.fn = "gelu"))).toContainEqual(expect.stringMatching(/activation fn must be one of/));
  });

  it("checks totals and the task's output width", () => {
    const m = imageModule();
    expect(problemsAfter(m, (x) => (x.trainableParams += 1))).toContainEqual(expect.stringMatching(/trainableParams is \d+, the trainable parameters hold \d+/));
    expect(problemsAfter(m, (x) => (x.task = { kind: "classify", classes: 10 }))).toContainEqual(expect.stringMatching(/the output \[3\] must end in 10 \(classes\)/));
  });

  it("checks rff scale and frozen kinds", () => {
    const embed = { kind: "rff" as const, n: 8, r: 4, sigma: 2, kernel: "gauss" as const, features: "cossin" as const, origin: { file: "f", line: 16, column: 3 } };
    const m = lowerModel(simModel({ embed }), "sim", { seed: 0 }).module!;
    expect(problemsAfter(m, (x) => (node(x, "embed").attrs.scale = 1))).toContainEqual(expect.stringMatching(/rff scale must be 1\/sqrt\(n\/2\)/));
    const p = problemsAfter(m, (x) => {
      param(x, "embed.omega").kind = "trainable";
      x.trainableParams += 24;
      x.frozenParams -= 24;
    });
    expect(p).toEqual([expect.stringMatching(/parameter embed.omega must be frozen, is trainable/)]);
  });

  it("checks derived implicit nodes: body inputs, state shape, listed params", () => {
    const m = lowerModel(simModel(), "deq", { seed: 0 }).module!;
    expect(problemsAfter(m, (x) => delete node(x, "deq").body)).toContainEqual(expect.stringMatching(/a derived cell needs a body/));
    expect(problemsAfter(m, (x) => (node(x, "deq").params = node(x, "deq").params.slice(1)))).toContainEqual(
      expect.stringMatching(/the body uses deq.K, which the node does not list/),
    );
    expect(problemsAfter(m, (x) => (node(x, "deq").attrs.stateShape = [4]))).toContainEqual(expect.stringMatching(/attrs.stateShape \[4\] must equal/));
    expect(problemsAfter(m, (x) => (node(x, "deq.K").inputs = ["basis.0.dense"]))).toContainEqual(expect.stringMatching(/input basis.0.dense is not defined before it/));
    expect(problemsAfter(m, (x) => (x.target = "sim"))).toEqual(
      expect.arrayContaining([expect.stringMatching(/a sim module must not contain implicit nodes/)]),
    );
  });

  it("checks explicit cells against the cells.ts layout", () => {
    const m = lowerModel(cellModel("pcdeq", { kind: "dense", units: 5, activation: "tanh", injection: "softplus", beta: 5 }), "deq", { seed: 0 }).module!;
    expect(problemsAfter(m, (x) => delete param(x, "deq.W").constraint)).toEqual([expect.stringMatching(/deq.W needs constraint "nonnegative"/)]);
    expect(problemsAfter(m, (x) => (param(x, "deq.W").shape = [5, 4]))).toContainEqual(expect.stringMatching(/deq.W has shape \[5, 4\], the cell needs \[5, 5\]/));
    expect(problemsAfter(m, (x) => (node(x, "deq").attrs.cellArgs = { kind: "dense", units: 6 }))).toContainEqual(expect.stringMatching(/the pcdeq cell's state is \[6\]/));
    expect(problemsAfter(m, (x) => (node(x, "deq").body = { inputs: ["z"], nodes: [], outputs: ["z"] }))).toContainEqual(expect.stringMatching(/has no body/));
    expect(problemsAfter(m, (x) => delete x.certificate)).toEqual(["a deq module needs a well-posedness certificate"]);
  });

  it("checks initialisers and seeds", () => {
    const m = imageModule();
    expect(problemsAfter(m, (x) => (param(x, "lift.B").init = { kind: "torch_default", fanIn: 0 }))).toEqual([
      "parameter lift.B: torch_default initialiser needs a positive fanIn",
    ]);
    expect(problemsAfter(m, (x) => (param(x, "lift.B").seed = -1))).toEqual(["parameter lift.B: seed must be an unsigned 32-bit integer"]);
  });
});
