/**
 * The `.sim` grammar as a Chevrotain CST parser (docs/language.md, "Grammar").
 *
 * One parser instance is built at module load and reset for each input. Error recovery is on:
 * a missing `}` or `)` is inserted, a stray token skipped, so one typo yields one diagnostic and
 * the rest of the file still parses; the CST may then lack children (see `build-ast.ts`).
 * Diagnostic wording lives in `syntax-errors.ts`.
 *
 * Design notes:
 * - A statement that starts with a name (`dense(…)` or `key: value`) is one rule whose second
 *   token decides, so the body's loop enters on the name alone and a bare `relu` gets the
 *   precise "expected '(' or ':' after 'relu'".
 * - Binary expressions are one flat rule `unary (operator unary)*`; `build-ast.ts` applies the
 *   precedence of the reference: `||` < `&&` < `== !=` < `< <= > >=` < `+ -` < `* / %` < `**`
 *   < unary. `**` is right-associative and binds looser than unary minus (`-2 ** 2` is
 *   `(-2) ** 2`); the others are left-associative.
 * - `;` and `,` may separate statements and model items; they carry no meaning.
 * - Each `OR`'s alternatives are built once, as a field next to their rule: written inline they
 *   would be a fresh array of fresh closures on every call of the rule (Chevrotain's
 *   "caching arrays of alternatives" advice).
 */
import type { CstNode, IOrAlt, IRecognitionException, IToken } from "chevrotain";
import { FastCstParser } from "./fast-cst-parser.js";
import * as T from "./tokens.js";
import { syntaxMessages } from "./syntax-errors.js";

/** The alternatives of one `OR`, tried in order. */
function alternatives(...choices: (() => unknown)[]): IOrAlt<unknown>[] {
  return choices.map((choice) => ({ ALT: choice }));
}

class SimParser extends FastCstParser {
  constructor() {
    super([...T.allTokens], {
      recoveryEnabled: true,
      // `build-ast.ts` reads only offsets (lines and columns come from `LineIndex`).
      nodeLocationTracking: "onlyOffset",
      maxLookahead: 3,
      errorMessageProvider: syntaxMessages,
    });
    this.performSelfAnalysis();
  }

  /** document := (import | block | model)* — import order is checked after parsing. */
  document = this.RULE("document", () => {
    this.MANY(() => this.OR(this.documentItems));
  });
  private readonly documentItems = alternatives(
    () => this.SUBRULE(this.importDecl),
    () => this.SUBRULE(this.blockDecl),
    () => this.SUBRULE(this.modelDecl),
  );

