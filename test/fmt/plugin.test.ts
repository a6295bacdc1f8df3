import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import plugin, { SimSyntaxError } from "../../grammar/prettier-plugin.js";
import { childKeys } from "../../grammar/visitor.js";
import { format, meaning } from "./format-helpers.js";

describe("the Prettier plugin object", () => {
  it("declares the sim language, parser and printer", () => {
    expect(plugin.languages).toEqual([expect.objectContaining({ name: "sim", extensions: [".sim"], parsers: ["sim"] })]);
    const parser = plugin.parsers?.sim;
    expect(parser?.astFormat).toBe("sim-ast");
    const printer = plugin.printers?.["sim-ast"];
    for (const hook of ["print", "printComment", "canAttachComment", "getVisitorKeys", "massageAstNode"] as const) {
      expect(typeof printer?.[hook]).toBe("function");
    }
  });

  it("derives visitor keys from the AST child-keys table", () => {
    const keys = plugin.printers?.["sim-ast"].getVisitorKeys;
    expect(keys?.({ kind: "CallExpr" } as never, new Set())).toEqual([...childKeys.CallExpr]);
    expect(keys?.({ kind: "Document" } as never, new Set())).toEqual(["imports", "declarations"]);
  });

  it("is picked by file extension", async () => {
    const out = await prettier.format("model m{input:[2]}", { filepath: "x.sim", plugins: [plugin] });
    expect(out).toBe("model m {\n  input: [2]\n}\n");
  });

  it("refuses text with syntax errors with a located error, as Prettier expects", async () => {
    const error = await format("model m {\n  input: [2\n}\n").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SimSyntaxError);
    expect(error).toMatchObject({
      code: "SIM0006",
      loc: { start: { line: 3, column: 1 }, end: { line: 3, column: 2 } },
    });
    expect((error as Error).message).toMatch(/^expected '\]' to close the list \(opened at 2:10\), found '\}' \(3:1\)\n/);
  });
});

describe("layout options", () => {
  const call = "model m { solver: anderson(memory: 6, tol: 1e-3, max_iter: 40) }";

  it("respects printWidth", async () => {
    expect(await format(call, { printWidth: 80 })).toBe("model m {\n  solver: anderson(memory: 6, tol: 1e-3, max_iter: 40)\n}\n");
    expect(await format(call, { printWidth: 40 })).toBe(
      "model m {\n  solver: anderson(\n    memory: 6,\n    tol: 1e-3,\n    max_iter: 40,\n  )\n}\n",
    );
  });

  it("respects tabWidth and useTabs", async () => {
    expect(await format("block b { repeat 2 {\n relu() } }", { tabWidth: 4 })).toBe(
      "block b {\n    repeat 2 {\n        relu()\n    }\n}\n",
    );
    expect(await format("block b { relu() }", { useTabs: true })).toBe("block b {\n\trelu()\n}\n");
  });

  it("breaks a one-line body that no longer fits", async () => {
    const text = "model m { surrogate { dense(units: 32, bias: false, kernel_init: glorot, name: first_layer) } }";
    expect(await format(text)).toBe(
      "model m {\n  surrogate {\n    dense(units: 32, bias: false, kernel_init: glorot, name: first_layer)\n  }\n}\n",
    );
  });

  it("puts exactly one blank line between declarations and after the imports", async () => {
    const text = 'import { a } from "x"\nblock b { relu() }\n\n\n\nmodel m { input: [2] }';
    expect(await format(text)).toBe('import { a } from "x";\n\nblock b {\n  relu()\n}\n\nmodel m {\n  input: [2]\n}\n');
  });

  it("normalises CRLF line ends and keeps the meaning", async () => {
    const text = "model m {\r\n  input: [2] // two\r\n\r\n  head { relu() }\r\n}\r\n";
    const out = await format(text);
    expect(out).toBe("model m {\n  input: [2] // two\n\n  head { relu() }\n}\n");
    expect(meaning(out)).toEqual(meaning(text));
  });
});
