import { describe, expect, it } from "vitest";
import type * as A from "../../grammar/ast.js";
import { parseDocument } from "../../grammar/parse.js";

/** Parses text that must be valid and returns its document. */
function parseValid(text: string): A.Document {
  const { document, diagnostics } = parseDocument(text, "test.sim");
  expect(diagnostics.map((d) => `${d.loc.line}:${d.loc.column} ${d.message}`)).toEqual([]);
  return document;
}

/** A node with every `loc` removed, for structural comparisons. */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "loc").map(([k, v]) => [k, strip(v)]));
  }
  return value;
}

function firstBlock(document: A.Document): A.BlockDecl {
  const block = document.declarations[0];
  if (block?.kind !== "BlockDecl") throw new Error("expected a block");
  return block;
}

function firstModel(document: A.Document): A.ModelDecl {
  const model = document.declarations.find((d): d is A.ModelDecl => d.kind === "ModelDecl");
  if (!model) throw new Error("expected a model");
  return model;
}

/** The value of `x: …` in `model m { x: … }`. */
function expr(source: string): unknown {
  const item = firstModel(parseValid(`model m { x: ${source} }`)).items[0];
  if (item.kind !== "Property") throw new Error("expected a property");
  return strip(item.value);
}

const num = (raw: string) => ({ kind: "NumberLiteral", value: Number(raw), raw, isInteger: !/[.eE]/.test(raw) });
const id = (name: string) => ({ kind: "Identifier", name });
const bin = (operator: string, left: unknown, right: unknown) => ({ kind: "BinaryExpr", operator, left, right });

const languageExample = `// MNIST, single-tier SIM (Konishi & Kawahara 2023, Table 10–11): 81,480 trainable parameters.
import { vgg_basis } from "std/basis";
import { fcn } from "std/surrogate";

/// Conv 3×3 → batch norm → ReLU.
block conv_bn_relu(channels: int, kernel: int = 3) {
  conv2d(channels: channels, kernel: kernel, padding: same)
  batchnorm()
  relu()
}

model mnist_sim_single {
  input: [28, 28, 1]
  task: classify(classes: 10)

  basis {
    repeat 2 { conv_bn_relu(channels: 24) }
    maxpool(size: 2)
    flatten()
    dense(units: 50)
  }
  lift: koopman(m: 50, r: 25)
  deq {
    solver: anderson(memory: 6, tol: 1e-3, max_iter: 40)
  }
}
`;

