/**
 * The layer catalogue's contract. Each family file declares its layers: their arguments (name,
 * type, default, positional order), shape inference with messages that name the layer, the
 * shapes and the likely fix, and the parameters the layer owns (shapes in the IR's
 * conventions: dense [in, out], conv2d [kh, kw, cin, cout], conv1d [k, cin, cout]).
 */
import type { ArgSpec } from "../arguments.js";
import type { Initializer, ParamSpec, Shape, Value } from "../checked-model.js";
import type { CheckerCode } from "../../core/diagnostic-codes.js";

/** Evaluated arguments with defaults filled in. */
export type LayerArgs = Readonly<Record<string, Value>>;

export interface ShapeProblem {
  code: CheckerCode;
  message: string;
  hint?: string;
}

export type InferResult = { shape: Shape } | { problem: ShapeProblem };

export interface LayerDef {
  name: string;
  /** One line for `simc doc` and hovers. */
  doc: string;
  args: readonly ArgSpec[];
  infer(args: LayerArgs, input: Shape): InferResult;
  params(args: LayerArgs, input: Shape): ParamSpec[];
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function num(args: LayerArgs, name: string): number {
  return args[name] as number;
}

export function torchDefault(fanIn: number): Initializer {
  return { kind: "torch_default", fanIn };
}

export function trainable(name: string, shape: Shape, init: Initializer): ParamSpec {
  return { name, shape, kind: "trainable", init };
}

export function problem(code: CheckerCode, message: string, hint?: string): InferResult {
  return { problem: { code, message, ...(hint !== undefined ? { hint } : {}) } };
}

/** Shape-preserving layers without parameters. */
export function elementwise(name: string, doc: string, args: readonly ArgSpec[] = []): LayerDef {
  return {
    name,
    doc,
    args,
    infer: (_args, input) => ({ shape: [...input] }),
    params: () => [],
  };
}
