/** The pieces under the CLI's defences: strict UTF-8, the graph hash, the memory estimate. */
import { describe, expect, it } from "vitest";
import { CodedError } from "../../core/coded-error.js";
import { decodeText } from "../../core/input-file.js";
import { graphHash } from "../../runtime/graph-hash.js";
import { estimateMemory, requireWithinBudget } from "../../runtime/memory-budget.js";
import { growthProblem } from "../../runtime/train/guard.js";
import { pixelModel } from "./workspace.js";

const bytes = (...values: number[]) => Uint8Array.from(values);
const decodeError = (data: Uint8Array): CodedError => {
  try {
    decodeText(data, "x.sim", "spec");
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
  throw new Error("decoded");
};

describe("strict UTF-8", () => {
  it("decodes valid text of every sequence length and drops a byte-order mark", () => {
    const text = "a é € 😀\n";
    expect(decodeText(new TextEncoder().encode(text), "x.sim", "spec")).toBe(text);
    expect(decodeText(bytes(0xef, 0xbb, 0xbf, 0x61), "x.sim", "spec")).toBe("a");
    expect(decodeText(bytes(0xef, 0xbb, 0xbf), "x.sim", "spec")).toBe("");
  });

  it("refuses overlong forms, surrogates, stray continuations and a sequence cut at the end", () => {
    const cases: [Uint8Array, number][] = [
      [bytes(0x61, 0xc0, 0xaf), 1], // overlong '/'
      [bytes(0xe0, 0x80, 0xaf), 0], // overlong three-byte form
      [bytes(0x61, 0x62, 0xed, 0xa0, 0x80), 2], // UTF-16 surrogate
      [bytes(0x80), 0], // continuation without a lead
      [bytes(0x61, 0xe2, 0x82), 1], // cut at the end
      [bytes(0xf4, 0x90, 0x80, 0x80), 0], // past U+10FFFF
    ];
    for (const [data, offset] of cases) {
      const error = decodeError(data);
      expect(error.code).toBe("SIM7005");
      expect(error.message).toContain(`(byte offset ${offset})`);
    }
  });

  it("places the bad byte by line and character column, after multi-byte characters", () => {
    const data = Buffer.concat([Buffer.from("line one\n  é€ ", "utf8"), bytes(0xe9), Buffer.from("\n")]);
    const error = decodeError(data);
    expect(error.at).toEqual({ line: 2, column: 6 });
    expect(error.message).toContain("byte 0xE9 at line 2, column 6");
  });

  it("calls text with a NUL byte binary, unless a bad byte comes first", () => {
    expect(decodeError(bytes(0x61, 0x00, 0xff)).code).toBe("SIM7006");
    expect(decodeError(bytes(0x61, 0xff, 0x00)).code).toBe("SIM7005");
  });
});

describe("graph hash", () => {
  it("changes with an activation or the model's name, not with source places or seeds", () => {
    const base = graphHash(pixelModel("relu"));
    expect(graphHash(pixelModel("relu"))).toBe(base);
    expect(graphHash(pixelModel("tanh"))).not.toBe(base);
    const renamed = pixelModel("relu");
    renamed.model = "other";
    expect(graphHash(renamed)).not.toBe(base);
    const moved = pixelModel("relu");
    moved.graph.nodes[1].loc = { file: "x.sim", line: 40, column: 3 };
    moved.params = moved.params.map((p) => ({ ...p, seed: p.seed + 1000 }));
    moved.source = { file: "elsewhere.sim", seed: 9 };
    expect(graphHash(moved)).toBe(base);
  });
});

describe("memory estimate", () => {
  it("counts float32 parameters and every node's values per example", () => {
    const estimate = estimateMemory(pixelModel());
    // dense 2→16 (48) + dense 16→3 (51) parameters; input 2 + outputs 16 + 16 + 3 + graph input node 2 per example.
    expect(estimate.parameters).toBe(48 + 51);
    expect(estimate.parameterBytes).toBe(4 * 99);
    expect(estimate.activationBytesPerExample).toBe(4 * (2 + 2 + 16 + 16 + 3));
    expect(estimate.trainingBytes(10)).toBe(4 * 4 * 99 + 2 * 10 * 4 * 39);
  });

  it("refuses over budget naming the need, the budget and a batch that fits", () => {
    const module = pixelModel();
    expect(() => requireWithinBudget(module, "train", 100, 1e9)).not.toThrow();
    let error: unknown;
    try {
      requireWithinBudget(module, "train", 100, 20_000);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe("SIM7301");
    expect((error as CodedError).message).toContain("more than the memory budget of 20.0 KB");
    // (20000 − 4·4·99) / (2·4·39) = 59.03: 59 examples per batch fit.
    expect((error as CodedError).hint).toContain("use a batch of at most 59");
  });
});

describe("divergence bound", () => {
  it("stops at 10⁴ × the first loss (at least 1) and 10⁸ × the first gradient norm", () => {
    expect(growthProblem({ loss: 2, gradNorm: 1 }, 19_999, 5)).toBeUndefined();
    expect(growthProblem({ loss: 2, gradNorm: 1 }, 20_001, 5)).toContain("the loss grew to 2.00e+4");
    expect(growthProblem({ loss: 0.001, gradNorm: 1 }, 9_999, 5)).toBeUndefined();
    expect(growthProblem({ loss: 2, gradNorm: 3 }, 1, 3.1e8)).toContain("the gradient norm exploded");
  });
});