describe("parseDocument: constructs", () => {
  it("parses the language reference's example completely", () => {
    const document = parseValid(languageExample);
    expect(document.imports.map((i) => [i.specifiers.map((s) => s.imported.name), i.source.value])).toEqual([
      [["vgg_basis"], "std/basis"],
      [["fcn"], "std/surrogate"],
    ]);
    const block = firstBlock(document);
    expect(block.name.name).toBe("conv_bn_relu");
    expect(block.doc).toBe("Conv 3×3 → batch norm → ReLU.");
    expect(block.body.map((s) => (s.kind === "CallStatement" ? s.call.callee.name : s.kind))).toEqual([
      "conv2d",
      "batchnorm",
      "relu",
    ]);
    const model = firstModel(document);
    expect(model.items.map((i) => `${i.kind}:${i.key.name}`)).toEqual([
      "Property:input",
      "Property:task",
      "Section:basis",
      "Property:lift",
      "Section:deq",
    ]);
    expect(document.comments.map((c) => c.text)).toEqual([
      "// MNIST, single-tier SIM (Konishi & Kawahara 2023, Table 10–11): 81,480 trainable parameters.",
      "/// Conv 3×3 → batch norm → ReLU.",
    ]);
  });

  it("parses imports with aliases, trailing commas and optional semicolons", () => {
    const document = parseValid(`import { a, b as c, } from "./x.sim"\nimport { d } from "std/y";`);
    expect(strip(document.imports)).toEqual([
      {
        kind: "ImportDecl",
        specifiers: [
          { kind: "ImportSpecifier", imported: id("a") },
          { kind: "ImportSpecifier", imported: id("b"), local: id("c") },
        ],
        source: { kind: "StringLiteral", value: "./x.sim", raw: '"./x.sim"' },
      },
      {
        kind: "ImportDecl",
        specifiers: [{ kind: "ImportSpecifier", imported: id("d") }],
        source: { kind: "StringLiteral", value: "std/y", raw: '"std/y"' },
      },
    ]);
  });

  it("parses typed parameters, enum types and defaults", () => {
    const block = firstBlock(
      parseValid(`block rff_embed(n: int, sigma: float = 1.0, kernel: gauss | laplace = gauss, raw,) { identity() }`),
    );
    expect(strip(block.params)).toEqual([
      { kind: "ParamDecl", name: id("n"), type: { kind: "NamedType", name: "int" } },
      { kind: "ParamDecl", name: id("sigma"), type: { kind: "NamedType", name: "float" }, default: num("1.0") },
      {
        kind: "ParamDecl",
        name: id("kernel"),
        type: { kind: "EnumType", members: [id("gauss"), id("laplace")] },
        default: id("gauss"),
      },
      { kind: "ParamDecl", name: id("raw") },
    ]);
  });

  it("parses a block without a parameter list", () => {
    const block = firstBlock(parseValid(`block head10 { dense(units: 10) }`));
    expect(block.params).toEqual([]);
    expect(block.body).toHaveLength(1);
  });

  it("parses residual with and without shortcut, and empty bodies", () => {
    const block = firstBlock(
      parseValid(`block tcn { residual { conv1d(channels: 8, kernel: 3) } shortcut { conv1d(channels: 8, kernel: 1) }
        residual { relu() }
        residual { } shortcut { } }`),
    );
    const [withShortcut, without, empty] = block.body as A.ResidualStatement[];
    expect(withShortcut.kind).toBe("ResidualStatement");
    expect(withShortcut.body).toHaveLength(1);
    expect(withShortcut.shortcut).toHaveLength(1);
    expect(without.shortcut).toBeUndefined();
    expect(empty.body).toEqual([]);
    expect(empty.shortcut).toEqual([]);
  });

  it("parses both repeat forms", () => {
    const block = firstBlock(parseValid(`block b(depth: int) { repeat depth { relu() } repeat i in 0..depth - 1 { dense(units: 2 ** i) } }`));
    const [count, range] = block.body as A.RepeatStatement[];
    expect(strip(count)).toEqual({
      kind: "RepeatStatement",
      count: id("depth"),
      body: [{ kind: "CallStatement", call: { kind: "CallExpr", callee: id("relu"), args: [] } }],
    });
    expect(range.variable?.name).toBe("i");
    expect(strip(range.from)).toEqual(num("0"));
    expect(strip(range.to)).toEqual(bin("-", id("depth"), num("1")));
    expect(range.count).toBeUndefined();
  });

  it("parses if/else on block parameters", () => {
    const block = firstBlock(parseValid(`block b(norm: bool) { if norm && !fast { batchnorm() } else { identity() } if x == 1 { relu() } }`));
    const [withElse, withoutElse] = block.body as A.IfStatement[];
    expect(strip(withElse.condition)).toEqual(bin("&&", id("norm"), { kind: "UnaryExpr", operator: "!", operand: id("fast") }));
    expect(withElse.then).toHaveLength(1);
    expect(withElse.else).toHaveLength(1);
    expect(withoutElse.else).toBeUndefined();
  });

  it("parses properties and sections in a model, with any separators", () => {
    const model = firstModel(parseValid(`model m { input: [2]; target: deq, head { dense(units: 1); relu(), } train { epochs: 3; batch: 0 } }`));
    expect(model.items.map((i) => i.kind)).toEqual(["Property", "Property", "Section", "Section"]);
    const train = model.items[3] as A.Section;
    expect(strip(train.body)).toEqual([
      { kind: "Property", key: id("epochs"), value: num("3") },
      { kind: "Property", key: id("batch"), value: num("0") },
    ]);
  });

  it("parses positional and named arguments, nested calls and lists", () => {
    expect(expr(`rff(256, sigma: 0.5, kernel: laplace, dims: [1, 2,], f: g(h()))`)).toEqual({
      kind: "CallExpr",
      callee: id("rff"),
      args: [
        { kind: "Argument", value: num("256") },
        { kind: "Argument", name: id("sigma"), value: num("0.5") },
        { kind: "Argument", name: id("kernel"), value: id("laplace") },
        { kind: "Argument", name: id("dims"), value: { kind: "ListExpr", elements: [num("1"), num("2")] } },
        {
          kind: "Argument",
          name: id("f"),
          value: {
            kind: "CallExpr",
            callee: id("g"),
            args: [{ kind: "Argument", value: { kind: "CallExpr", callee: id("h"), args: [] } }],
          },
        },
      ],
    });
  });

  it("parses literals as written", () => {
    expect(expr(`[24, 0.5, 1e-3, .5, 2E+4, "a\\"b\\\\c", true, false, []]`)).toEqual({
      kind: "ListExpr",
      elements: [
        num("24"),
        num("0.5"),
        num("1e-3"),
        num(".5"),
        num("2E+4"),
        { kind: "StringLiteral", value: 'a"b\\c', raw: '"a\\"b\\\\c"' },
        { kind: "BooleanLiteral", value: true },
        { kind: "BooleanLiteral", value: false },
        { kind: "ListExpr", elements: [] },
      ],
    });
  });

  it("applies operator precedence and associativity", () => {
    expect(expr(`1 + 2 * 3`)).toEqual(bin("+", num("1"), bin("*", num("2"), num("3"))));
    expect(expr(`1 - 2 - 3`)).toEqual(bin("-", bin("-", num("1"), num("2")), num("3")));
    expect(expr(`2 ** 3 ** 2`)).toEqual(bin("**", num("2"), bin("**", num("3"), num("2"))));
    expect(expr(`(1 + 2) * 3`)).toEqual(bin("*", bin("+", num("1"), num("2")), num("3")));
    expect(expr(`-2 ** 2`)).toEqual(bin("**", { kind: "UnaryExpr", operator: "-", operand: num("2") }, num("2")));
    expect(expr(`a || b && c == d < e + f % g`)).toEqual(
      bin("||", id("a"), bin("&&", id("b"), bin("==", id("c"), bin("<", id("d"), bin("+", id("e"), bin("%", id("f"), id("g"))))))),
    );
    expect(expr(`a <= b != c >= d`)).toEqual(bin("!=", bin("<=", id("a"), id("b")), bin(">=", id("c"), id("d"))));
    expect(expr(`m / 2 > 1`)).toEqual(bin(">", bin("/", id("m"), num("2")), num("1")));
  });

  it("treats newlines as insignificant", () => {
    const oneLine = parseValid(`block b { dense(units: 1) relu() x: 1 }`);
    const spread = parseValid(`block\nb\n{\ndense(\nunits\n:\n1\n)\nrelu(\n)\nx\n:\n1\n}`);
    expect(strip(spread)).toEqual(strip(oneLine));
  });

  it("keeps only '///' lines directly above a declaration as its doc", () => {
    const document = parseValid(
      [
        "/// not attached (blank line follows)",
        "",
        "/// First line.",
        "///   indented",
        "model m {}",
        "//// four slashes are a plain comment",
        "block b {}",
        "block c { x() } /// trailing, not a doc line",
        "block d {}",
        "/// above a line that starts with another declaration",
        "model n {} block e {}",
      ].join("\n"),
    );
    const [m, b, c, d, n, e] = document.declarations;
    expect(m.doc).toBe("First line.\n  indented");
    expect(b.doc).toBeUndefined();
    expect(c.doc).toBeUndefined();
    expect(d.doc).toBeUndefined();
    expect(n.doc).toBe("above a line that starts with another declaration");
    expect(e.doc).toBeUndefined();
    expect(document.comments.map((k) => k.style)).toEqual(["line", "line", "line", "line", "line", "line"]);
  });

  it("returns an empty document for empty and comment-only files", () => {
    for (const text of ["", "   \n\t\r\n", "// only a comment\n/* and a block */"]) {
      const { document, diagnostics } = parseDocument(text, "empty.sim");
      expect(diagnostics).toEqual([]);
      expect(document.imports).toEqual([]);
      expect(document.declarations).toEqual([]);
      expect(document.loc).toMatchObject({ start: 0, end: text.length });
    }
    expect(parseDocument("/* a */ // b", "c.sim").document.comments.map((c) => [c.style, c.text])).toEqual([
      ["block", "/* a */"],
      ["line", "// b"],
    ]);
  });

  it("accepts a byte-order mark and CRLF line ends", () => {
    const document = parseValid("\ufeffmodel m {\r\n  input: [2]\r\n}\r\n");
    expect(firstModel(document).items[0].loc).toMatchObject({ line: 2, column: 3 });
  });
});

