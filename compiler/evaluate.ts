/**
 * Expression evaluation at check time. Ints and floats stay apart: `+ - * % **` of ints give
 * ints, `/` of ints gives an int when the division is exact and a float otherwise (so
 * `units: m / 2` works for even m and is a clear type error for odd m). Names bound in scope
 * (block parameters, loop variables) evaluate to their values; other names become symbols,
 * which the consumer accepts as enum members or reports as unknown names.
 */
import type { Argument, BinaryExpr, Expr, SourceLocation, UnaryExpr } from "../grammar/ast.js";
import type { Place, Reporter } from "./reporter.js";
import { didYouMean } from "../core/suggest.js";
import { describeValue, isNumber, type EvalArg, type EvalValue } from "./values.js";

export interface EvalEnv {
  file: string;
  scope: ReadonlyMap<string, EvalValue>;
  reporter: Reporter;
}

function place(env: EvalEnv, loc: SourceLocation): Place {
  return { file: env.file, loc };
}

export function evaluate(expr: Expr | undefined, env: EvalEnv): EvalValue | undefined {
  if (!expr) return undefined; // recovered parse: the parser reported it
  if (expr.kind === "Identifier") {
    if (expr.name === "") return undefined;
    // A name in scope is its value, which already says where it was written.
    return env.scope.get(expr.name) ?? { kind: "symbol", name: expr.name, at: place(env, expr.loc) };
  }
  const at = place(env, expr.loc);
  switch (expr.kind) {
    case "NumberLiteral":
      if (!Number.isFinite(expr.value)) {
        env.reporter.report("SIM2021", at, `the number ${expr.raw} is too large`);
        return undefined;
      }
      if (expr.isInteger) {
        if (!Number.isSafeInteger(expr.value)) {
          env.reporter.report("SIM2021", at, `the integer ${expr.raw} is too large to represent exactly`);
          return undefined;
        }
        return { kind: "int", value: expr.value, at };
      }
      return { kind: "float", value: expr.value, at };
    case "StringLiteral":
      return { kind: "string", value: expr.value, at };
    case "BooleanLiteral":
      return { kind: "bool", value: expr.value, at };
    case "ListExpr": {
      const items: EvalValue[] = [];
      let ok = true;
      for (const element of expr.elements) {
        const value = evaluate(element, env);
        if (value) items.push(value);
        else ok = false;
      }
      return ok ? { kind: "list", items, at } : undefined;
    }
    case "CallExpr": {
      if (!expr.callee || expr.callee.name === "") return undefined;
      return {
        kind: "call",
        name: expr.callee.name,
        callee: place(env, expr.callee.loc),
        args: evaluateArguments(expr.args, env),
        at,
      };
    }
    case "UnaryExpr":
      return evaluateUnary(expr, env, at);
    case "BinaryExpr":
      return evaluateBinary(expr, env, at);
  }
}

export function evaluateArguments(args: readonly Argument[], env: EvalEnv): EvalArg[] {
  const evaluated: EvalArg[] = [];
  for (const arg of args) {
    const value = evaluate(arg.value, env);
    const at = place(env, arg.loc);
    evaluated.push(
      arg.name && arg.name.name !== "" ? { name: arg.name.name, nameAt: place(env, arg.name.loc), value, at } : { value, at },
    );
  }
  return evaluated;
}

/** Reports a symbol used as an operand: a name that is not in scope. */
function unknownOperand(v: EvalValue, env: EvalEnv): boolean {
  if (v.kind !== "symbol") return false;
  env.reporter.report("SIM2002", v.at, `unknown name '${v.name}'${didYouMean(v.name, [...env.scope.keys()])}`, {
    hint: env.scope.size > 0 ? `names in scope: ${[...env.scope.keys()].join(", ")}` : "no parameters are in scope here",
  });
  return true;
}

function evaluateUnary(expr: UnaryExpr, env: EvalEnv, at: Place): EvalValue | undefined {
  const operand = evaluate(expr.operand, env);
  if (!operand || unknownOperand(operand, env)) return undefined;
  if (expr.operator === "-") {
    if (operand.kind === "int") return { kind: "int", value: -operand.value, at };
    if (operand.kind === "float") return { kind: "float", value: -operand.value, at };
  } else if (operand.kind === "bool") {
    return { kind: "bool", value: !operand.value, at };
  }
  env.reporter.report("SIM2013", at, `'${expr.operator}' cannot be applied to ${describeValue(operand)}`);
  return undefined;
}

