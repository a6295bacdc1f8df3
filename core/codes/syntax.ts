/**
 * Stable codes of lexical and syntax diagnostics (SIM0xxx). The checker's catalogue includes
 * `syntaxCodeTable`, so every code a user can see is documented in one place.
 */

export const SyntaxCode = {
  UnexpectedCharacter: "SIM0001",
  UnterminatedString: "SIM0002",
  UnterminatedComment: "SIM0003",
  InvalidEscape: "SIM0004",
  MalformedNumber: "SIM0005",
  UnclosedDelimiter: "SIM0006",
  UnmatchedDelimiter: "SIM0007",
  ExpectedName: "SIM0008",
  KeywordAsName: "SIM0009",
  ExpectedExpression: "SIM0010",
  ExpectedToken: "SIM0011",
  ExpectedStatement: "SIM0012",
  ExpectedModelItem: "SIM0013",
  ExpectedDeclaration: "SIM0014",
  ImportAfterDeclaration: "SIM0015",
  NumberOutOfRange: "SIM0016",
  NestingTooDeep: "SIM0017",
  InternalError: "SIM0099",
} as const;

export type SyntaxCode = (typeof SyntaxCode)[keyof typeof SyntaxCode];

export interface SyntaxCodeInfo {
  code: SyntaxCode;
  /** The key in `SyntaxCode`, e.g. `UnclosedDelimiter`. */
  name: keyof typeof SyntaxCode;
  /** One line: what the code means. */
  summary: string;
}

const summaries: Record<keyof typeof SyntaxCode, string> = {
  UnexpectedCharacter: "A character that cannot start any token (e.g. '#', '@', '$').",
  UnterminatedString: "A string literal not closed by '\"' before the end of its line.",
  UnterminatedComment: "A '/*' block comment not closed by '*/' before the end of the file.",
  InvalidEscape: "A string escape other than '\\\"' and '\\\\'.",
  MalformedNumber: "A number run together with a name or another number ('2x', '1.5.3').",
  UnclosedDelimiter: "A '{', '(' or '[' whose closing delimiter is missing.",
  UnmatchedDelimiter: "A '}', ')' or ']' that closes nothing.",
  ExpectedName: "A name (identifier) is required here: a block, model, parameter or argument name.",
  KeywordAsName: "A reserved word (import, from, as, block, model, residual, shortcut, repeat, in, if, else, true, false) used as a name.",
  ExpectedExpression: "A value is required here: a number, string, name, call, list or parenthesised expression.",
  ExpectedToken: "A specific keyword or punctuation mark is required here (':', '{', 'from', …).",
  ExpectedStatement: "A body holds layer calls, 'name: value' settings, residual, repeat and if statements.",
  ExpectedModelItem: "A model body holds 'name: value' properties and 'name { … }' sections.",
  ExpectedDeclaration: "The top level of a file holds imports, blocks and models.",
  ImportAfterDeclaration: "Imports must come before every block and model of the file.",
  NumberOutOfRange: "A number literal too large to represent (it would be Infinity).",
  NestingTooDeep: "Braces, parentheses or brackets nested more than 256 levels deep (or an expression as deep); the file is not parsed.",
  InternalError: "The parser failed unexpectedly; the message says where. Please report it.",
};

/** Every syntax code with its one-line summary, in code order. */
export const syntaxCodeTable: readonly SyntaxCodeInfo[] = (
  Object.keys(SyntaxCode) as (keyof typeof SyntaxCode)[]
).map((name) => ({ code: SyntaxCode[name], name, summary: summaries[name] }));