  /** import := "import" "{" specifier ("," specifier)* ","? "}" "from" STRING ";"? */
  importDecl = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.LBrace);
    this.SUBRULE(this.importSpecifier);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.importSpecifier);
    });
    this.OPTION(() => this.CONSUME2(T.Comma));
    this.CONSUME(T.RBrace);
    this.CONSUME(T.From);
    this.CONSUME(T.StringToken);
    this.OPTION2(() => this.CONSUME(T.Semicolon));
  });

  /** specifier := IDENT ("as" IDENT)? */
  importSpecifier = this.RULE("importSpecifier", () => {
    this.CONSUME(T.Identifier, { LABEL: "imported" });
    this.OPTION(() => {
      this.CONSUME(T.As);
      this.CONSUME2(T.Identifier, { LABEL: "local" });
    });
  });

  /** block := "block" IDENT paramList? statementBody */
  blockDecl = this.RULE("blockDecl", () => {
    this.CONSUME(T.Block);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.SUBRULE(this.statementBody);
  });

  /** paramList := "(" (param ("," param)* ","?)? ")" */
  paramList = this.RULE("paramList", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.param);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  /** param := IDENT (":" type)? ("=" expr)? */
  param = this.RULE("param", () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeRef);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression);
    });
  });

  /** type := IDENT ("|" IDENT)* — one name is a named type, several an enum. */
  typeRef = this.RULE("typeRef", () => {
    this.CONSUME(T.Identifier);
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      this.CONSUME2(T.Identifier);
    });
  });

  /** model := "model" IDENT paramList? modelBody — parameters are what a search may vary. */
  modelDecl = this.RULE("modelDecl", () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.paramList));
    this.SUBRULE(this.modelBody);
  });

  /** modelBody := "{" (modelItem | ";" | ",")* "}" */
  modelBody = this.RULE("modelBody", () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.OR(this.modelBodyItems));
    this.CONSUME(T.RBrace);
  });
  private readonly modelBodyItems = alternatives(
    () => this.SUBRULE(this.modelItem),
    () => this.CONSUME(T.Semicolon),
    () => this.CONSUME(T.Comma),
  );

  /** modelItem := IDENT ":" expr | IDENT statementBody */
  modelItem = this.RULE("modelItem", () => {
    this.CONSUME(T.Identifier);
    this.OR(this.modelItemForms);
  });
  private readonly modelItemForms = alternatives(
    () => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.expression);
    },
    () => this.SUBRULE(this.statementBody),
  );

  /** statementBody := "{" (statement | ";" | ",")* "}" */
  statementBody = this.RULE("statementBody", () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.OR(this.statementBodyItems));
    this.CONSUME(T.RBrace);
  });
  private readonly statementBodyItems = alternatives(
    () => this.SUBRULE(this.statement),
    () => this.CONSUME(T.Semicolon),
    () => this.CONSUME(T.Comma),
  );

  statement = this.RULE("statement", () => {
    this.OR(this.statementForms);
  });
  private readonly statementForms = alternatives(
    () => this.SUBRULE(this.namedStatement),
    () => this.SUBRULE(this.residualStatement),
    () => this.SUBRULE(this.repeatStatement),
    () => this.SUBRULE(this.ifStatement),
  );

  /** namedStatement := IDENT argumentList | IDENT ":" expr — a layer call or a setting. */
  namedStatement = this.RULE("namedStatement", () => {
    this.CONSUME(T.Identifier);
    this.OR(this.namedStatementForms);
  });
  private readonly namedStatementForms = alternatives(
    () => this.SUBRULE(this.argumentList),
    () => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.expression);
    },
  );

  /** residual := "residual" statementBody ("shortcut" statementBody)? */
  residualStatement = this.RULE("residualStatement", () => {
    this.CONSUME(T.Residual);
    this.SUBRULE(this.statementBody, { LABEL: "body" });
    this.OPTION(() => {
      this.CONSUME(T.Shortcut);
      this.SUBRULE2(this.statementBody, { LABEL: "shortcut" });
    });
  });

  /** repeat := "repeat" (IDENT "in" expr ".." expr | expr) statementBody */
  repeatStatement = this.RULE("repeatStatement", () => {
    this.CONSUME(T.Repeat);
    this.OR(this.repeatForms);
    this.SUBRULE(this.statementBody);
  });
  private readonly repeatForms = alternatives(
    () => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.In);
      this.SUBRULE(this.expression, { LABEL: "from" });
      this.CONSUME(T.DotDot);
      this.SUBRULE2(this.expression, { LABEL: "to" });
    },
    () => this.SUBRULE3(this.expression, { LABEL: "count" }),
  );

  /** if := "if" expr statementBody ("else" statementBody)? */
  ifStatement = this.RULE("ifStatement", () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.statementBody, { LABEL: "then" });
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.SUBRULE2(this.statementBody, { LABEL: "else" });
    });
  });

  /** argumentList := "(" (argument ("," argument)* ","?)? ")" */
  argumentList = this.RULE("argumentList", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.argument);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.argument);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  /** argument := (IDENT ":")? expr */
  argument = this.RULE("argument", () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.expression);
  });

  /**
   * expr := unary (binaryOperator unary)* — one flat rule for every binary operator; the AST
   * builder applies precedence and associativity. Eleven nested rules (one per level) would
   * make every literal cost eleven CST nodes.
   */
  expression = this.RULE("expression", () => {
    this.SUBRULE(this.unaryExpression, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.BinaryOperator, { LABEL: "operator" });
      this.SUBRULE2(this.unaryExpression, { LABEL: "operand" });
    });
  });

  /** unary := ("-" | "!") unary | primary */
  unaryExpression = this.RULE("unaryExpression", () => {
    this.OR(this.unaryForms);
  });
  private readonly unaryForms = alternatives(
    () => {
      this.CONSUME(T.UnaryOperator);
      this.SUBRULE(this.unaryExpression);
    },
    () => this.SUBRULE(this.primary),
  );

  /** primary := NUMBER | STRING | true | false | IDENT argumentList? | list | "(" expr ")" */
  primary = this.RULE("primary", () => {
    this.OR(this.primaryForms);
  });
  private readonly primaryForms = alternatives(
    () => this.CONSUME(T.NumberToken),
    () => this.CONSUME(T.StringToken),
    () => this.CONSUME(T.True),
    () => this.CONSUME(T.False),
    () => {
      this.CONSUME(T.Identifier);
      this.OPTION(() => this.SUBRULE(this.argumentList));
    },
    () => this.SUBRULE(this.list),
    () => this.SUBRULE(this.parenthesized),
  );

  /** list := "[" (expr ("," expr)* ","?)? "]" */
  list = this.RULE("list", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  parenthesized = this.RULE("parenthesized", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });
}

const parser = new SimParser();

/** The grammar's productions, for generating CST typings and for grammar self-checks. */
export function grammarProductions(): ReturnType<SimParser["getGAstProductions"]> {
  return parser.getGAstProductions();
}

export interface CstParseResult {
  cst: CstNode;
  errors: IRecognitionException[];
}

/** Parses a token vector into one `expression` CST (a setting given on the command line). */
export function parseExpressionTokens(tokens: IToken[]): CstParseResult {
  syntaxMessages.reset(tokens);
  parser.input = [...tokens];
  const cst = parser.expression();
  return { cst, errors: [...parser.errors] };
}

/** Parses a token vector (from `tokenize`) into a `document` CST. */
export function parseTokens(tokens: IToken[]): CstParseResult {
  syntaxMessages.reset(tokens);
  // A copy: Chevrotain pads its input vector with EOF sentinels while parsing.
  parser.input = [...tokens];
  const cst = parser.document();
  return { cst, errors: [...parser.errors] };
}
