/**
 * Wording of syntax errors. Chevrotain reports what it expected and what it found; this module
 * turns that into a sentence a user can act on ("expected '}' to close block 'conv' (opened at
 * 3:34), found 'model'") plus a stable code and an optional hint.
 *
 * Chevrotain asks an `IParserErrorMessageProvider` for a message string when it records an
 * error. The provider below answers with the sentence and remembers, per sentence, the code,
 * hint and related location, which `parse.ts` looks up when it converts the parser's errors.
 * Context (the name of the block a brace opens) comes from the token vector, not from parser
 * state, so it is the same whether or not recovery kicked in.
 */
import { EOF, tokenMatcher, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import * as T from "./tokens.js";
import { SyntaxCode } from "../core/codes/syntax.js";

export interface SyntaxProblem {
  code: SyntaxCode;
  message: string;
  hint?: string;
  /** Another place worth showing, e.g. the unclosed `{` (offsets into the text). */
  related?: { start: number; end: number; message: string };
  /**
   * The parser stumbled on a closing delimiter that does have a partner in the text: after an
   * earlier error this is almost always that error's echo, and `parse.ts` drops it.
   */
  cascade?: boolean;
}

/** The opening delimiter of each closing one. */
const openerOf = new Map<TokenType, TokenType>(T.delimiterPairs.map(([open, close]) => [close, open]));

function isCloser(type: TokenType): boolean {
  return openerOf.has(type);
}

/** Rules that hold comma-separated lists, and what one element is called there. */
const listElement: Record<string, string> = {
  argumentList: "argument",
  paramList: "parameter",
  list: "list element",
  importDecl: "imported name",
};

const expressionRules = new Set(["expression", "unaryExpression", "primary"]);

/** How a token reads in a message: `'relu'`, `keyword 'in'`, `end of file`. */
export function describeToken(token: IToken): string {
  if (token.tokenType === EOF) return "end of file";
  if (tokenMatcher(token, T.Keyword)) return `keyword '${token.image}'`;
  if (tokenMatcher(token, T.StringToken)) return `string ${truncate(token.image)}`;
  if (tokenMatcher(token, T.NumberToken)) return `number '${token.image}'`;
  return `'${truncate(token.image)}'`;
}

function truncate(text: string): string {
  return text.length > 24 ? `${text.slice(0, 21)}…` : text;
}

function label(type: TokenType): string {
  return type.LABEL ?? type.name;
}

function position(token: IToken): string {
  return `${token.startLine}:${token.startColumn}`;
}

class SyntaxMessages implements IParserErrorMessageProvider {
  private tokens: IToken[] = [];
  private readonly problems = new Map<string, SyntaxProblem>();

  /** Called before each parse with the token vector the parser reads. */
  reset(tokens: IToken[]): void {
    this.tokens = tokens;
    this.problems.clear();
  }

  /** The problem behind a message this provider produced for the error at `token`. */
  problemFor(token: IToken, message: string): SyntaxProblem | undefined {
    return this.problems.get(problemKey(token, message));
  }

  buildMismatchTokenMessage(options: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
    const problem = this.mismatch(options.expected, options.actual, options.ruleName);
    if (isCloser(options.expected) || options.expected === EOF) this.markEcho(options.actual, problem);
    return this.record(options.actual, problem);
  }

  buildNotAllInputParsedMessage(options: { firstRedundant: IToken; ruleName: string }): string {
    const problem = this.topLevel(options.firstRedundant);
    this.markEcho(options.firstRedundant, problem);
    return this.record(options.firstRedundant, problem);
  }

  buildNoViableAltMessage(options: { actual: IToken[]; ruleName: string }): string {
    return this.record(options.actual[0], this.noViableAlternative(options.actual[0], options.ruleName));
  }

  buildEarlyExitMessage(options: { actual: IToken[]; ruleName: string }): string {
    // The grammar has no AT_LEAST_ONE; kept total for safety.
    const actual = options.actual[0];
    return this.record(actual, { code: SyntaxCode.ExpectedToken, message: `unexpected ${describeToken(actual)}` });
  }

  /**
   * The parser wanted to close something (or to be done) and met a closer that has a partner
   * in the text: the nesting it tracks went out of step, usually because of an earlier error.
   */
  private markEcho(actual: IToken, problem: SyntaxProblem): void {
    if (isCloser(actual.tokenType) && this.openerIndex(actual.tokenType, this.indexOf(actual)) >= 0) {
      problem.cascade = true;
    }
  }

  private record(actual: IToken, problem: SyntaxProblem): string {
    this.problems.set(problemKey(actual, problem.message), problem);
    return problem.message;
  }

  // -------------------------------------------------------------------------------------------
  // Cases

  private mismatch(expected: TokenType, actual: IToken, rule: string): SyntaxProblem {
    const index = this.indexOf(actual);
    const previous = this.tokens[index - 1];
    const found = describeToken(actual);

    if (expected === EOF) return this.topLevel(actual);

    if (isCloser(actual.tokenType) && this.openerIndex(actual.tokenType, index) < 0) {
      return this.unmatched(actual);
    }

    if (isCloser(expected)) {
      const element = listElement[rule];
      if (element && actual.tokenType === T.Comma) {
        return {
          code: rule === "paramList" ? SyntaxCode.ExpectedName : SyntaxCode.ExpectedExpression,
          message: `unexpected ',' — expected ${article(element)} or '${label(expected).slice(1, -1)}'`,
          hint: "remove the extra ','",
        };
      }
      const afterElement =
        previous !== undefined && previous.tokenType !== T.Comma && previous.tokenType !== openerOf.get(expected);
      if (element && afterElement && !this.isBoundary(actual)) {
        return {
          code: SyntaxCode.ExpectedToken,
          message: `expected ',' or ${label(expected)} after ${article(element)}, found ${found}`,
          hint: `separate each ${element} from the next with ','`,
        };
      }
      if ((rule === "statementBody" || rule === "modelBody") && !this.isBoundary(actual)) {
        return rule === "modelBody"
          ? {
              code: SyntaxCode.ExpectedModelItem,
              message: `unexpected ${found} — expected a model item ('name: value' or 'name { … }')`,
            }
          : {
              code: SyntaxCode.ExpectedStatement,
              message: `unexpected ${found} — expected a statement (a layer call, 'name: value', residual, repeat or if)`,
            };
      }
      return this.unclosed(expected, actual, index);
    }

    if (expected === T.Identifier) {
      const what = this.nameRole(rule, previous);
      if (tokenMatcher(actual, T.Keyword)) {
        return {
          code: SyntaxCode.KeywordAsName,
          message: `'${actual.image}' is a keyword and cannot be used as ${what}`,
          hint: `choose another name, e.g. '${actual.image}_'`,
        };
      }
      const after = previous ? ` after ${describeToken(previous)}` : "";
      return { code: SyntaxCode.ExpectedName, message: `expected ${what}${after}, found ${found}` };
    }

    if (expected === T.StringToken) {
      return {
        code: SyntaxCode.ExpectedToken,
        message: `expected the module path as a string after 'from', found ${found}`,
        hint: `write it in quotes, e.g. from "std/basis"`,
      };
    }

    if (expected === T.LBrace) {
      const what = this.bodyOwner(rule, index);
      return { code: SyntaxCode.ExpectedToken, message: `expected '{' to open ${what}, found ${found}` };
    }

    if (expected === T.From) {
      return {
        code: SyntaxCode.ExpectedToken,
        message: `expected 'from' after the import list, found ${found}`,
        hint: `an import reads: import { name } from "std/module";`,
      };
    }

    if (expected === T.DotDot) {
      return {
        code: SyntaxCode.ExpectedToken,
        message: `expected '..' between the bounds of the repeat range, found ${found}`,
        hint: "a range loop reads: repeat i in 0..4 { … }",
      };
    }

    return { code: SyntaxCode.ExpectedToken, message: `expected ${label(expected)}, found ${found}` };
  }

  private noViableAlternative(actual: IToken, rule: string): SyntaxProblem {
    const index = this.indexOf(actual);
    const previous = this.tokens[index - 1];
    const found = describeToken(actual);

    if (isCloser(actual.tokenType) && this.openerIndex(actual.tokenType, index) < 0) {
      return this.unmatched(actual);
    }

    if (rule === "namedStatement" && previous) {
      const name = previous.image;
      if (actual.tokenType === T.LBrace) {
        return {
          code: SyntaxCode.ExpectedToken,
          message: `expected '(' or ':' after '${name}', found '{'`,
          hint: `'${name} { … }' is a section, allowed only directly inside a model; is a '}' missing before it?`,
        };
      }
      return {
        code: SyntaxCode.ExpectedToken,
        message: `expected '(' or ':' after '${name}', found ${found}`,
        hint: `call a layer with parentheses, '${name}()', or give a setting a value, '${name}: …'`,
      };
    }

    if (rule === "modelItem" && previous) {
      return {
        code: SyntaxCode.ExpectedToken,
        message: `expected ':' or '{' after '${previous.image}', found ${found}`,
        hint: `a model item is a property ('${previous.image}: value') or a section ('${previous.image} { … }')`,
      };
    }

    if (rule === "repeatStatement") {
      return {
        code: SyntaxCode.ExpectedExpression,
        message: `expected a count or a range 'i in a..b' after 'repeat', found ${found}`,
      };
    }

    if (expressionRules.has(rule)) return this.missingExpression(actual, previous, index);

    return { code: SyntaxCode.ExpectedToken, message: `unexpected ${found}` };
  }

  private missingExpression(actual: IToken, previous: IToken | undefined, index: number): SyntaxProblem {
    const found = describeToken(actual);
    const code = SyntaxCode.ExpectedExpression;
    if (!previous) return { code, message: `unexpected ${found} — expected an expression` };
    const prev = previous.tokenType;
    if (prev === T.Colon) {
      const key = this.tokens[index - 2];
      const owner = key && tokenMatcher(key, T.Identifier) ? ` after '${key.image}:'` : " after ':'";
      return { code, message: `expected a value${owner}, found ${found}` };
    }
    if (prev === T.Equals) return { code, message: `expected a default value after '=', found ${found}` };
    if (prev === T.LParen || prev === T.Comma) {
      const inCall = this.enclosingOpenerIsCall(index);
      return {
        code,
        message: inCall ? `unexpected ${found} — expected an argument` : `unexpected ${found} — expected an expression`,
      };
    }
    if (prev === T.LBracket) return { code, message: `unexpected ${found} — expected a list element` };
    if (T.operatorTokens.includes(prev) && prev !== T.Equals && prev !== T.Pipe) {
      return { code, message: `expected an operand after '${previous.image}', found ${found}` };
    }
    if (prev === T.If) return { code, message: `expected a condition after 'if', found ${found}` };
    if (prev === T.In) return { code, message: `expected the start of the range after 'in', found ${found}` };
    if (prev === T.DotDot) return { code, message: `expected the end of the range after '..', found ${found}` };
    return { code, message: `unexpected ${found} — expected an expression` };
  }

  private topLevel(actual: IToken): SyntaxProblem {
    const index = this.indexOf(actual);
    if (isCloser(actual.tokenType) && this.openerIndex(actual.tokenType, index) < 0) {
      return this.unmatched(actual);
    }
    return {
      code: SyntaxCode.ExpectedDeclaration,
      message: `expected 'import', 'block' or 'model', found ${describeToken(actual)}`,
      hint: "statements and properties belong inside a block or model body",
    };
  }

  private unmatched(actual: IToken): SyntaxProblem {
    const opener = label(openerOf.get(actual.tokenType) ?? actual.tokenType);
    return {
      code: SyntaxCode.UnmatchedDelimiter,
      message: `unexpected '${actual.image}' with no matching ${opener}`,
      hint: `remove it, or add the missing ${opener} before it`,
    };
  }

  private unclosed(expected: TokenType, actual: IToken, index: number): SyntaxProblem {
    const opener = openerOf.get(expected);
    const openIndex = opener ? this.openerIndex(expected, index) : -1;
    const found = describeToken(actual);
    if (openIndex < 0) {
      return { code: SyntaxCode.ExpectedToken, message: `expected ${label(expected)}, found ${found}` };
    }
    const open = this.tokens[openIndex];
    return {
      code: SyntaxCode.UnclosedDelimiter,
      message: `expected ${label(expected)} to close ${this.describeOpener(openIndex)} (opened at ${position(open)}), found ${found}`,
      hint: `add ${label(expected)}`,
      related: { start: open.startOffset, end: open.startOffset + open.image.length, message: `${label(open.tokenType)} opened here` },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Token-vector helpers

  /** Index of a token in the vector (the vector's length for EOF or an inserted token). */
  private indexOf(token: IToken): number {
    const offset = token.startOffset;
    if (token.tokenType === EOF || !Number.isFinite(offset)) return this.tokens.length;
    let lo = 0;
    let hi = this.tokens.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.tokens[mid].startOffset;
      if (at === offset) return mid;
      if (at < offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Index of the opener that a closer of type `closer` at `index` would match: walk back
   * counting nested pairs of the same kind. -1 when everything before is balanced.
   */
  private openerIndex(closer: TokenType, index: number): number {
    const open = openerOf.get(closer);
    let depth = 0;
    for (let i = index - 1; i >= 0; i--) {
      const type = this.tokens[i].tokenType;
      if (type === closer) depth++;
      else if (type === open) {
        if (depth === 0) return i;
        depth--;
      }
    }
    return -1;
  }

  /** Whether a token can legitimately follow a body, so that a missing `}` is the likely story. */
  private isBoundary(token: IToken): boolean {
    return (
      token.tokenType === EOF ||
      token.tokenType === T.Block ||
      token.tokenType === T.Model ||
      token.tokenType === T.Import ||
      isCloser(token.tokenType)
    );
  }

  private enclosingOpenerIsCall(index: number): boolean {
    const open = this.openerIndex(T.RParen, index);
    const before = this.tokens[open - 1];
    return open > 0 && tokenMatcher(before, T.Identifier) && this.tokens[open - 2]?.tokenType !== T.Block;
  }

  /** "block 'conv'", "the argument list of 'dense'", "section 'basis'", … */
  private describeOpener(index: number): string {
    const open = this.tokens[index].tokenType;
    const before = this.tokens[index - 1];
    const beforeThat = this.tokens[index - 2];
    if (open === T.LBracket) return "the list";
    if (open === T.LParen) {
      if (before && tokenMatcher(before, T.Identifier)) {
        return beforeThat?.tokenType === T.Block
          ? `the parameter list of block '${before.image}'`
          : `the argument list of '${before.image}'`;
      }
      return "the parenthesised expression";
    }
    if (!before) return "the body";
    switch (before.tokenType) {
      case T.Import:
        return "the import list";
      case T.Residual:
        return "the 'residual' body";
      case T.Shortcut:
        return "the 'shortcut' branch";
      case T.Else:
        return "the 'else' branch";
      case T.RParen: {
        const paren = this.openerIndex(T.RParen, index - 1);
        const name = this.tokens[paren - 1];
        if (paren > 1 && this.tokens[paren - 2].tokenType === T.Block) return `block '${name.image}'`;
        break;
      }
      case T.Identifier:
        if (beforeThat?.tokenType === T.Block) return `block '${before.image}'`;
        if (beforeThat?.tokenType === T.Model) return `model '${before.image}'`;
        break;
    }
    const keyword = this.statementKeyword(index);
    if (keyword) return `the '${keyword}' body`;
    if (tokenMatcher(before, T.Identifier)) return `section '${before.image}'`;
    return "the body";
  }

  /** The `repeat`/`if` that a `{` at `index` belongs to, scanning back over its header. */
  private statementKeyword(index: number): string | undefined {
    let depth = 0;
    for (let i = index - 1; i >= 0; i--) {
      const type = this.tokens[i].tokenType;
      if (type === T.RParen || type === T.RBracket) depth++;
      else if (type === T.LParen || type === T.LBracket) depth--;
      else if (depth === 0 && (type === T.LBrace || type === T.RBrace || type === T.Semicolon)) return undefined;
      else if (depth === 0 && (type === T.Repeat || type === T.If)) return this.tokens[i].image;
      if (depth < 0) return undefined;
    }
    return undefined;
  }

  /** What a `{` at `index` (the token the parser wanted to be `{`) would have opened. */
  private bodyOwner(rule: string, index: number): string {
    const previous = this.tokens[index - 1];
    if (rule === "modelBody" && previous) return `the body of model '${previous.image}'`;
    if (previous?.tokenType === T.RParen) {
      const paren = this.openerIndex(T.RParen, index - 1);
      const name = this.tokens[paren - 1];
      if (paren > 0 && name) return `the body of block '${name.image}'`;
    }
    if (previous && this.tokens[index - 2]?.tokenType === T.Block) return `the body of block '${previous.image}'`;
    if (previous?.tokenType === T.Residual || previous?.tokenType === T.Shortcut || previous?.tokenType === T.Else) {
      return `the '${previous.image}' body`;
    }
    const keyword = this.statementKeyword(index);
    if (keyword) return `the '${keyword}' body`;
    return "a body";
  }

  /** What kind of name the parser wanted, from the rule and the token before. */
  private nameRole(rule: string, previous: IToken | undefined): string {
    switch (rule) {
      case "blockDecl":
        return "a block name";
      case "modelDecl":
        return "a model name";
      case "importSpecifier":
        return previous?.tokenType === T.As ? "an alias" : "a name to import";
      case "importDecl":
        return "a name to import";
      case "param":
      case "paramList":
        return "a parameter name";
      case "typeRef":
        return previous?.tokenType === T.Pipe ? "an enum member" : "a type name";
      case "repeatStatement":
        return "a loop variable";
      default:
        return "a name";
    }
  }
}

function problemKey(token: IToken, message: string): string {
  return `${token.startOffset}:${message}`;
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** The provider the parser is configured with (one parser, one provider). */
export const syntaxMessages = new SyntaxMessages();
