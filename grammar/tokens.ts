/**
 * The `.sim` vocabulary: every token type, in the order the lexer tries them.
 *
 * Whitespace is skipped; comments go to the `comments` group, so the formatter keeps them while
 * the parser never sees them. Keywords come before `Identifier` and name it as their `longer_alt`
 * (`imports` is an identifier, `import` a keyword). Operators carry categories: every binary
 * operator is a `BinaryOperator` (what the expression rule consumes), and families such as
 * `AdditiveOperator` group them for the editor grammar. The exported lists (`keywordTokens`, …)
 * are the source of the editor's TextMate grammar, so the two cannot drift apart.
 */
import { createToken, Lexer, type IToken, type TokenType } from "chevrotain";

/** Lexer group holding every comment token (`//`, `///`, `/* *\/`). */
export const COMMENT_GROUP = "comments";
/** Lexer group holding malformed tokens that `parse.ts` turns into diagnostics. */
export const INVALID_GROUP = "invalid";

/**
 * Spellings of comments and strings, for the tools that need them as text (the editor's
 * language configuration and TextMate grammar). The lexer tests check they agree with the
 * patterns below.
 */
export const spellings = {
  lineComment: "//",
  docComment: "///",
  blockCommentStart: "/*",
  blockCommentEnd: "*/",
  quote: '"',
  /** The characters that may follow a backslash in a string. */
  escapes: ['"', "\\"],
} as const;

// ---------------------------------------------------------------------------------------------
// Trivia

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  // The BOM and no-break space count as blanks so files saved by Windows editors lex cleanly.
  pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/** `/// text` directly above a block or model documents it (three slashes, not four). */
export const DocComment = createToken({
  name: "DocComment",
  pattern: /\/\/\/(?!\/)[^\n\r]*/,
  group: COMMENT_GROUP,
  start_chars_hint: ["/"],
  label: "doc comment",
});

export const LineComment = createToken({
  name: "LineComment",
  pattern: /\/\/[^\n\r]*/,
  group: COMMENT_GROUP,
  label: "comment",
});

export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: COMMENT_GROUP,
  line_breaks: true,
  label: "comment",
});

/** `# …`: a comment in other languages; swallowed to the end of the line and reported. */
export const HashComment = createToken({
  name: "HashComment",
  pattern: /#[^\n\r]*/,
  group: INVALID_GROUP,
  label: "'#' comment",
});

/** A `/*` that never closes: it swallows the rest of the file and is reported. */
export const UnterminatedBlockComment = createToken({
  name: "UnterminatedBlockComment",
  pattern: /\/\*[\s\S]*/,
  group: INVALID_GROUP,
  line_breaks: true,
  label: "unterminated comment",
});

// ---------------------------------------------------------------------------------------------
// Literals and names

/** Category matched by the parser wherever a string is expected (also unterminated ones). */
export const StringToken = createToken({ name: "StringToken", pattern: Lexer.NA, label: "string" });

export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  categories: [StringToken],
  label: "string",
});

/**
 * A string cut off by the end of its line. The parser still accepts it as a string (so one
 * missing quote yields one diagnostic, not a cascade); `parse.ts` reports it.
 */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  categories: [StringToken],
  label: "unterminated string",
});

/** Category matched by the parser wherever a number is expected (also malformed ones). */
export const NumberToken = createToken({ name: "NumberToken", pattern: Lexer.NA, label: "number" });

export const NumberLiteral = createToken({
  name: "NumberLiteral",
  // `.5` is a number, but `0..8` is `0`, `..`, `8`: a fraction needs a digit after its dot.
  // A number must not run into a name or another fraction (`2x`, `1.5.3`: see below).
  pattern: /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?(?![A-Za-z0-9_]|\.\d)/,
  categories: [NumberToken],
  label: "number",
});

/**
 * A number run together with letters or more dots (`2x`, `1e`, `1.5.3`): one token, so the
 * parser sees one (bad) number instead of a number and a stray name; `parse.ts` reports it.
 */
export const MalformedNumber = createToken({
  name: "MalformedNumber",
  pattern: /(?:\d|\.\d)(?:[eE][+-]\d|[A-Za-z0-9_.])*/,
  categories: [NumberToken],
  label: "number",
});

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: "name",
});

// ---------------------------------------------------------------------------------------------
// Keywords

/** Category of every reserved word (used to say "'in' is a keyword" in diagnostics). */
export const Keyword = createToken({ name: "Keyword", pattern: Lexer.NA, label: "keyword" });

function keyword(word: string): TokenType {
  const name = word[0].toUpperCase() + word.slice(1);
  return createToken({
    name,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Keyword],
    label: `'${word}'`,
  });
}

export const Import = keyword("import");
export const From = keyword("from");
export const As = keyword("as");
export const Block = keyword("block");
export const Model = keyword("model");
export const Residual = keyword("residual");
export const Shortcut = keyword("shortcut");
export const Repeat = keyword("repeat");
export const In = keyword("in");
export const If = keyword("if");
export const Else = keyword("else");
export const True = keyword("true");
export const False = keyword("false");

/** Reserved words, as the language reference lists them. */
export const keywordTokens: readonly TokenType[] = [
  Import, From, As, Block, Model, Residual, Shortcut, Repeat, In, If, Else, True, False,
];

/** Keywords of module structure (`import { a as b } from "…"`). */
export const importKeywordTokens: readonly TokenType[] = [Import, From, As];
/** Keywords that declare (`block`, `model`). */
export const declarationKeywordTokens: readonly TokenType[] = [Block, Model];
/** Keywords that compose statements. */
export const controlKeywordTokens: readonly TokenType[] = [Residual, Shortcut, Repeat, In, If, Else];
/** The boolean literals. */
export const booleanTokens: readonly TokenType[] = [True, False];

