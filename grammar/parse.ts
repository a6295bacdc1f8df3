/**
 * The front end's entry point: text → tokens → CST → AST, with every lexical and syntax problem
 * as a diagnostic. Never throws: whatever the input, the caller gets a document (possibly
 * partial, see `ast.ts`) and the list of problems, sorted by position.
 */
import { EOF, tokenMatcher, type IRecognitionException, type IToken } from "chevrotain";
import type { Document } from "./ast.js";
import type { Diagnostic } from "../core/diagnostic.js";
import { AstBuilder } from "./build-ast.js";
import type { DocumentCstNode } from "./cst-types.js";
import { LineIndex } from "../core/location.js";
import { parseTokens } from "./parser.js";
import { SyntaxCode } from "../core/codes/syntax.js";
import { syntaxMessages } from "./syntax-errors.js";
import * as T from "./tokens.js";

/** Deepest `{`/`(`/`[` nesting the parser accepts (it recurses once per level, several frames deep). */
export const maxNesting = 256;
const openers = new Set(T.delimiterPairs.map(([open]) => open));
const closers = new Set(T.delimiterPairs.map(([, close]) => close));

export interface ParseResult {
  document: Document;
  diagnostics: Diagnostic[];
}

export function parseDocument(text: string, file: string): ParseResult {
  const lines = new LineIndex(typeof text === "string" ? text : String(text));
  try {
    return new DocumentParser(lines, file).run();
  } catch (error) {
    // Only a bug gets here, or a stack overflow on pathological input (thousands of `-` in a row).
    const overflow = error instanceof RangeError;
    const detail = error instanceof Error ? error.message : String(error);
    const diagnostic: Diagnostic = {
      code: overflow ? SyntaxCode.NestingTooDeep : SyntaxCode.InternalError,
      severity: "error",
      file,
      loc: lines.location(0, 0),
      message: overflow ? "the file nests too deeply to parse" : `internal error while parsing: ${detail}`,
      hint: overflow ? "split deep nesting into named blocks" : "please report this together with the file",
    };
    return { document: new AstBuilder(lines, []).emptyDocument(), diagnostics: [diagnostic] };
  }
}

