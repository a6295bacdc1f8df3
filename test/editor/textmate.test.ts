import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildTextMateGrammar,
  editorDir,
  renderEditorFiles,
  type TextMateGrammar,
  type TextMateRule,
} from "../../editor/generate-textmate.js";
import * as T from "../../grammar/tokens.js";

const grammar = JSON.parse(readFileSync(join(editorDir, "sim.tmLanguage.json"), "utf8")) as TextMateGrammar;

// ---------------------------------------------------------------------------------------------
// A small TextMate engine: leftmost match wins, ties go to the earlier rule (the end pattern of
// an open begin/end rule first), begin/end rules span lines. Enough to check this grammar.

interface Piece {
  text: string;
  scope: string;
}

function expand(rules: TextMateRule[]): TextMateRule[] {
  return rules.flatMap((rule) => {
    if (rule.include) {
      const target = grammar.repository[rule.include.slice(1)];
      if (!target) throw new Error(`unknown include ${rule.include}`);
      return expand([target]);
    }
    if (!rule.match && !rule.begin && rule.patterns) return expand(rule.patterns);
    return [rule];
  });
}

function search(source: string, line: string, from: number): RegExpExecArray | null {
  const regex = new RegExp(source, "gd");
  regex.lastIndex = from;
  return regex.exec(line);
}

/** Scoped pieces of `text` (unscoped text is dropped). */
function highlight(text: string): Piece[] {
  const pieces: Piece[] = [];
  const open: TextMateRule[] = [];
  const emit = (piece: string, scope: string | undefined) => {
    if (piece.trim() && scope) pieces.push({ text: piece, scope });
  };
  for (const line of text.split("\n")) {
    let at = 0;
    for (let guard = 0; guard < 1000 && at <= line.length; guard++) {
      const container = open[open.length - 1];
      const candidates: { rule: TextMateRule; source: string; isEnd: boolean }[] = container
        ? [
            { rule: container, source: container.end!, isEnd: true },
            ...expand(container.patterns ?? []).map((rule) => ({ rule, source: rule.match ?? rule.begin!, isEnd: false })),
          ]
        : expand(grammar.patterns).map((rule) => ({ rule, source: rule.match ?? rule.begin!, isEnd: false }));
      let best: { match: RegExpExecArray; candidate: (typeof candidates)[number] } | undefined;
      for (const candidate of candidates) {
        const match = search(candidate.source, line, at);
        if (match && (!best || match.index < best.match.index)) best = { match, candidate };
      }
      if (!best) {
        emit(line.slice(at), container?.name);
        break;
      }
      const { match, candidate } = best;
      emit(line.slice(at, match.index), container?.name);
      const end = match.index + match[0].length;
      if (candidate.isEnd) {
        emit(match[0], container?.name);
        open.pop();
      } else if (candidate.rule.begin) {
        emit(match[0], candidate.rule.name);
        open.push(candidate.rule);
      } else if (candidate.rule.captures) {
        for (const [group, { name }] of Object.entries(candidate.rule.captures)) {
          const span = match.indices?.[Number(group)];
          if (span) emit(line.slice(span[0], span[1]), name);
        }
      } else {
        emit(match[0], candidate.rule.name);
      }
      if (end === at && !candidate.rule.begin) {
        if (candidate.isEnd) continue;
        at++;
      } else at = end;
      if (at >= line.length) {
        if (open.length > 0) continue;
        break;
      }
    }
  }
  return pieces;
}

const scopeOf = (text: string, piece: string) => highlight(text).find((p) => p.text === piece)?.scope;

// ---------------------------------------------------------------------------------------------

describe("generated editor files", () => {
  it("are exactly what the generator produces from grammar/tokens.ts", () => {
    for (const { path, text } of renderEditorFiles()) expect(readFileSync(path, "utf8"), path).toBe(text);
  });

  it("are wired into the VS Code extension manifest", () => {
    const manifest = JSON.parse(readFileSync(join(editorDir, "package.json"), "utf8"));
    expect(manifest.contributes.languages).toEqual([
      expect.objectContaining({ id: "sim", extensions: [".sim"], configuration: "./language-configuration.json" }),
    ]);
    expect(manifest.contributes.grammars).toEqual([
      { language: "sim", scopeName: buildTextMateGrammar().scopeName, path: "./sim.tmLanguage.json" },
    ]);
  });

  it("configure comments and brackets as the lexer spells them", () => {
    const configuration = JSON.parse(readFileSync(join(editorDir, "language-configuration.json"), "utf8"));
    expect(configuration.comments).toEqual({ lineComment: "//", blockComment: ["/*", "*/"] });
    expect(configuration.brackets).toEqual([["{", "}"], ["(", ")"], ["[", "]"]]);
  });
});

describe("the spellings the editor files use agree with the lexer", () => {
  it("comments and strings", () => {
    const s = T.spellings;
    const lexed = T.tokenize(`${s.docComment} d\n${s.lineComment} l\n${s.blockCommentStart} b ${s.blockCommentEnd}`);
    expect(lexed.comments.map((c) => c.tokenType)).toEqual([T.DocComment, T.LineComment, T.BlockComment]);
    const escapes = s.escapes.map((e) => `\\${e}`).join("");
    expect(T.tokenize(`${s.quote}${escapes}${s.quote}`).tokens.map((t) => t.tokenType)).toEqual([T.StringLiteral]);
  });

  it("keyword groups partition the keywords", () => {
    const groups = [T.importKeywordTokens, T.declarationKeywordTokens, T.controlKeywordTokens, T.booleanTokens].flat();
    expect(new Set(groups).size).toBe(groups.length);
    expect(new Set(groups)).toEqual(new Set(T.keywordTokens));
  });
});