function evaluateBinary(expr: BinaryExpr, env: EvalEnv, at: Place): EvalValue | undefined {
  const op = expr.operator;
  // Equality compares names too (`if kind == conv`); every other operator needs values.
  const acceptsNames = op === "==" || op === "!=";
  const left = evaluate(expr.left, env);
  if (!left || (!acceptsNames && unknownOperand(left, env))) return undefined;
  // Short-circuit like every C-family language, so `i > 0 && …` guards the right side.
  if ((op === "&&" || op === "||") && left.kind === "bool" && left.value === (op === "||")) {
    return { kind: "bool", value: left.value, at };
  }
  const right = evaluate(expr.right, env);
  if (!right || (!acceptsNames && unknownOperand(right, env))) return undefined;

  switch (op) {
    case "&&":
    case "||":
      if (left.kind === "bool" && right.kind === "bool") return { kind: "bool", value: right.value, at };
      return invalidOperands(op, left, right, env, at);
    case "==":
    case "!=": {
      const same = valuesEqual(left, right);
      if (same === undefined) {
        // A name compared with a value is most likely a misspelt variable.
        if (unknownOperand(left, env) || unknownOperand(right, env)) return undefined;
        return invalidOperands(op, left, right, env, at);
      }
      return { kind: "bool", value: op === "==" ? same : !same, at };
    }
    case "<":
    case "<=":
    case ">":
    case ">=": {
      if (!isNumber(left) || !isNumber(right)) return invalidOperands(op, left, right, env, at);
      const a = left.value;
      const b = right.value;
      const value = op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
      return { kind: "bool", value, at };
    }
    case "+":
      if (left.kind === "string" && right.kind === "string") return { kind: "string", value: left.value + right.value, at };
      if (!isNumber(left) || !isNumber(right)) return invalidOperands(op, left, right, env, at);
      return arithmetic(op, left, right, env, at);
    case "-":
    case "*":
    case "/":
    case "%":
    case "**":
      if (!isNumber(left) || !isNumber(right)) return invalidOperands(op, left, right, env, at);
      return arithmetic(op, left, right, env, at);
  }
}

function invalidOperands(op: BinaryExpr["operator"], left: EvalValue, right: EvalValue, env: EvalEnv, at: Place): undefined {
  env.reporter.report("SIM2013", at, `'${op}' cannot be applied to ${describeValue(left)} and ${describeValue(right)}`);
  return undefined;
}

type NumberValue = Extract<EvalValue, { kind: "int" | "float" }>;

function arithmetic(
  op: "+" | "-" | "*" | "/" | "%" | "**",
  left: NumberValue,
  right: NumberValue,
  env: EvalEnv,
  at: Place,
): EvalValue | undefined {
  const a = left.value;
  const b = right.value;
  const ints = left.kind === "int" && right.kind === "int";
  if ((op === "/" || op === "%") && b === 0) {
    env.reporter.report("SIM2014", at, `${op === "/" ? "division" : "remainder"} by zero`);
    return undefined;
  }
  let value: number;
  let isInt = ints;
  switch (op) {
    case "+":
      value = a + b;
      break;
    case "-":
      value = a - b;
      break;
    case "*":
      value = a * b;
      break;
    case "/":
      value = a / b;
      isInt = ints && Number.isInteger(value);
      break;
    case "%":
      value = a % b;
      break;
    case "**":
      value = a ** b;
      isInt = ints && b >= 0;
      break;
  }
  if (!Number.isFinite(value) || (isInt && !Number.isSafeInteger(value))) {
    env.reporter.report("SIM2021", at, `the result of '${op}' is not a finite number that can be represented exactly`);
    return undefined;
  }
  return isInt ? { kind: "int", value, at } : { kind: "float", value, at };
}

function valuesEqual(a: EvalValue, b: EvalValue): boolean | undefined {
  if (isNumber(a) && isNumber(b)) return a.value === b.value;
  if (a.kind === "bool" && b.kind === "bool") return a.value === b.value;
  if (a.kind === "string" && b.kind === "string") return a.value === b.value;
  if (a.kind === "symbol" && b.kind === "symbol") return a.name === b.name;
  if (a.kind === "list" && b.kind === "list") {
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const same = valuesEqual(a.items[i], b.items[i]);
      if (same !== true) return same;
    }
    return true;
  }
  return undefined;
}