// ---------------------------------------------------------------------------------------------
// Operators. Longer spellings precede their prefixes (`**` before `*`, `<=` before `<`).

/** Every binary operator: the expression rule consumes this category. */
export const BinaryOperator = createToken({ name: "BinaryOperator", pattern: Lexer.NA, label: "operator" });
export const AdditiveOperator = createToken({ name: "AdditiveOperator", pattern: Lexer.NA });
export const MultiplicativeOperator = createToken({ name: "MultiplicativeOperator", pattern: Lexer.NA });
export const EqualityOperator = createToken({ name: "EqualityOperator", pattern: Lexer.NA });
export const RelationalOperator = createToken({ name: "RelationalOperator", pattern: Lexer.NA });
export const UnaryOperator = createToken({ name: "UnaryOperator", pattern: Lexer.NA });

function operator(name: string, spelling: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern: spelling, categories, label: `'${spelling}'` });
}

export const StarStar = operator("StarStar", "**", [BinaryOperator]);
export const Star = operator("Star", "*", [BinaryOperator, MultiplicativeOperator]);
export const Slash = operator("Slash", "/", [BinaryOperator, MultiplicativeOperator]);
export const Percent = operator("Percent", "%", [BinaryOperator, MultiplicativeOperator]);
export const Plus = operator("Plus", "+", [BinaryOperator, AdditiveOperator]);
export const Minus = operator("Minus", "-", [BinaryOperator, AdditiveOperator, UnaryOperator]);
export const EqualEqual = operator("EqualEqual", "==", [BinaryOperator, EqualityOperator]);
export const NotEqual = operator("NotEqual", "!=", [BinaryOperator, EqualityOperator]);
export const LessEqual = operator("LessEqual", "<=", [BinaryOperator, RelationalOperator]);
export const Less = operator("Less", "<", [BinaryOperator, RelationalOperator]);
export const GreaterEqual = operator("GreaterEqual", ">=", [BinaryOperator, RelationalOperator]);
export const Greater = operator("Greater", ">", [BinaryOperator, RelationalOperator]);
export const AndAnd = operator("AndAnd", "&&", [BinaryOperator]);
export const OrOr = operator("OrOr", "||", [BinaryOperator]);
export const Bang = operator("Bang", "!", [UnaryOperator]);
/** `=` introduces a parameter default. */
export const Equals = operator("Equals", "=");
/** `|` separates the members of an enum type. */
export const Pipe = operator("Pipe", "|");

/** Every operator spelling, longest first where one is a prefix of another. */
export const operatorTokens: readonly TokenType[] = [
  StarStar, Star, Slash, Percent, Plus, Minus, EqualEqual, NotEqual, LessEqual, Less,
  GreaterEqual, Greater, AndAnd, OrOr, Bang, Equals, Pipe,
];

// ---------------------------------------------------------------------------------------------
// Punctuation

export const LBrace = operator("LBrace", "{");
export const RBrace = operator("RBrace", "}");
export const LParen = operator("LParen", "(");
export const RParen = operator("RParen", ")");
export const LBracket = operator("LBracket", "[");
export const RBracket = operator("RBracket", "]");
export const Comma = operator("Comma", ",");
export const Colon = operator("Colon", ":");
export const Semicolon = operator("Semicolon", ";");
export const DotDot = operator("DotDot", "..");
/** Reserved: lexed so `a.b` gets a parse error at the `.` rather than a lexer error. */
export const Dot = operator("Dot", ".");

export const punctuationTokens: readonly TokenType[] = [
  LBrace, RBrace, LParen, RParen, LBracket, RBracket, Comma, Colon, Semicolon, DotDot, Dot,
];

/** Opening and closing delimiters, paired. */
export const delimiterPairs: readonly (readonly [open: TokenType, close: TokenType])[] = [
  [LBrace, RBrace],
  [LParen, RParen],
  [LBracket, RBracket],
];

/** Token types accepted by the parser but used by no grammar rule (see `Dot`). */
export const reservedTokens: readonly TokenType[] = [Dot];

// ---------------------------------------------------------------------------------------------

/** Every token type, in lexing order (categories included, as Chevrotain requires). */
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  DocComment,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  HashComment,
  StringToken,
  StringLiteral,
  UnterminatedString,
  // Numbers before punctuation: `.5` is a number, `..` and `.` are not.
  NumberToken,
  NumberLiteral,
  MalformedNumber,
  Keyword,
  ...keywordTokens,
  Identifier,
  BinaryOperator,
  AdditiveOperator,
  MultiplicativeOperator,
  EqualityOperator,
  RelationalOperator,
  UnaryOperator,
  ...operatorTokens,
  ...punctuationTokens,
];

/** The lexer, built once. `ensureOptimizations` makes a pattern that defeats the first-character
 * optimisation a construction error instead of a silent slowdown. */
export const simLexer = new Lexer([...allTokens], {
  ensureOptimizations: true,
  positionTracking: "full",
});

export interface LexResult {
  /** Tokens the parser reads. */
  tokens: IToken[];
  /** Comment tokens in source order. */
  comments: IToken[];
  /** Malformed trivia (unterminated block comments, `#` comments). */
  invalid: IToken[];
  /** Characters no token matches: offset and length of each run. */
  unexpected: { offset: number; length: number }[];
}

export function tokenize(text: string): LexResult {
  const result = simLexer.tokenize(text);
  return {
    tokens: result.tokens,
    comments: result.groups[COMMENT_GROUP] ?? [],
    invalid: result.groups[INVALID_GROUP] ?? [],
    unexpected: result.errors.map((e) => ({ offset: e.offset, length: e.length })),
  };
}