describe("highlighting with the TextMate grammar", () => {
  it("scopes every keyword, and no keyword inside a longer name", () => {
    for (const keyword of T.keywordTokens) {
      const word = (keyword.PATTERN as RegExp).source;
      expect(scopeOf(word, word), word).toMatch(/^(keyword\.control|storage\.type|constant\.language)/);
      expect(scopeOf(`x: ${word}_suffix`, `${word}_suffix`), word).toBeUndefined();
    }
  });

  it("scopes a block declaration", () => {
    expect(highlight("block conv_bn_relu(channels: int, kernel: int = 3) {")).toEqual([
      { text: "block", scope: "storage.type.sim" },
      { text: "conv_bn_relu", scope: "entity.name.type.sim" },
      { text: "(", scope: "punctuation.section.parens.begin.sim" },
      { text: "channels", scope: "variable.other.property.sim" },
      { text: ":", scope: "punctuation.separator.key-value.sim" },
      { text: ",", scope: "punctuation.separator.comma.sim" },
      { text: "kernel", scope: "variable.other.property.sim" },
      { text: ":", scope: "punctuation.separator.key-value.sim" },
      { text: "=", scope: "keyword.operator.assignment.sim" },
      { text: "3", scope: "constant.numeric.sim" },
      { text: ")", scope: "punctuation.section.parens.end.sim" },
      { text: "{", scope: "punctuation.section.braces.begin.sim" },
    ]);
  });

  it("scopes imports and strings", () => {
    expect(highlight('import { a as b } from "std/x";').filter((p) => !p.scope.startsWith("punctuation"))).toEqual([
      { text: "import", scope: "keyword.control.import.sim" },
      { text: "as", scope: "keyword.control.import.sim" },
      { text: "from", scope: "keyword.control.import.sim" },
      { text: '"', scope: "string.quoted.double.sim" },
      { text: "std/x", scope: "string.quoted.double.sim" },
      { text: '"', scope: "string.quoted.double.sim" },
    ]);
  });

  it("scopes escapes, valid and not", () => {
    const pieces = highlight('x: "a\\"b\\q"');
    expect(pieces.find((p) => p.text === '\\"')?.scope).toBe("constant.character.escape.sim");
    expect(pieces.find((p) => p.text === "\\q")?.scope).toBe("invalid.illegal.escape.sim");
  });

  it("scopes numbers, but not digits inside names, and flags malformed numbers", () => {
    for (const n of ["24", "0.5", "1e-3", ".5", "2E+4"]) expect(scopeOf(`x: ${n}`, n), n).toBe("constant.numeric.sim");
    for (const name of ["conv2d", "layer2", "x1e5"]) expect(highlight(`x: ${name}`).map((p) => p.text), name).toEqual(["x", ":"]);
    expect(scopeOf("x: 2x", "2x")).toBe("invalid.illegal.number.sim");
  });

  it("scopes ranges and operators by their longest spelling", () => {
    expect(highlight("repeat i in 0..8 { x: 2 ** i >= 4 && !y }")).toEqual([
      { text: "repeat", scope: "keyword.control.sim" },
      { text: "in", scope: "keyword.control.sim" },
      { text: "0", scope: "constant.numeric.sim" },
      { text: "..", scope: "keyword.operator.range.sim" },
      { text: "8", scope: "constant.numeric.sim" },
      { text: "{", scope: "punctuation.section.braces.begin.sim" },
      { text: "x", scope: "variable.other.property.sim" },
      { text: ":", scope: "punctuation.separator.key-value.sim" },
      { text: "2", scope: "constant.numeric.sim" },
      { text: "**", scope: "keyword.operator.arithmetic.sim" },
      { text: ">=", scope: "keyword.operator.comparison.sim" },
      { text: "4", scope: "constant.numeric.sim" },
      { text: "&&", scope: "keyword.operator.logical.sim" },
      { text: "!", scope: "keyword.operator.logical.sim" },
      { text: "}", scope: "punctuation.section.braces.end.sim" },
    ]);
  });

  it("scopes every operator spelled alone", () => {
    for (const token of T.operatorTokens) {
      const spelled = token.PATTERN as string;
      expect(highlight(`a ${spelled} b`).map((p) => p.text), spelled).toEqual([spelled]);
    }
  });

  it("scopes calls and booleans", () => {
    expect(scopeOf("  conv2d(channels: 24)", "conv2d")).toBe("entity.name.function.sim");
    expect(scopeOf("  bias: true", "true")).toBe("constant.language.boolean.sim");
  });

  it("scopes all three comment forms, block comments across lines", () => {
    expect(highlight("/// Doc line\n// plain\nx /* one\ntwo */ y")).toEqual([
      { text: "/// Doc line", scope: "comment.line.documentation.sim" },
      { text: "// plain", scope: "comment.line.double-slash.sim" },
      { text: "/*", scope: "comment.block.sim" },
      { text: " one", scope: "comment.block.sim" },
      { text: "two ", scope: "comment.block.sim" },
      { text: "*/", scope: "comment.block.sim" },
    ]);
    expect(scopeOf('x: "not // a comment"', "not // a comment")).toBe("string.quoted.double.sim");
  });
});
