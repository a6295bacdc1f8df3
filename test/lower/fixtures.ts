/**
 * Hand-built checked models for lowering tests: small, with every shape and parameter spelled
 * out the way the checker produces them, so lowering is tested independently of the front end.
 */
import { cellLayout, type CellLayoutArgs } from "../../vocabulary/cells.js";
import { defaultSettings } from "../../vocabulary/settings.js";
import { backwardModes, SOLVERS } from "../../vocabulary/solvers.js";
import type {
  CellFamily,
  CheckedModel,
  DeqSpec,
  LayerInstance,
  Origin,
  ParamSpec,
  Shape,
  Value,
} from "../../compiler/checked-model.js";

export const FILE = "fixtures/model.sim";

export function at(line: number, column = 3): Origin {
  return { file: FILE, line, column };
}

const torch = (fanIn: number) => ({ kind: "torch_default" as const, fanIn });

export function dense(path: string, input: Shape, units: number, bias = true, line = 10): LayerInstance {
  const fanIn = input[input.length - 1];
  const params: ParamSpec[] = [{ name: "weight", shape: [fanIn, units], kind: "trainable", init: torch(fanIn) }];
  if (bias) params.push({ name: "bias", shape: [units], kind: "trainable", init: torch(fanIn) });
  return {
    op: "dense",
    args: { units, bias },
    inputShape: input,
    outputShape: [...input.slice(0, -1), units],
    params,
    path,
    via: [],
    origin: at(line),
  };
}

export function activation(path: string, fn: string, shape: Shape, line = 11, args: Record<string, Value> = {}): LayerInstance {
  return { op: fn, args, inputShape: shape, outputShape: shape, params: [], path, via: [], origin: at(line) };
}

export function conv2d(path: string, input: Shape, channels: number, kernel = 3): LayerInstance {
  const fanIn = kernel * kernel * input[2];
  return {
    op: "conv2d",
    args: { channels, kernel, stride: 1, padding: "same", bias: true },
    inputShape: input,
    outputShape: [input[0], input[1], channels],
    params: [
      { name: "weight", shape: [kernel, kernel, input[2], channels], kind: "trainable", init: torch(fanIn) },
      { name: "bias", shape: [channels], kind: "trainable", init: torch(fanIn) },
    ],
    path,
    via: [],
    origin: at(12),
  };
}

export function flatten(path: string, input: Shape): LayerInstance {
  return { op: "flatten", args: {}, inputShape: input, outputShape: [input.reduce((a, b) => a * b, 1)], params: [], path, via: [], origin: at(13) };
}

export function countOf(params: ParamSpec[], kind: ParamSpec["kind"]): number {
  return params.filter((p) => p.kind === kind).reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
}

function layerParams(layers: LayerInstance[]): ParamSpec[] {
  return layers.flatMap((l) => [...l.params, ...layerParams(l.body ?? []), ...layerParams(l.shortcut ?? [])]);
}

const TRAIN = {
  data: "mnist",
  loss: "cross_entropy" as const,
  optimizer: { call: "adam", args: { lr: 0.001 } },
  schedule: { call: "constant", args: {} },
  batch: 32,
  epochs: 1,
  validation: 0.1,
  seed: 0,
  extra: {},
  origin: at(40),
};

export interface SimFixture {
  input?: Shape;
  basisWidth?: number;
  m?: number;
  r?: number;
  hidden?: number;
  classes?: number;
  embed?: CheckedModel["embed"];
  variant?: CheckedModel["variant"];
  deq?: DeqSpec;
}

/**
 * A single-tier SIM on vectors: ψ = dense(in→m), lift koopman(m, r), ϕ = dense(m→h) relu
 * dense(h→h), g = dense(h→classes). Options switch it to two-tier or RFF-only.
 */
