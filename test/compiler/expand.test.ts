import { describe, expect, it } from "vitest";
import { check, codes, onlyModel, vectorSim } from "./helpers.js";

describe("block expansion", () => {
  it("expands repeat, ranged repeat and if on block arguments", () => {
    const source = `block stack(levels: int, last: bool = false) {
  repeat i in 0..levels {
    dense(units: 2 ** (i + 1))
    if i == levels - 1 && last { tanh() } else { relu() }
  }
}
${vectorSim("[2]", "    stack(levels: 3, last: true)\n    repeat 2 { dense(units: 5) }")}`;
    const model = onlyModel(check(source));
    expect(model.basis.map((l) => `${l.op}${l.op === "dense" ? l.outputShape[0] : ""}`)).toEqual([
      "dense2",
      "relu",
      "dense4",
      "relu",
      "dense8",
      "tanh",
      "dense5",
      "dense5",
    ]);
    expect(model.basis.map((l) => l.path).slice(0, 3)).toEqual(["basis.0.dense", "basis.1.relu", "basis.2.dense"]);
    expect(model.basis[0].via).toEqual(["stack"]);
    expect(model.basis[7].via).toEqual([]);
  });

  it("allows recursion that stops, and stops recursion that does not", () => {
    const countdown = `block down(n: int) {
  dense(units: n)
  if n > 1 { down(n: n - 1) }
}
${vectorSim("[2]", "    down(n: 4)")}`;
    expect(onlyModel(check(countdown)).basis.map((l) => l.outputShape[0])).toEqual([4, 3, 2, 1]);
    const forever = countdown.replace("if n > 1 { down(n: n - 1) }", "down(n: n)");
    const result = check(forever);
    expect(codes(result)).toEqual(["SIM2015@3:3"]);
    expect(result.diagnostics[0].message).toContain("more than 32 levels deep");
  });

  it("sums residual branches, with an identity shortcut when none is given", () => {
    const source = vectorSim(
      "[16, 3]",
      `    residual {
      conv1d(channels: 4, kernel: 3, causal: true)
    } shortcut {
      conv1d(channels: 4, kernel: 1)
    }
    residual { relu() }
    dense(units: 8)`,
    );
    const model = onlyModel(check(source));
    const [first, second] = model.basis;
    expect(first.op).toBe("residual");
    expect(first.outputShape).toEqual([16, 4]);
    expect(first.body!.map((l) => l.path)).toEqual(["basis.0.residual.body.0.conv1d"]);
    expect(first.shortcut!.map((l) => l.path)).toEqual(["basis.0.residual.shortcut.0.conv1d"]);
    expect(second.shortcut).toEqual([]);
    expect(model.trainableParams).toBeGreaterThan(0);
  });

  it("reports residual branches of different shapes, naming both and the fix", () => {
    const result = check(vectorSim("[16, 3]", "    residual {\n      conv1d(channels: 4, kernel: 3)\n    }\n    dense(units: 8)"));
    expect(codes(result)).toEqual(["SIM3003@5:5"]);
    expect(result.diagnostics[0].message).toBe(
      "residual branches differ: the body gives [16, 4], the shortcut gives [16, 3] (the identity)",
    );
    expect(result.diagnostics[0].hint).toBe("add a shortcut { conv1d(channels: 4, kernel: 1) } to match the channels");
  });

  it("reports unknown layers and blocks with a suggestion, even in blocks never applied", () => {
    const result = check(`block unused() {\n  dropuot(rate: 0.1)\n}\n${vectorSim("[2]", "    dense(units: 4)\n    rellu()")}`);
    expect(codes(result)).toEqual(["SIM2001@2:3", "SIM2001@9:5"]);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      "unknown layer or block 'dropuot'; did you mean 'dropout'?",
      "unknown layer or block 'rellu'; did you mean 'relu'?",
    ]);
  });

  it("checks argument names in blocks never applied, and reports them once when applied", () => {
    const source = `block unused(c: int) {\n  conv2d(chanels: c)\n}\nblock used(width: int) {\n  dense(unit: width)\n}\n${vectorSim("[2]", "    used(widht: 3)\n    used(width: 3)")}`;
    const result = check(source);
    expect(codes(result)).toEqual(["SIM2003@2:10", "SIM2003@5:9", "SIM2003@11:10"]);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      "conv2d has no argument 'chanels'; did you mean 'channels'?",
      "dense has no argument 'unit'; did you mean 'units'?",
      "block used has no argument 'widht'; did you mean 'width'?",
    ]);
  });

  it("rejects blocks named like built-in layers, duplicates, and settings in layer sequences", () => {
    expect(codes(check("block dense() {\n  relu()\n}\n"))).toEqual(["SIM2007@1:7"]);
    expect(codes(check("block a() {\n  relu()\n}\nblock a() {\n  relu()\n}\n"))).toEqual(["SIM2007@4:7"]);
    expect(codes(check(vectorSim("[2]", "    units: 4\n    dense(units: 4)")))).toEqual(["SIM2019@5:5"]);
  });

  it("validates repeat counts, ranges, loop variables and conditions", () => {
    expect(codes(check(vectorSim("[2]", "    repeat 1.5 { dense(units: 4) }")))).toEqual(["SIM2016@5:12"]);
    expect(codes(check(vectorSim("[2]", "    repeat 20000 { relu() }\n    dense(units: 4)")))).toEqual(["SIM2016@5:12"]);
    expect(codes(check(vectorSim("[2]", "    repeat i in 0..true { relu() }\n    dense(units: 4)")))).toEqual(["SIM2016@5:20"]);
    expect(codes(check(vectorSim("[2]", "    if 1 { relu() }\n    dense(units: 4)")))).toEqual(["SIM2017@5:8"]);
    const empty = onlyModel(check(vectorSim("[2]", "    repeat i in 3..1 { relu() }\n    dense(units: 4)")));
    expect(empty.basis.map((l) => l.op)).toEqual(["dense"]);
  });

  it("shows a problem inside a standard-library block at the user's call, pointing into the library", () => {
    const result = check(`import { vgg_basis } from "std/vgg"\n${vectorSim("[50]", "    vgg_basis(channels: 8, m: 16)")}`);
    expect(codes(result)).toEqual(["SIM3001@6:5"]);
    expect(result.diagnostics[0].file).toBe("test.sim");
    expect(result.diagnostics[0].related?.[0]).toMatchObject({ file: "std/vgg", message: "inside vgg_basis › conv_bn_relu (std/vgg)" });
  });

  it("stops runaway expansion with one error", () => {
    const result = check(vectorSim("[2]", "    repeat 10000 { repeat 10000 { relu() } }\n    dense(units: 4)"));
    expect(codes(result)).toEqual(["SIM2018@5:35"]);
  });
});

describe("diagnostic cap", () => {
  it("stops after 100 problems in a file and says so", () => {
    const calls = Array.from({ length: 150 }, (_, i) => `  nope${i}()`).join("\n");
    const result = check(`block many() {\n${calls}\n}\n`);
    expect(result.diagnostics).toHaveLength(101);
    expect(result.diagnostics.filter((d) => d.code === "SIM2001")).toHaveLength(100);
    expect(result.diagnostics.find((d) => d.code === "SIM9002")).toMatchObject({
      severity: "info",
      message: "stopped after 100 problems in this file",
    });
  });
});
