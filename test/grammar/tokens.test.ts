import { Lexer, type TokenType } from "chevrotain";
import { describe, expect, it } from "vitest";
import { grammarProductions } from "../../grammar/parser.js";
import { readFileSync } from "node:fs";
import { renderCstTypes, cstTypesPath } from "../../grammar/generate-cst-types.js";
import * as T from "../../grammar/tokens.js";

function kinds(text: string): string[] {
  return T.tokenize(text).tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe("lexer", () => {
  it("tells keywords from identifiers that start with one", () => {
    expect(kinds("import imports in inner block blocks model models_ if iffy true truth")).toEqual([
      "Import:import",
      "Identifier:imports",
      "In:in",
      "Identifier:inner",
      "Block:block",
      "Identifier:blocks",
      "Model:model",
      "Identifier:models_",
      "If:if",
      "Identifier:iffy",
      "True:true",
      "Identifier:truth",
    ]);
  });

  it("lexes numbers, ranges and malformed numbers", () => {
    expect(kinds("24 0.5 1e-3 .5 2E+4 0..8 a..b 2x 1.5.3")).toEqual([
      "NumberLiteral:24",
      "NumberLiteral:0.5",
      "NumberLiteral:1e-3",
      "NumberLiteral:.5",
      "NumberLiteral:2E+4",
      "NumberLiteral:0",
      "DotDot:..",
      "NumberLiteral:8",
      "Identifier:a",
      "DotDot:..",
      "Identifier:b",
      "MalformedNumber:2x",
      "MalformedNumber:1.5.3",
    ]);
  });

  it("prefers the longest operator spelling", () => {
    expect(kinds("** * <= < >= > == = != ! && || | . ..").map((k) => k.split(":")[0])).toEqual([
      "StarStar", "Star", "LessEqual", "Less", "GreaterEqual", "Greater", "EqualEqual", "Equals",
      "NotEqual", "Bang", "AndAnd", "OrOr", "Pipe", "Dot", "DotDot",
    ]);
  });

  it("sends comments to their own group and never to the parser", () => {
    const lexed = T.tokenize("a /// doc\n// line\n//// four\n/* block\n */ b");
    expect(lexed.tokens.map((t) => t.image)).toEqual(["a", "b"]);
    expect(lexed.comments.map((t) => `${t.tokenType.name}:${t.image}`)).toEqual([
      "DocComment:/// doc",
      "LineComment:// line",
      "LineComment://// four",
      "BlockComment:/* block\n */",
    ]);
  });

  it("keeps strings with escapes whole and flags unterminated ones", () => {
    expect(kinds('"a\\"b" "c\\\\" "open\n')).toEqual(['StringLiteral:"a\\"b"', 'StringLiteral:"c\\\\"', 'UnterminatedString:"open']);
  });

  it("tracks lines across CRLF, CR and LF", () => {
    const tokens = T.tokenize("a\r\nb\rc\nd").tokens;
    expect(tokens.map((t) => [t.startLine, t.startColumn])).toEqual([[1, 1], [2, 1], [3, 1], [4, 1]]);
  });

  it("reports unmatched characters without throwing", () => {
    expect(T.tokenize("a @ $b").unexpected).toEqual([{ offset: 2, length: 1 }, { offset: 4, length: 1 }]);
  });
});

describe("vocabulary", () => {
  /** Token types named by some CONSUME in the grammar. */
  function consumedTypes(): Set<TokenType> {
    const found = new Set<TokenType>();
    const walk = (production: unknown) => {
      if (!production || typeof production !== "object") return;
      const p = production as { terminalType?: TokenType; nonTerminalName?: string; definition?: unknown[] };
      if (p.terminalType) found.add(p.terminalType);
      // A rule reference exposes the referenced rule's body; every rule is walked on its own.
      if (p.nonTerminalName === undefined) p.definition?.forEach(walk);
    };
    Object.values(grammarProductions()).forEach(walk);
    return found;
  }

  it("uses every parser-visible token in some rule, or lists it as reserved", () => {
    const consumed = consumedTypes();
    const grouped = new Set<TokenType>([
      T.WhiteSpace, T.DocComment, T.LineComment, T.BlockComment, T.UnterminatedBlockComment, T.HashComment,
    ]);
    const unused = T.allTokens.filter((type) => {
      // Pure categories (pattern NA) never reach the parser as a token's own type.
      if (grouped.has(type) || T.reservedTokens.includes(type) || type.PATTERN === Lexer.NA) return false;
      const categories = (type as { CATEGORIES?: TokenType[] }).CATEGORIES ?? [];
      return !consumed.has(type) && !categories.some((c) => consumed.has(c));
    });
    expect(unused.map((t) => t.name)).toEqual([]);
  });

  it("has the keywords of the language reference", () => {
    expect(T.keywordTokens.map((k) => k.name.toLowerCase())).toEqual(
      "import from as block model residual shortcut repeat in if else true false".split(" "),
    );
  });

  it("keeps grammar/cst-types.ts in step with the grammar", () => {
    expect(readFileSync(cstTypesPath, "utf8")).toBe(renderCstTypes());
  });
});