describe("parseDocument: locations", () => {
  const text = [
    'import { a as b } from "std/x";', // line 1
    "block conv(k: int = 3) {", // line 2
    "  dense(units: k * 2)", // line 3
    "}", // line 4
    "model m {", // line 5
    "  input: [28, 28, 1]", // line 6
    "  basis { relu() }", // line 7
    "}",
  ].join("\n");
  const document = parseValid(text);

  it("uses 0-based exclusive offsets and 1-based columns one past the end", () => {
    const block = firstBlock(document);
    expect(block.name.loc).toEqual({ start: 38, end: 42, line: 2, column: 7, endLine: 2, endColumn: 11 });
    expect(text.slice(block.name.loc.start, block.name.loc.end)).toBe("conv");
    expect(block.loc).toMatchObject({ line: 2, column: 1, endLine: 4, endColumn: 2 });
    expect(text.slice(block.loc.start, block.loc.end)).toBe(text.split("\n").slice(1, 4).join("\n"));
  });

  it("locates statements, calls, arguments and binary expressions", () => {
    const call = (firstBlock(document).body[0] as A.CallStatement).call;
    expect(text.slice(call.loc.start, call.loc.end)).toBe("dense(units: k * 2)");
    expect(call.loc).toMatchObject({ line: 3, column: 3, endLine: 3, endColumn: 22 });
    const argument = call.args[0];
    expect(text.slice(argument.loc.start, argument.loc.end)).toBe("units: k * 2");
    expect(argument.value?.loc).toMatchObject({ line: 3, column: 16, endLine: 3, endColumn: 21 });
  });

  it("locates imports, params, defaults, model items and lists", () => {
    const slice = (node: { loc: A.SourceLocation }) => text.slice(node.loc.start, node.loc.end);
    expect(slice(document.imports[0])).toBe('import { a as b } from "std/x";');
    expect(slice(document.imports[0].specifiers[0])).toBe("a as b");
    const param = firstBlock(document).params[0];
    expect(slice(param)).toBe("k: int = 3");
    expect(slice(param.type!)).toBe("int");
    const [input, basis] = firstModel(document).items;
    expect(slice(input)).toBe("input: [28, 28, 1]");
    expect(slice((input as A.Property).value!)).toBe("[28, 28, 1]");
    expect(slice(basis)).toBe("basis { relu() }");
    expect(basis.loc).toMatchObject({ line: 7, column: 3, endLine: 7, endColumn: 19 });
  });
});
