/**
 * What each IR op requires of its inputs, attributes and parameters, and the output shape it
 * produces: the op semantics the verifier checks every node against. `implicit` is checked by
 * the verifier itself (it needs the whole module); everything else is here.
 */
import type { Shape } from "../core/values.js";
import type { AttrValue, IRNode, IRParam } from "./types.js";

export const ACTIVATIONS = ["relu", "tanh", "sigmoid", "softsign", "relu6", "softplus"] as const;

/** The result of checking one node: problems found and, when it can be computed, the output shape. */
export interface OpCheck {
  problems: string[];
  shape?: Shape;
}

type Rule = (node: IRNode, inputs: Shape[], params: IRParam[]) => OpCheck;

export function showShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function shapeSize(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

const show = showShape;

function isPositiveInt(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}

function intList(value: AttrValue | undefined, length: number): number[] | undefined {
  if (!Array.isArray(value) || value.length !== length || !value.every(isPositiveInt)) return undefined;
  return value as number[];
}

/** Output length of a sliding window along one axis. */
export function windowOutput(size: number, kernel: number, stride: number, dilation: number, padding: string): number {
  if (padding === "valid") return Math.floor((size - (kernel - 1) * dilation - 1) / stride) + 1;
  return Math.ceil(size / stride); // same, causal
}

function expectInputs(node: IRNode, inputs: Shape[], count: number, problems: string[]): boolean {
  if (inputs.length !== count) {
    problems.push(`${node.op} takes ${count} input${count === 1 ? "" : "s"}, got ${inputs.length}`);
    return false;
  }
  return true;
}

function expectParamCount(node: IRNode, params: IRParam[], allowed: number[], problems: string[]): boolean {
  if (!allowed.includes(params.length)) {
    problems.push(`${node.op} takes ${allowed.join(" or ")} parameters, got ${params.length}`);
    return false;
  }
  return true;
}

function expectParamShape(param: IRParam, shape: Shape, role: string, problems: string[]): void {
  if (!sameShape(param.shape, shape)) {
    problems.push(`${role} ${param.name} has shape ${show(param.shape)}, expected ${show(shape)}`);
  }
}

function expectKind(param: IRParam, kind: IRParam["kind"], problems: string[]): void {
  if (param.kind !== kind) problems.push(`parameter ${param.name} must be ${kind}, is ${param.kind}`);
}

const dense: Rule = (node, inputs, params) => {
  const problems: string[] = [];
  if (!expectInputs(node, inputs, 1, problems) || !expectParamCount(node, params, [1, 2], problems)) return { problems };
  const input = inputs[0];
  if (input.length === 0) return { problems: ["dense needs an input with at least one axis"] };
  const weight = params[0];
  if (weight.shape.length !== 2) return { problems: [`dense weight ${weight.name} must be [in, out], is ${show(weight.shape)}`] };
  const [inDim, outDim] = weight.shape;
  if (inDim !== input[input.length - 1]) {
    problems.push(`dense weight ${weight.name} is ${show(weight.shape)} but the input's last axis is ${input[input.length - 1]}`);
  }
  if (params[1]) expectParamShape(params[1], [outDim], "dense bias", problems);
  return { problems, shape: [...input.slice(0, -1), outDim] };
};

function convParams(
  node: IRNode,
  params: IRParam[],
  kernelShape: Shape,
  cin: number,
  weightNorm: boolean,
  problems: string[],
): number | undefined {
  const weightCount = weightNorm ? 2 : 1;
  if (!expectParamCount(node, params, [weightCount, weightCount + 1], problems)) return undefined;
  const weight = params[0];
  const rank = kernelShape.length + 2;
  if (weight.shape.length !== rank) {
    problems.push(`${node.op} kernel ${weight.name} must have rank ${rank}, is ${show(weight.shape)}`);
    return undefined;
  }
  const cout = weight.shape[rank - 1];
  expectParamShape(weight, [...kernelShape, cin, cout], `${node.op} kernel`, problems);
  if (weightNorm) expectParamShape(params[1], [cout], "weight-norm gain", problems);
  if (params[weightCount]) expectParamShape(params[weightCount], [cout], `${node.op} bias`, problems);
  return cout;
}

const conv2d: Rule = (node, inputs, params) => {
  const problems: string[] = [];
  if (!expectInputs(node, inputs, 1, problems)) return { problems };
  const input = inputs[0];
  if (input.length !== 3) return { problems: [`conv2d needs an [height, width, channels] input, got ${show(input)}`] };
  const kernel = intList(node.attrs.kernel, 2);
  const stride = intList(node.attrs.stride, 2);
  const dilation = intList(node.attrs.dilation, 2);
  const padding = node.attrs.padding;
  if (!kernel || !stride || !dilation) problems.push("conv2d needs kernel, stride and dilation as two positive integers each");
  if (padding !== "same" && padding !== "valid") problems.push(`conv2d padding must be "same" or "valid", is ${JSON.stringify(padding)}`);
  if (!kernel || !stride || !dilation || problems.length) return { problems };
  const cout = convParams(node, params, kernel, input[2], false, problems);
  if (cout === undefined) return { problems };
  const h = windowOutput(input[0], kernel[0], stride[0], dilation[0], padding as string);
  const w = windowOutput(input[1], kernel[1], stride[1], dilation[1], padding as string);
  if (h < 1 || w < 1) problems.push(`conv2d output would be empty for input ${show(input)}`);
  return { problems, shape: [h, w, cout] };
};

const conv1d: Rule = (node, inputs, params) => {
  const problems: string[] = [];
  if (!expectInputs(node, inputs, 1, problems)) return { problems };
  const input = inputs[0];
  if (input.length !== 2) return { problems: [`conv1d needs a [length, channels] input, got ${show(input)}`] };
  const { kernel, stride, dilation, padding, weightNorm } = node.attrs;
  if (!isPositiveInt(kernel) || !isPositiveInt(stride) || !isPositiveInt(dilation)) {
    problems.push("conv1d needs kernel, stride and dilation as positive integers");
  }
  if (padding !== "causal" && padding !== "same" && padding !== "valid") {
    problems.push(`conv1d padding must be "causal", "same" or "valid", is ${JSON.stringify(padding)}`);
  }
  if (typeof weightNorm !== "boolean") problems.push("conv1d needs weightNorm: true or false");
  if (problems.length) return { problems };
  const cout = convParams(node, params, [kernel as number], input[1], weightNorm as boolean, problems);
  if (cout === undefined) return { problems };
  const length = windowOutput(input[0], kernel as number, stride as number, dilation as number, padding as string);
  if (length < 1) problems.push(`conv1d output would be empty for input ${show(input)}`);
  return { problems, shape: [length, cout] };
};

const batchnorm: Rule = (node, inputs, params) => {
  const problems: string[] = [];
  if (!expectInputs(node, inputs, 1, problems) || !expectParamCount(node, params, [4], problems)) return { problems };
  const channels = inputs[0][inputs[0].length - 1];
  const roles = ["gamma", "beta", "moving mean", "moving variance"];
  params.forEach((p, i) => expectParamShape(p, [channels], `batchnorm ${roles[i]}`, problems));
  expectKind(params[2], "buffer", problems);
  expectKind(params[3], "buffer", problems);
  if (typeof node.attrs.epsilon !== "number" || !(node.attrs.epsilon > 0)) problems.push("batchnorm needs a positive epsilon");
  const momentum = node.attrs.momentum;
  if (typeof momentum !== "number" || momentum < 0 || momentum > 1) problems.push("batchnorm needs a momentum in [0, 1]");
  return { problems, shape: inputs[0] };
};

const activation: Rule = (node, inputs, params) => {
  const problems: string[] = [];
  if (!expectInputs(node, inputs, 1, problems) || !expectParamCount(node, params, [0], problems)) return { problems };
  const fn = node.attrs.fn;
  if (typeof fn !== "string" || !(ACTIVATIONS as readonly string[]).includes(fn)) {
    problems.push(`activation fn must be one of ${ACTIVATIONS.join(", ")}, is ${JSON.stringify(fn)}`);
  }
  if (fn === "softplus" && node.attrs.beta !== undefined && !(typeof node.attrs.beta === "number" && node.attrs.beta > 0)) {
    problems.push("softplus beta must be a positive number");
  }
  return { problems, shape: inputs[0] };
};

const pool: Rule = (node, inputs, params) => {
  const problems: string[] = [];
  if (!expectInputs(node, inputs, 1, problems) || !expectParamCount(node, params, [0], problems)) return { problems };
  const input = inputs[0];
  const spatial = input.length - 1;
  if (spatial !== 1 && spatial !== 2) return { problems: [`pool needs a [length, c] or [h, w, c] input, got ${show(input)}`] };
  const size = intList(node.attrs.size, spatial);
  const stride = intList(node.attrs.stride, spatial);
  const { mode, padding } = node.attrs;
  if (mode !== "max" && mode !== "avg") problems.push(`pool mode must be "max" or "avg", is ${JSON.stringify(mode)}`);
  if (padding !== "same" && padding !== "valid") problems.push(`pool padding must be "same" or "valid", is ${JSON.stringify(padding)}`);
  if (!size || !stride) problems.push(`pool size and stride must be ${spatial} positive integer(s) for input ${show(input)}`);
  if (!size || !stride || problems.length) return { problems };
  const out = size.map((k, i) => windowOutput(input[i], k, stride[i], 1, padding as string));
  if (out.some((d) => d < 1)) problems.push(`pool output would be empty for input ${show(input)}`);
  return { problems, shape: [...out, input[spatial]] };
};

const flatten: Rule = (node, inputs, params) => {
  const problems: string[] = [];
  if (!expectInputs(node, inputs, 1, problems) || !expectParamCount(node, params, [0], problems)) return { problems };
  return { problems, shape: [shapeSize(inputs[0])] };
};

const dropout: Rule = (node, inputs, params) => {
  const problems: string[] = [];
  if (!expectInputs(node, inputs, 1, problems) || !expectParamCount(node, params, [0], problems)) return { problems };
  const rate = node.attrs.rate;
  if (typeof rate !== "number" || rate < 0 || rate >= 1) problems.push("dropout rate must be a number in [0, 1)");
  return { problems, shape: inputs[0] };
};

const identity: Rule = (node, inputs, params) => {
  const problems: string[] = [];
  if (!expectInputs(node, inputs, 1, problems) || !expectParamCount(node, params, [0], problems)) return { problems };
  return { problems, shape: inputs[0] };
};

const add: Rule = (node, inputs, params) => {
  const problems: string[] = [];
  expectParamCount(node, params, [0], problems);
  if (inputs.length < 2) return { problems: [...problems, `add takes at least 2 inputs, got ${inputs.length}`] };
  for (const shape of inputs.slice(1)) {
    if (!sameShape(shape, inputs[0])) problems.push(`add inputs differ in shape: ${inputs.map(show).join(" vs ")}`);
  }
  return { problems, shape: inputs[0] };
};

const rff: Rule = (node, inputs, params) => {
  const problems: string[] = [];
  if (!expectInputs(node, inputs, 1, problems)) return { problems };
  const { features, n, scale } = node.attrs;
  if (features !== "cossin" && features !== "cosbias") {
    return { problems: [`rff features must be "cossin" or "cosbias", is ${JSON.stringify(features)}`] };
  }
  if (!isPositiveInt(n) || (features === "cossin" && n % 2 !== 0)) {
    return { problems: [`rff n must be a positive${features === "cossin" ? " even" : ""} integer, is ${JSON.stringify(n)}`] };
  }
  if (typeof scale !== "number" || Math.abs(scale - 1 / Math.sqrt(n / 2)) > 1e-12) {
    problems.push(`rff scale must be 1/sqrt(n/2) = ${1 / Math.sqrt(n / 2)}, is ${JSON.stringify(scale)}`);
  }
  const input = inputs[0];
  const inDim = input[input.length - 1];
  if (features === "cossin") {
    if (!expectParamCount(node, params, [1], problems)) return { problems };
    expectParamShape(params[0], [inDim, n / 2], "rff omega", problems);
  } else {
    if (!expectParamCount(node, params, [2], problems)) return { problems };
    expectParamShape(params[0], [inDim, n], "rff omega", problems);
    expectParamShape(params[1], [n], "rff phase", problems);
  }
  params.forEach((p) => expectKind(p, "frozen", problems));
  return { problems, shape: [...input.slice(0, -1), n] };
};

const input: Rule = (node, inputs, params) => {
  const problems: string[] = [];
  expectInputs(node, inputs, 0, problems);
  expectParamCount(node, params, [0], problems);
  return { problems, shape: node.shape };
};

export const OP_RULES: Record<Exclude<IRNode["op"], "implicit">, Rule> = {
  input,
  dense,
  conv2d,
  conv1d,
  batchnorm,
  activation,
  pool,
  flatten,
  dropout,
  identity,
  add,
  rff,
};

export const IR_OPS: readonly IRNode["op"][] = [...Object.keys(OP_RULES), "implicit"] as IRNode["op"][];
