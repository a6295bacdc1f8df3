/**
 * Generates the editor files from the lexer's own definitions (`grammar/tokens.ts`), so syntax
 * highlighting cannot disagree with the language:
 *
 * - `editor/sim.tmLanguage.json`: the TextMate grammar (keywords, literals, comments, operators);
 * - `editor/language-configuration.json`: comment markers, brackets, auto-closing pairs.
 *
 *   node --import tsx editor/generate-textmate.ts
 *
 * A test regenerates both and compares them with the committed files.
 */
import type { TokenType } from "chevrotain";
import { renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as T from "../grammar/tokens.js";

export const editorDir = dirname(fileURLToPath(import.meta.url));
export const grammarPath = join(editorDir, "sim.tmLanguage.json");
export const configurationPath = join(editorDir, "language-configuration.json");

/** A TextMate rule (the subset this grammar uses). */
export interface TextMateRule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Record<string, { name: string }>;
  beginCaptures?: Record<string, { name: string }>;
  endCaptures?: Record<string, { name: string }>;
  patterns?: TextMateRule[];
  include?: string;
}

export interface TextMateGrammar {
  $schema: string;
  name: string;
  scopeName: string;
  fileTypes: string[];
  patterns: TextMateRule[];
  repository: Record<string, TextMateRule>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** The literal spelling of a token whose pattern is a string or a plain word. */
function spelling(token: TokenType): string {
  const pattern = token.PATTERN;
  if (typeof pattern === "string") return pattern;
  if (pattern instanceof RegExp && /^\w+$/.test(pattern.source)) return pattern.source;
  throw new Error(`token ${token.name} has no literal spelling`);
}

function source(token: TokenType): string {
  const pattern = token.PATTERN;
  if (!(pattern instanceof RegExp)) throw new Error(`token ${token.name} has no regular expression`);
  return pattern.source;
}

/** `\b(?:a|b)\b` for words, `(?:\*\*|\*)` (longest first) for symbols. */
function alternation(tokens: readonly TokenType[], words: boolean): string {
  const spelled = tokens.map(spelling).sort((a, b) => b.length - a.length || a.localeCompare(b));
  const body = `(?:${spelled.map(escapeRegExp).join("|")})`;
  return words ? `\\b${body}\\b` : body;
}

/** Digits inside a name (`conv2d`) are not numbers. */
const notAfterName = "(?<![A-Za-z0-9_])";

/** Operator scopes by token or token category; the first entry that applies wins. */
const operatorScopes: [categories: readonly TokenType[], scope: string][] = [
  [[T.Equals], "keyword.operator.assignment.sim"],
  [[T.Pipe], "keyword.operator.enum.sim"],
  [[T.AndAnd, T.OrOr, T.Bang], "keyword.operator.logical.sim"],
  [[T.EqualityOperator, T.RelationalOperator], "keyword.operator.comparison.sim"],
  [[T.AdditiveOperator, T.MultiplicativeOperator, T.StarStar], "keyword.operator.arithmetic.sim"],
];

function isA(token: TokenType, category: TokenType): boolean {
  return token === category || (token.CATEGORIES ?? []).includes(category);
}

/**
 * One rule per operator, longest spelling first: TextMate takes the leftmost match and, at the
 * same position, the first rule, so `==` wins over `=`.
 */
function operatorRules(): TextMateRule[] {
  const ordered = [...T.operatorTokens].sort((a, b) => spelling(b).length - spelling(a).length);
  return ordered.map((token) => {
    const entry = operatorScopes.find(([categories]) => categories.some((c) => isA(token, c)));
    if (!entry) throw new Error(`operator ${token.name} has no scope`);
    return { name: entry[1], match: escapeRegExp(spelling(token)) };
  });
}

const punctuationScopes = new Map<TokenType, string>([
  [T.LBrace, "punctuation.section.braces.begin.sim"],
  [T.RBrace, "punctuation.section.braces.end.sim"],
  [T.LParen, "punctuation.section.parens.begin.sim"],
  [T.RParen, "punctuation.section.parens.end.sim"],
  [T.LBracket, "punctuation.section.brackets.begin.sim"],
  [T.RBracket, "punctuation.section.brackets.end.sim"],
  [T.Comma, "punctuation.separator.comma.sim"],
  [T.Colon, "punctuation.separator.key-value.sim"],
  [T.Semicolon, "punctuation.terminator.statement.sim"],
  [T.DotDot, "keyword.operator.range.sim"],
  [T.Dot, "invalid.illegal.reserved.sim"],
]);

function punctuationRules(): TextMateRule[] {
  return T.punctuationTokens.map((token) => {
    const scope = punctuationScopes.get(token);
    if (!scope) throw new Error(`punctuation ${token.name} has no scope`);
    return { name: scope, match: escapeRegExp(spelling(token)) };
  });
}

export function buildTextMateGrammar(): TextMateGrammar {
  const name = source(T.Identifier);
  const s = T.spellings;
  const validEscape = `\\\\(?:${s.escapes.map(escapeRegExp).join("|")})`;
  return {
    $schema: "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
    name: "SIM",
    scopeName: "source.sim",
    fileTypes: ["sim"],
    patterns: [
      { include: "#comments" },
      { include: "#strings" },
      { include: "#numbers" },
      { include: "#declarations" },
      { include: "#keywords" },
      { include: "#calls" },
      { include: "#properties" },
      { include: "#operators" },
      { include: "#punctuation" },
    ],
    repository: {
      comments: {
        patterns: [
          { name: "comment.line.documentation.sim", match: source(T.DocComment) },
          { name: "comment.line.double-slash.sim", match: source(T.LineComment) },
          {
            name: "comment.block.sim",
            begin: escapeRegExp(s.blockCommentStart),
            end: escapeRegExp(s.blockCommentEnd),
          },
          { name: "invalid.illegal.comment.sim", match: source(T.HashComment) },
        ],
      },
      strings: {
        name: "string.quoted.double.sim",
        begin: escapeRegExp(s.quote),
        // Strings end at their line's end (the lexer reports them as unterminated).
        end: `${escapeRegExp(s.quote)}|$`,
        patterns: [
          { name: "constant.character.escape.sim", match: validEscape },
          { name: "invalid.illegal.escape.sim", match: "\\\\." },
        ],
      },
      numbers: {
        patterns: [
          { name: "constant.numeric.sim", match: notAfterName + source(T.NumberLiteral) },
          { name: "invalid.illegal.number.sim", match: notAfterName + source(T.MalformedNumber) },
        ],
      },
      declarations: {
        match: `(${alternation(T.declarationKeywordTokens, true)})\\s+(${name})`,
        captures: { "1": { name: "storage.type.sim" }, "2": { name: "entity.name.type.sim" } },
      },
      keywords: {
        patterns: [
          { name: "keyword.control.import.sim", match: alternation(T.importKeywordTokens, true) },
          { name: "storage.type.sim", match: alternation(T.declarationKeywordTokens, true) },
          { name: "keyword.control.sim", match: alternation(T.controlKeywordTokens, true) },
          { name: "constant.language.boolean.sim", match: alternation(T.booleanTokens, true) },
        ],
      },
      calls: {
        match: `\\b(${name})(?=\\s*${escapeRegExp(spelling(T.LParen))})`,
        captures: { "1": { name: "entity.name.function.sim" } },
      },
      properties: {
        match: `\\b(${name})(?=\\s*${escapeRegExp(spelling(T.Colon))})`,
        captures: { "1": { name: "variable.other.property.sim" } },
      },
      operators: { patterns: operatorRules() },
      punctuation: { patterns: punctuationRules() },
    },
  };
}

/** The language configuration VS Code reads for comment toggling, brackets and auto-closing. */
export function buildLanguageConfiguration(): Record<string, unknown> {
  const s = T.spellings;
  const brackets = T.delimiterPairs.map(([open, close]) => [spelling(open), spelling(close)]);
  return {
    comments: { lineComment: s.lineComment, blockComment: [s.blockCommentStart, s.blockCommentEnd] },
    brackets,
    autoClosingPairs: [
      ...brackets.map(([open, close]) => ({ open, close })),
      { open: s.quote, close: s.quote, notIn: ["string", "comment"] },
      { open: s.blockCommentStart, close: ` ${s.blockCommentEnd}`, notIn: ["string"] },
    ],
    surroundingPairs: [...brackets, [s.quote, s.quote]],
    indentationRules: {
      increaseIndentPattern: `^.*(?:${brackets.map(([open]) => escapeRegExp(open)).join("|")})\\s*(?:${escapeRegExp(s.lineComment)}.*)?$`,
      decreaseIndentPattern: `^\\s*(?:${brackets.map(([, close]) => escapeRegExp(close)).join("|")})`,
    },
    onEnterRules: [
      // Continue a doc comment on the next line.
      { beforeText: `^\\s*${escapeRegExp(s.docComment)}`, action: { indent: "none", appendText: `${s.docComment} ` } },
    ],
    wordPattern: source(T.Identifier),
  };
}

/** The committed files' exact text. */
export function renderEditorFiles(): { path: string; text: string }[] {
  return [
    { path: grammarPath, text: `${JSON.stringify(buildTextMateGrammar(), null, 2)}\n` },
    { path: configurationPath, text: `${JSON.stringify(buildLanguageConfiguration(), null, 2)}\n` },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { path, text } of renderEditorFiles()) {
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, path);
    process.stdout.write(`wrote ${path}\n`);
  }
}
