import { describe, expect, it } from "vitest";
import { parseDocument } from "../../grammar/parse.js";
import { SyntaxCode, syntaxCodeTable } from "../../core/codes/syntax.js";

/** `line:column code message` for each diagnostic. */
function problems(text: string): string[] {
  return parseDocument(text, "bad.sim").diagnostics.map((d) => `${d.loc.line}:${d.loc.column} ${d.code} ${d.message}`);
}

describe("syntax errors", () => {
  const cases: [name: string, text: string, expected: string][] = [
    [
      "missing '}' before the next declaration",
      "/// doc\nblock conv_bn_relu(channels: int, kernel: int = 3) {\n  conv2d(channels: channels)\n\nmodel m { input: [2] }\n",
      "5:1 SIM0006 expected '}' to close block 'conv_bn_relu' (opened at 2:52), found keyword 'model'",
    ],
    [
      "missing '}' at the end of the file",
      "model m {\n  basis {\n    relu()\n  }\n",
      "5:1 SIM0006 expected '}' to close model 'm' (opened at 1:9), found end of file",
    ],
    [
      "missing ')' of an argument list",
      "block b {\n  dense(units: 3\n}\n",
      "3:1 SIM0006 expected ')' to close the argument list of 'dense' (opened at 2:8), found '}'",
    ],
    ["extra ',' in an argument list", "block b { dense(, units: 2) }", "1:17 SIM0010 unexpected ',' — expected an argument or ')'"],
    ["missing argument value", "block b {\n  dense(units: )\n}", "2:16 SIM0010 expected a value after 'units:', found ')'"],
    ["missing ',' between arguments", "block b { dense(units: 3 bias: true) }", "1:26 SIM0011 expected ',' or ')' after an argument, found 'bias'"],
    ["layer without parentheses", "block b {\n  relu\n}", "3:1 SIM0011 expected '(' or ':' after 'relu', found '}'"],
    ["keyword as a name", "block in { relu() }", "1:7 SIM0009 'in' is a keyword and cannot be used as a block name"],
    ["model item without ':'", "model m {\n  input [2]\n}", "2:9 SIM0011 expected ':' or '{' after 'input', found '['"],
    ["stray token in a model", "model m { 42 }", "1:11 SIM0013 unexpected number '42' — expected a model item ('name: value' or 'name { … }')"],
    ["stray token in a body", "block b { relu() 42 }", "1:18 SIM0012 unexpected number '42' — expected a statement (a layer call, 'name: value', residual, repeat or if)"],
    ["unmatched ')'", "block b { dense()) }", "1:18 SIM0007 unexpected ')' with no matching '('"],
    ["unmatched '}' at top level", "model m {}\n}", "2:1 SIM0007 unexpected '}' with no matching '{'"],
    ["statement at top level", "dense(units: 1)", "1:1 SIM0014 expected 'import', 'block' or 'model', found 'dense'"],
    ["import after a declaration", 'model m {}\nimport { a } from "b"', "2:1 SIM0015 imports must come before blocks and models"],
    ["import without names", 'import { } from "x"', "1:10 SIM0008 expected a name to import after '{', found '}'"],
    ["import without 'from'", 'import { a } "x"', "1:14 SIM0011 expected 'from' after the import list, found string \"x\""],
    ["enum type ending in '|'", "block b(k: gauss | ) {}", "1:20 SIM0008 expected an enum member after '|', found ')'"],
    ["range without '..'", "block b { repeat i in 0 8 { } }", "1:25 SIM0011 expected '..' between the bounds of the repeat range, found number '8'"],
    ["repeat without count", "block b { repeat { } }", "1:18 SIM0010 expected a count or a range 'i in a..b' after 'repeat', found '{'"],
    ["if without condition", "block b { if { } }", "1:14 SIM0010 expected a condition after 'if', found '{'"],
    ["dangling operator", "model m { x: 1 + }", "1:18 SIM0010 expected an operand after '+', found '}'"],
    ["unclosed list", "model m { x: [1, 2 }", "1:20 SIM0006 expected ']' to close the list (opened at 1:14), found '}'"],
    ["model without body", "model m", "1:8 SIM0011 expected '{' to open the body of model 'm', found end of file"],
    ["unexpected character", "model m { x: 1 @ 2 }", "1:16 SIM0001 unexpected character '@'"],
    ["'#' comment", "model m { # note\n}", "1:11 SIM0001 unexpected character '#': '#' does not start a comment"],
    ["unterminated string", 'import { a } from "std/x\nmodel m {}', '1:19 SIM0002 unterminated string: the closing \'"\' is missing before the end of the line'],
    ["unterminated block comment", "model m {}\n/* never closed\n", "2:1 SIM0003 unterminated block comment: '/*' is never closed"],
    ["unknown escape", 'model m { data: image("C:\\new") }', "1:26 SIM0004 unknown escape '\\n' in string; only '\\\"' and '\\\\' are escapes"],
    ["malformed number", "model m { x: 2x }", "1:14 SIM0005 malformed number '2x'"],
    ["number too large", "model m { x: 1e999 }", "1:14 SIM0016 number '1e999' is too large"],
  ];

  it.each(cases)("%s", (_name, text, expected) => {
    expect(problems(text)).toEqual([expected]);
  });

  it("refuses absurd nesting with one diagnostic instead of overflowing the stack", () => {
    const text = `model m { x: ${"[".repeat(300)}1${"]".repeat(300)} }`;
    // `{` is level 1, so the 256th `[` is level 257.
    const column = text.indexOf("[") + 256;
    expect(problems(text)).toEqual([`1:${column} SIM0017 brackets nested more than 256 levels deep`]);
    expect(problems(`model m { x: ${"-".repeat(20000)}1 }`)).toEqual(["1:1 SIM0017 the file nests too deeply to parse"]);
    expect(problems(`model m { x: ${"(".repeat(250)}1${")".repeat(250)} }`)).toEqual([]);
  });

  it("points an unclosed delimiter's diagnostic at the opener as related information", () => {
    const [diagnostic] = parseDocument("block b {\n  relu()\n", "b.sim").diagnostics;
    expect(diagnostic.related).toEqual([
      { file: "b.sim", loc: { start: 8, end: 9, line: 1, column: 9, endLine: 1, endColumn: 10 }, message: "'{' opened here" },
    ]);
    expect(diagnostic.hint).toBe("add '}'");
  });

  it("reports every problem of a file with several, in source order, without echoes", () => {
    const text = ["model m {", "  input [2]", "  basis { dense(units: ) }", "  head { relu }", "}", "block in {}"].join("\n");
    expect(problems(text)).toEqual([
      "2:9 SIM0011 expected ':' or '{' after 'input', found '['",
      "3:24 SIM0010 expected a value after 'units:', found ')'",
      "4:15 SIM0011 expected '(' or ':' after 'relu', found '}'",
      "6:7 SIM0009 'in' is a keyword and cannot be used as a block name",
    ]);
  });

  it("still builds the rest of the document after an error", () => {
    const { document } = parseDocument("block a { dense(units: ) }\nmodel m { input: [2] }", "r.sim");
    expect(document.declarations.map((d) => `${d.kind}:${d.name.name}`)).toEqual(["BlockDecl:a", "ModelDecl:m"]);
  });

  it("fills recovered nodes with empty names and missing values", () => {
    const { document } = parseDocument("block { dense(units: ) }", "r.sim");
    const block = document.declarations[0];
    expect(block.kind).toBe("BlockDecl");
    expect(block.name.name).toBe("");
  });

  it("documents every code once, with a summary", () => {
    const codes = syntaxCodeTable.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual(Object.values(SyntaxCode));
    for (const entry of syntaxCodeTable) {
      expect(entry.code).toMatch(/^SIM0\d{3}$/);
      expect(entry.summary.length).toBeGreaterThan(10);
    }
  });

  it("uses only catalogued codes in the cases above", () => {
    const known = new Set<string>(Object.values(SyntaxCode));
    for (const [, text] of cases) {
      for (const diagnostic of parseDocument(text, "x.sim").diagnostics) expect(known.has(diagnostic.code)).toBe(true);
    }
  });
});