class DocumentParser {
  private readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly lines: LineIndex,
    private readonly file: string,
  ) {}

  run(): ParseResult {
    const lexed = T.tokenize(this.lines.text);
    this.lexicalDiagnostics(lexed);
    if (this.tooDeep(lexed.tokens)) {
      return { document: new AstBuilder(this.lines, lexed.comments).emptyDocument(), diagnostics: this.sorted() };
    }
    const { cst, errors } = parseTokens(lexed.tokens);
    this.syntaxDiagnostics(errors, this.tokensAfterDroppedText(lexed));
    const document = new AstBuilder(this.lines, lexed.comments).document(cst as DocumentCstNode);
    this.importOrder(document);
    return { document, diagnostics: this.sorted() };
  }

  private report(code: SyntaxCode, start: number, end: number, message: string, hint?: string): Diagnostic {
    const diagnostic: Diagnostic = {
      code,
      severity: "error",
      file: this.file,
      loc: this.lines.location(start, end),
      message,
    };
    if (hint) diagnostic.hint = hint;
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }

  private sorted(): Diagnostic[] {
    return this.diagnostics.sort((a, b) => a.loc.start - b.loc.start || a.loc.end - b.loc.end);
  }

  // -------------------------------------------------------------------------------------------

  private lexicalDiagnostics(lexed: T.LexResult): void {
    const text = this.lines.text;
    for (const { offset, length } of lexed.unexpected) {
      const chars = text.slice(offset, offset + length);
      const shown = [...chars].slice(0, 8).map(showCharacter).join("");
      const plural = [...chars].length > 1 ? "characters" : "character";
      this.report(SyntaxCode.UnexpectedCharacter, offset, offset + length, `unexpected ${plural} '${shown}'`, characterHint(chars));
    }
    for (const token of lexed.invalid) {
      if (token.tokenType === T.HashComment) {
        this.report(
          SyntaxCode.UnexpectedCharacter,
          token.startOffset,
          token.startOffset + 1,
          "unexpected character '#': '#' does not start a comment",
          "comments start with '//'",
        );
        continue;
      }
      this.report(
        SyntaxCode.UnterminatedComment,
        token.startOffset,
        token.startOffset + 2,
        "unterminated block comment: '/*' is never closed",
        "add '*/' where the comment ends",
      );
    }
    const tokens = lexed.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      const end = token.startOffset + token.image.length;
      if (token.tokenType === T.UnterminatedString) {
        this.report(
          SyntaxCode.UnterminatedString,
          token.startOffset,
          end,
          "unterminated string: the closing '\"' is missing before the end of the line",
          "strings cannot span lines; close it with '\"'",
        );
      }
      if (tokenMatcher(token, T.StringToken)) this.escapes(token);
      if (token.tokenType === T.MalformedNumber) {
        this.report(
          SyntaxCode.MalformedNumber,
          token.startOffset,
          end,
          `malformed number '${token.image}'`,
          "separate a number from what follows it with a space or an operator",
        );
      } else if (token.tokenType === T.NumberLiteral && !Number.isFinite(Number(token.image))) {
        this.report(SyntaxCode.NumberOutOfRange, token.startOffset, end, `number '${token.image}' is too large`);
      }
    }
  }

  private escapes(token: IToken): void {
    const pattern = /\\([\s\S])/g;
    for (let match = pattern.exec(token.image); match; match = pattern.exec(token.image)) {
      const escaped = match[1];
      if ((T.spellings.escapes as readonly string[]).includes(escaped)) continue;
      const start = token.startOffset + match.index;
      this.report(
        SyntaxCode.InvalidEscape,
        start,
        start + 2,
        `unknown escape '\\${showCharacter(escaped)}' in string; only '\\"' and '\\\\' are escapes`,
        "write '\\\\' for a backslash (in paths, '/' works on every system)",
      );
    }
  }

  /**
   * The parser is recursive descent: absurd nesting would overflow the stack. Real models nest
   * a handful of levels, so past `maxNesting` the file is refused with one clear diagnostic.
   */
  private tooDeep(tokens: readonly IToken[]): boolean {
    let depth = 0;
    for (const token of tokens) {
      if (openers.has(token.tokenType)) depth++;
      else if (closers.has(token.tokenType)) depth = Math.max(0, depth - 1);
      if (depth > maxNesting) {
        this.report(
          SyntaxCode.NestingTooDeep,
          token.startOffset,
          token.startOffset + token.image.length,
          `brackets nested more than ${maxNesting} levels deep`,
          "split the nesting into named blocks",
        );
        return true;
      }
    }
    return false;
  }

  /**
   * Start offsets of the tokens right after text the lexer dropped (`@`, `$`): the parser never
   * saw the dropped text, so an error on the next token is that same problem again.
   */
  private tokensAfterDroppedText(lexed: T.LexResult): Set<number> {
    const starts = new Set<number>();
    let i = 0;
    for (const { offset, length } of lexed.unexpected) {
      while (i < lexed.tokens.length && lexed.tokens[i].startOffset < offset + length) i++;
      if (i < lexed.tokens.length) starts.add(lexed.tokens[i].startOffset);
    }
    return starts;
  }

  private syntaxDiagnostics(errors: IRecognitionException[], echoes: Set<number>): void {
    const seen = new Set<number>(echoes);
    const end = this.lines.text.length;
    for (const error of errors) {
      const token = error.token;
      const atEnd = !token || token.tokenType === EOF || !Number.isFinite(token.startOffset);
      const start = atEnd ? end : token.startOffset;
      // Recovery can report the same token twice (e.g. a mismatch, then a resync); keep the first.
      if (seen.has(start)) continue;
      seen.add(start);
      const problem = token ? syntaxMessages.problemFor(token, error.message) : undefined;
      if (problem?.cascade && this.diagnostics.some((d) => d.loc.start < start)) continue;
      const diagnostic = this.report(
        problem?.code ?? SyntaxCode.ExpectedToken,
        start,
        atEnd ? end : start + token.image.length,
        problem?.message ?? error.message,
        problem?.hint,
      );
      if (problem?.related) {
        diagnostic.related = [
          { file: this.file, loc: this.lines.location(problem.related.start, problem.related.end), message: problem.related.message },
        ];
      }
    }
  }

  private importOrder(document: Document): void {
    const firstDeclaration = document.declarations[0];
    if (!firstDeclaration) return;
    for (const declaration of document.imports) {
      if (declaration.loc.start > firstDeclaration.loc.start) {
        this.report(
          SyntaxCode.ImportAfterDeclaration,
          declaration.loc.start,
          declaration.loc.start + "import".length,
          "imports must come before blocks and models",
          "move this import to the top of the file",
        );
      }
    }
  }
}

/** A character as a message shows it: printable as is, others as `U+XXXX`. */
function showCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || char === "\ufffd"
    ? `U+${code.toString(16).toUpperCase().padStart(4, "0")}`
    : char;
}

function characterHint(chars: string): string | undefined {
  switch (chars[0]) {
    case "#":
      return "comments start with '//'";
    case "'":
      return "strings use double quotes: \"…\"";
    case "&":
      return "logical and is '&&'";
    default:
      return undefined;
  }
}
