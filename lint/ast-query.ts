/**
 * Small read-only queries over the AST that several rules share: finding a model's items,
 * a call's arguments, and the role an identifier plays where it stands.
 */
import type {
  Argument,
  CallExpr,
  Expr,
  Identifier,
  ModelDecl,
  Node,
  Property,
  Section,
  Statement,
} from "../grammar/ast.js";

export function modelProperty(decl: ModelDecl, key: string): Property | undefined {
  return decl.items.find((item): item is Property => item.kind === "Property" && item.key.name === key);
}

export function modelSection(decl: ModelDecl, key: string): Section | undefined {
  return decl.items.find((item): item is Section => item.kind === "Section" && item.key.name === key);
}

/** A `key: value` setting directly inside a section body (`solver: anderson()` in `deq { … }`). */
export function sectionProperty(section: Section | undefined, key: string): Property | undefined {
  return section?.body.find((s): s is Property => s.kind === "Property" && s.key.name === key);
}

/** The property's value when it is a call (`cell: linf(units: 64)`). */
export function callValue(property: Property | undefined): CallExpr | undefined {
  return property?.value?.kind === "CallExpr" ? property.value : undefined;
}

/**
 * The argument that sets `name`: the named one, else the positional one at `position`
 * (positional arguments come first, in the callee's parameter order).
 */
export function callArgument(call: CallExpr | undefined, name: string, position?: number): Argument | undefined {
  if (!call) return undefined;
  const named = call.args.find((a) => a.name?.name === name);
  if (named) return named;
  if (position === undefined) return undefined;
  const positional = call.args.filter((a) => !a.name);
  return positional[position];
}

/** The most precise node to point at for a setting: its value, else the call, else the fallback. */
export function settingNode(call: CallExpr | undefined, name: string, fallback: Node, position?: number): Node {
  const arg = callArgument(call, name, position);
  return arg?.value ?? arg ?? call ?? fallback;
}

/** Every statement in a list, nested bodies included (residual, shortcut, repeat, if/else). */
export function* allStatements(statements: readonly Statement[] | undefined): Generator<Statement> {
  for (const s of statements ?? []) {
    yield s;
    switch (s.kind) {
      case "ResidualStatement":
        yield* allStatements(s.body);
        yield* allStatements(s.shortcut);
        break;
      case "RepeatStatement":
        yield* allStatements(s.body);
        break;
      case "IfStatement":
        yield* allStatements(s.then);
        yield* allStatements(s.else);
        break;
      default:
        break;
    }
  }
}

/** How an identifier is used where it stands. */
export type IdentifierRole =
  /** `dense` in `dense(units: 3)`: a layer, block or configured value being applied. */
  | "callee"
  /** A name read as a value: a parameter, a loop variable, or an enum value like `same`. */
  | "reference"
  /** A name being introduced: block, model, parameter, loop variable, import binding. */
  | "declaration"
  /** A setting's or argument's key (`units:` in `dense(units: 3)`, `solver:` in `deq { … }`). */
  | "key"
  /** A member of an enum type (`gauss | laplace`). */
  | "type";

export function identifierRole(id: Identifier, parent: Node | undefined): IdentifierRole {
  if (!parent) return "reference";
  switch (parent.kind) {
    case "CallExpr":
      return parent.callee === id ? "callee" : "reference";
    case "Argument":
      return parent.name === id ? "key" : "reference";
    case "Property":
    case "Section":
      return parent.key === id ? "key" : "reference";
    case "ParamDecl":
      return parent.name === id ? "declaration" : "reference";
    case "BlockDecl":
    case "ModelDecl":
    case "ImportSpecifier":
      return "declaration";
    case "RepeatStatement":
      return parent.variable === id ? "declaration" : "reference";
    case "EnumType":
      return "type";
    default:
      return "reference";
  }
}

/** The value of a constant numeric expression (`0.5`, `-1e-3`, `2 ** 10`), else undefined. */
export function constantNumber(expr: Expr | undefined): number | undefined {
  if (!expr) return undefined;
  switch (expr.kind) {
    case "NumberLiteral":
      return expr.value;
    case "UnaryExpr": {
      const v = constantNumber(expr.operand);
      return expr.operator === "-" && v !== undefined ? -v : undefined;
    }
    case "BinaryExpr": {
      const l = constantNumber(expr.left);
      const r = constantNumber(expr.right);
      if (l === undefined || r === undefined) return undefined;
      switch (expr.operator) {
        case "+":
          return l + r;
        case "-":
          return l - r;
        case "*":
          return l * r;
        case "/":
          return r === 0 ? undefined : l / r;
        case "**":
          return l ** r;
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}

/** A value known without running the checker: a constant, or a block parameter's default. */
export interface StaticValue {
  value: number | string | boolean;
  /** Set when the value is the default of this block parameter. */
  viaParameter?: string;
}

/**
 * The value of an expression where it stands: numbers (constant-folded), booleans, strings and
 * symbols (`cossin`), or, inside a block, the default of the parameter the expression names.
 */
export function staticValue(expr: Expr | undefined, ancestors: readonly Node[]): StaticValue | undefined {
  if (!expr) return undefined;
  if (expr.kind === "StringLiteral" || expr.kind === "BooleanLiteral") return { value: expr.value };
  if (expr.kind === "Identifier") {
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const a = ancestors[i];
      if (a.kind === "RepeatStatement" && a.variable?.name === expr.name) return undefined;
      if (a.kind === "BlockDecl") {
        const param = a.params.find((p) => p.name.name === expr.name);
        if (!param) break;
        const inner = param.default ? staticValue(param.default, []) : undefined;
        return inner ? { value: inner.value, viaParameter: expr.name } : undefined;
      }
    }
    return { value: expr.name };
  }
  const n = constantNumber(expr);
  return n === undefined ? undefined : { value: n };
}