export function simModel(o: SimFixture = {}): CheckedModel {
  const input = o.input ?? [4];
  const variant = o.variant ?? (o.embed ? "two" : "single");
  const m = o.m ?? 6;
  const r = o.r ?? 3;
  const h = o.hidden ?? 5;
  const classes = o.classes ?? 3;
  const lead = input.slice(0, -1);
  const basis = variant === "rff-only" ? [] : [dense("basis.0.dense", input, m, true, 5)];
  const lifted = variant === "two" ? o.embed!.n : variant === "rff-only" ? o.embed!.n : m;
  const surrogate = [
    dense("surrogate.0.dense", [...lead, lifted], h, true, 20),
    activation("surrogate.1.relu", "relu", [...lead, h], 21),
    dense("surrogate.2.dense", [...lead, h], h, true, 22),
  ];
  const head = [dense("head.0.dense", [...lead, h], classes, true, 30)];
  const simParams = [...layerParams(basis), ...layerParams(surrogate), ...layerParams(head)];
  // Expected totals, by the formulas of DESIGN §2 (not by walking the IR).
  const rank = variant === "two" ? o.embed!.r : r;
  const projection = 2 * lifted * rank;
  const rffIn = variant === "two" ? m : input[input.length - 1];
  const frozenSim = !o.embed ? 0 : o.embed.features === "cossin" ? rffIn * (o.embed.n / 2) : rffIn * o.embed.n + o.embed.n;
  const trainableSim = countOf(simParams, "trainable") + projection;
  const trainableDeq = countOf(simParams, "trainable") + lifted * lifted + h * lifted;
  return {
    name: "fixture",
    file: FILE,
    origin: at(1, 1),
    input,
    task: { kind: "classify", classes },
    defaultTarget: "sim",
    variant,
    basis,
    lift: variant === "two" ? undefined : { m: lifted, r, origin: at(15) },
    embed: o.embed,
    surrogate,
    head,
    // The checker gives every derivable model a DEQ spec (the derived cell, default solver).
    deq: o.deq ?? deqSpec(),
    train: TRAIN,
    trainableParams: trainableSim,
    frozenParams: frozenSim,
    targets: { sim: { trainable: trainableSim, frozen: frozenSim }, deq: { trainable: trainableDeq, frozen: frozenSim } },
  };
}

export function deqSpec(family?: CellFamily, args: Record<string, Value> = {}, injectionShape: Shape = [6], solver = "anderson"): DeqSpec {
  // Settings as the checker fills them: every default written out.
  const deq: DeqSpec = {
    solver: { name: solver, settings: defaultSettings(SOLVERS.get(solver)!), origin: at(35) },
    backward: { mode: "implicit", settings: defaultSettings(backwardModes(solver).get("implicit")!), origin: at(36) },
  };
  if (family) {
    const layoutArgs: CellLayoutArgs = {
      kind: family === "conv" || args.kind === "conv" ? "conv" : "dense",
      units: args.units as number | undefined,
      channels: args.channels as number | undefined,
      kernel: args.kernel as number | undefined,
      norm: args.norm as string | undefined,
    };
    const layout = cellLayout(family, layoutArgs, injectionShape);
    deq.cell = { family, args, injectionShape, stateShape: layout.stateShape, params: layout.params, origin: at(34) };
  }
  return deq;
}

/** A DEQ-only model: raw input → explicit cell → head (no SIM parts). */
export function cellModel(family: CellFamily, args: Record<string, Value>, input: Shape = [4], solver = "anderson"): CheckedModel {
  const deq = deqSpec(family, args, input, solver);
  const state = deq.cell!.stateShape;
  const head = state.length > 1 ? [flatten("head.0.flatten", state), dense("head.1.dense", [state.reduce((a, b) => a * b, 1)], 3, true, 30)] : [dense("head.0.dense", state, 3, true, 30)];
  const trainable = countOf([...deq.cell!.params, ...layerParams(head)], "trainable");
  return {
    name: "cellfixture",
    file: FILE,
    origin: at(1, 1),
    input,
    task: { kind: "classify", classes: 3 },
    defaultTarget: "deq",
    variant: "none",
    basis: [],
    surrogate: [],
    head,
    deq,
    train: TRAIN,
    trainableParams: trainable,
    frozenParams: 0,
    targets: { deq: { trainable, frozen: 0 } },
  };
}
