/**
 * The IR verifier: states which modules are legal. Lowering runs it on everything it makes
 * (a problem there is a compiler bug) and `parseIR` runs it on everything it reads.
 *
 * Checks: ids unique across the module (bodies included); every input defined earlier in the
 * same graph; every parameter declared, used, and shaped as its op requires; every node's
 * shape equal to what its op computes from its inputs; implicit nodes well formed (derived
 * cells carry a body `z, …` → state; explicit cells carry exactly the `vocabulary/cells.ts`
 * layout); cells, solvers, backward modes and the train section named and set as the vocabulary
 * (`vocabulary/`) allows, the solver fitting the cell; initialisers well formed; totals equal
 * the parameters' kinds.
 */
import { CELLS as CELL_TABLE, PCDEQ_PAIRS } from "../vocabulary/cell-families.js";
import { cellLayout } from "../vocabulary/cells.js";
import { resolveSettings, type VocabularyEntry } from "../vocabulary/settings.js";
import { backwardModes, solverCellProblem, SOLVERS } from "../vocabulary/solvers.js";
import { resolveTrainSection } from "./train-section.js";
import type { Initializer, Shape } from "../core/values.js";
import { cellLayoutArgs, type ExplicitCellFamily } from "./cell-args.js";
import { OP_RULES, sameShape, shapeSize, showShape } from "./op-rules.js";
import { IR_VERSION, type AttrValue, type IRGraph, type IRModule, type IRNode, type IRParam } from "./types.js";

const CELLS = ["derived", "dense", "conv", "monotone", "pcdeq", "linf"] as const;
const VARIANTS = ["single", "two", "rff-only"];

interface Context {
  problems: string[];
  params: Map<string, IRParam>;
  usedParams: Set<string>;
  ids: Set<string>;
  implicitCount: number;
}

function isShape(value: unknown): value is Shape {
  return Array.isArray(value) && value.every((d) => typeof d === "number" && Number.isInteger(d) && d > 0);
}

const isRecord = (value: unknown): value is Record<string, AttrValue> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function verifyIR(m: IRModule): string[] {
  const problems: string[] = [];
  if (m.version !== IR_VERSION) problems.push(`version is ${m.version}, this simc reads version ${IR_VERSION}`);
  if (m.target !== "sim" && m.target !== "deq") problems.push(`target must be "sim" or "deq", is ${JSON.stringify(m.target)}`);
  if (m.target === "sim" && !VARIANTS.includes(m.variant ?? "")) {
    problems.push(`a sim module needs variant ${VARIANTS.join(" | ")}, has ${JSON.stringify(m.variant)}`);
  }
  if (!isShape(m.input.shape)) problems.push(`input shape ${JSON.stringify(m.input.shape)} is not a list of positive integers`);

  const params = new Map<string, IRParam>();
  for (const p of m.params) {
    if (params.has(p.name)) problems.push(`parameter ${p.name} is declared twice`);
    params.set(p.name, p);
    problems.push(...verifyParam(p));
  }

  const ctx: Context = { problems, params, usedParams: new Set(), ids: new Set(), implicitCount: 0 };
  const outputShape = verifyGraph(m.graph, [m.input.shape], "graph", ctx);

  for (const p of m.params) {
    if (!ctx.usedParams.has(p.name)) problems.push(`parameter ${p.name} is declared but no node uses it`);
  }
  const total = (kind: IRParam["kind"]) => m.params.filter((p) => p.kind === kind).reduce((s, p) => s + shapeSize(p.shape), 0);
  if (m.trainableParams !== total("trainable")) {
    problems.push(`trainableParams is ${m.trainableParams}, the trainable parameters hold ${total("trainable")}`);
  }
  if (m.frozenParams !== total("frozen")) {
    problems.push(`frozenParams is ${m.frozenParams}, the frozen parameters hold ${total("frozen")}`);
  }

  const width = m.task.kind === "classify" ? m.task.classes : m.task.outputs;
  if (outputShape && outputShape[outputShape.length - 1] !== width) {
    problems.push(`the output ${showShape(outputShape)} must end in ${width} (${m.task.kind === "classify" ? "classes" : "outputs"})`);
  }
  if (m.target === "sim" && ctx.implicitCount > 0) problems.push("a sim module must not contain implicit nodes");
  if (m.target === "deq") {
    if (ctx.implicitCount !== 1) problems.push(`a deq module needs exactly one implicit node, has ${ctx.implicitCount}`);
    if (!m.certificate) problems.push("a deq module needs a well-posedness certificate");
  }
  if (m.certificate && (typeof m.certificate.guaranteed !== "boolean" || !m.certificate.statement)) {
    problems.push("the certificate needs guaranteed (boolean) and a statement");
  }
  if (m.train !== undefined) {
    if (!isRecord(m.train)) problems.push("train must be an object");
    else problems.push(...resolveTrainSection(m.train).problems.map((p) => `${p.message}; ${p.hint}`));
  }
  return problems;
}

/** Problems of one configured entry (`name` in `table`, its settings) as the vocabulary sees them. */
function entryProblems(at: string, what: string, name: string, settings: Record<string, AttrValue>, table: ReadonlyMap<string, VocabularyEntry>): string[] {
  const entry = table.get(name);
  if (!entry) return [`${at}: unknown ${what} ${JSON.stringify(name)} (valid: ${[...table.keys()].join(", ")})`];
  return resolveSettings(entry, settings, `${what} ${name}`).problems.map((p) => `${at}: ${p.message}`);
}

/** The implicit node's cell, solver and backward mode against the vocabulary, and the solver against the cell. */
function verifyVocabulary(node: IRNode, at: string, problems: string[]): void {
  const { cell, cellArgs, solver, backward } = node.attrs as Record<string, AttrValue>;
  if (!isRecord(solver) || !isRecord(backward) || typeof cell !== "string") return;
  const solverName = String(solver.name);
  problems.push(...entryProblems(at, "solver", solverName, solver.settings as Record<string, AttrValue>, SOLVERS));
  problems.push(...entryProblems(at, "backward mode", String(backward.mode), backward.settings as Record<string, AttrValue>, backwardModes(solverName)));
  const family = cell as Parameters<typeof solverCellProblem>[1];
  if (cell !== "derived" && isRecord(cellArgs)) {
    problems.push(...entryProblems(at, "cell", cell, cellArgs, CELL_TABLE));
    const { values } = resolveSettings(CELL_TABLE.get(cell)!, cellArgs, cell);
    if (cell === "pcdeq" && !PCDEQ_PAIRS[String(values.injection)]?.includes(String(values.activation))) {
      problems.push(`${at}: pcdeq cannot pair injection ${String(values.injection)} with activation ${String(values.activation)}`);
    }
  }
  const settings = solver.settings as Record<string, AttrValue>;
  const alpha = solverName === "averaged" ? ((settings?.alpha ?? "auto") as string | number) : undefined;
  const forward = SOLVERS.has(solverName) ? solverCellProblem(solverName, family, alpha) : undefined;
  if (forward) problems.push(`${at}: ${forward.message}`);
  const backwardSolver = backward.mode === "implicit" && isRecord(backward.settings) ? backward.settings.solver : undefined;
  const backwardProblem = typeof backwardSolver === "string" ? solverCellProblem(backwardSolver, family) : undefined;
  if (backwardProblem) problems.push(`${at}: the implicit backward's ${backwardProblem.message}`);
}

function verifyParam(p: IRParam): string[] {
  const problems: string[] = [];
  const where = `parameter ${p.name}`;
  if (!p.name) problems.push("a parameter has an empty name");
  if (!isShape(p.shape)) problems.push(`${where}: shape ${JSON.stringify(p.shape)} is not a list of positive integers`);
  if (!["trainable", "frozen", "buffer"].includes(p.kind)) problems.push(`${where}: kind ${JSON.stringify(p.kind)} is unknown`);
  if (!Number.isInteger(p.seed) || p.seed < 0 || p.seed > 0xffffffff) problems.push(`${where}: seed must be an unsigned 32-bit integer`);
  if (p.constraint !== undefined && p.constraint !== "nonnegative") problems.push(`${where}: constraint ${JSON.stringify(p.constraint)} is unknown`);
  const initProblem = checkInitializer(p.init);
  if (initProblem) problems.push(`${where}: ${initProblem}`);
  return problems;
}

function checkInitializer(init: Initializer): string | undefined {
  const finite = (...values: unknown[]) => values.every((v) => typeof v === "number" && Number.isFinite(v));
  switch (init.kind) {
    case "zeros":
    case "ones":
      return undefined;
    case "constant":
      return finite(init.value) ? undefined : "constant initialiser needs a finite value";
    case "normal":
      return finite(init.mean, init.std) && init.std >= 0 ? undefined : "normal initialiser needs a finite mean and std ≥ 0";
    case "uniform":
      return finite(init.low, init.high) && init.low <= init.high ? undefined : "uniform initialiser needs finite low ≤ high";
    case "cauchy":
      return finite(init.scale) && init.scale > 0 ? undefined : "cauchy initialiser needs a positive scale";
    case "torch_default":
      return finite(init.fanIn) && init.fanIn > 0 ? undefined : "torch_default initialiser needs a positive fanIn";
    case "glorot_uniform":
      return finite(init.fanIn, init.fanOut) && init.fanIn + init.fanOut > 0 ? undefined : "glorot_uniform needs positive fans";
    case "identity":
      return finite(init.std) && init.std >= 0 ? undefined : "identity initialiser needs std ≥ 0";
    default:
      return `initialiser kind ${JSON.stringify((init as { kind: unknown }).kind)} is unknown`;
  }
}

/** Checks one graph whose inputs have the given shapes; returns the shape of its (single) output. */
function verifyGraph(graph: IRGraph, inputShapes: Shape[], where: string, ctx: Context): Shape | undefined {
  const { problems } = ctx;
  const shapes = new Map<string, Shape>();
  if (graph.inputs.length !== inputShapes.length) {
    problems.push(`${where}: has ${graph.inputs.length} inputs, expected ${inputShapes.length}`);
  }
  const expectedInputShape = new Map(graph.inputs.map((id, i) => [id, inputShapes[i]]));
  for (const node of graph.nodes) {
    const at = `${where}: node ${node.id} (${node.op})`;
    if (ctx.ids.has(node.id)) problems.push(`${at}: id is used twice`);
    ctx.ids.add(node.id);
    const inputs: Shape[] = [];
    let inputsKnown = true;
    for (const id of node.inputs) {
      const shape = shapes.get(id);
      if (!shape) {
        problems.push(`${at}: input ${id} is not defined before it`);
        inputsKnown = false;
      } else inputs.push(shape);
    }
    const params: IRParam[] = [];
    for (const name of node.params) {
      const p = ctx.params.get(name);
      if (!p) problems.push(`${at}: parameter ${name} is not declared`);
      else params.push(p);
      ctx.usedParams.add(name);
    }
    if (!isShape(node.shape)) {
      problems.push(`${at}: shape ${JSON.stringify(node.shape)} is not a list of positive integers`);
      continue;
    }
    shapes.set(node.id, node.shape);
    if (node.op !== "implicit" && node.body) problems.push(`${at}: only implicit nodes have a body`);
    if (node.op === "input") {
      const expected = expectedInputShape.get(node.id);
      if (!expected) problems.push(`${at}: ${node.id} is not one of the graph's inputs`);
      else if (!sameShape(expected, node.shape)) problems.push(`${at}: shape ${showShape(node.shape)}, expected ${showShape(expected)}`);
      expectedInputShape.delete(node.id);
    }
    if (!inputsKnown || params.length !== node.params.length) continue;
    if (node.op === "implicit") {
      ctx.implicitCount++;
      verifyImplicit(node, inputs, params, at, ctx);
      continue;
    }
    const rule = OP_RULES[node.op];
    if (!rule) {
      problems.push(`${at}: unknown op`);
      continue;
    }
    const check = rule(node, inputs, params);
    problems.push(...check.problems.map((p) => `${at}: ${p}`));
    if (check.shape && !sameShape(check.shape, node.shape)) {
      problems.push(`${at}: shape is ${showShape(node.shape)} but the op computes ${showShape(check.shape)}`);
    }
  }
  for (const id of expectedInputShape.keys()) problems.push(`${where}: input ${id} has no input node`);
  if (graph.outputs.length !== 1) problems.push(`${where}: must have exactly one output, has ${graph.outputs.length}`);
  const output = graph.outputs[0];
  if (output !== undefined && !shapes.has(output)) problems.push(`${where}: output ${output} is not a node`);
  return output === undefined ? undefined : shapes.get(output);
}

function verifyImplicit(node: IRNode, inputs: Shape[], params: IRParam[], at: string, ctx: Context): void {
  const { problems } = ctx;
  const { cell, cellArgs, solver, backward, stateShape } = node.attrs;
  if (typeof cell !== "string" || !(CELLS as readonly string[]).includes(cell)) {
    problems.push(`${at}: attrs.cell must be one of ${CELLS.join(", ")}, is ${JSON.stringify(cell)}`);
    return;
  }
  if (!isRecord(cellArgs)) problems.push(`${at}: attrs.cellArgs must be an object`);
  if (!isRecord(solver) || typeof solver.name !== "string" || !isRecord(solver.settings)) {
    problems.push(`${at}: attrs.solver must be { name, settings }`);
  }
  if (!isRecord(backward) || typeof backward.mode !== "string" || !isRecord(backward.settings)) {
    problems.push(`${at}: attrs.backward must be { mode, settings }`);
  }
  if (!isShape(stateShape) || !sameShape(stateShape, node.shape)) {
    problems.push(`${at}: attrs.stateShape ${JSON.stringify(stateShape)} must equal the node's shape ${showShape(node.shape)}`);
  }
  if (inputs.length < 1) problems.push(`${at}: an implicit node reads at least one input (the injection)`);
  verifyVocabulary(node, at, problems);
  if (new Set(node.params).size !== node.params.length) problems.push(`${at}: lists a parameter twice`);

  if (cell === "derived") {
    if (!node.body) {
      problems.push(`${at}: a derived cell needs a body computing f(z, …)`);
      return;
    }
    if (node.body.inputs[0] !== "z") problems.push(`${at}: the body's first input must be z, is ${JSON.stringify(node.body.inputs[0])}`);
    const bodyUses = new Set<string>();
    const bodyCtx: Context = { ...ctx, usedParams: bodyUses };
    const out = verifyGraph(node.body, [node.shape, ...inputs], `${at} body`, bodyCtx);
    ctx.implicitCount = bodyCtx.implicitCount;
    for (const name of bodyUses) ctx.usedParams.add(name);
    if (out && !sameShape(out, node.shape)) problems.push(`${at}: the body computes ${showShape(out)}, the state is ${showShape(node.shape)}`);
    const listed = new Set(node.params);
    for (const name of bodyUses) if (!listed.has(name)) problems.push(`${at}: the body uses ${name}, which the node does not list`);
    for (const name of listed) if (!bodyUses.has(name)) problems.push(`${at}: lists ${name}, which its body does not use`);
    return;
  }

  if (node.body) problems.push(`${at}: an explicit ${cell} cell has no body (its f is fixed by the family)`);
  if (!isRecord(cellArgs) || inputs.length !== 1) {
    if (inputs.length !== 1) problems.push(`${at}: an explicit cell reads exactly one input, got ${inputs.length}`);
    return;
  }
  const family = cell as ExplicitCellFamily;
  const layout = cellLayout(family, cellLayoutArgs(family, cellArgs), inputs[0]);
  if (!sameShape(layout.stateShape, node.shape)) {
    problems.push(`${at}: the ${cell} cell's state is ${showShape(layout.stateShape)}, the node says ${showShape(node.shape)}`);
  }
  const expectedNames = layout.params.map((p) => `${node.id}.${p.name}`);
  if (expectedNames.join(",") !== node.params.join(",")) {
    problems.push(`${at}: params must be [${expectedNames.join(", ")}], are [${node.params.join(", ")}]`);
    return;
  }
  layout.params.forEach((spec, i) => {
    const p = params[i];
    if (!sameShape(spec.shape, p.shape)) problems.push(`${at}: ${p.name} has shape ${showShape(p.shape)}, the cell needs ${showShape(spec.shape)}`);
    if (spec.kind !== p.kind) problems.push(`${at}: ${p.name} must be ${spec.kind}, is ${p.kind}`);
    const needsNonnegative = cell === "pcdeq" && spec.name === "W";
    if (needsNonnegative && p.constraint !== "nonnegative") problems.push(`${at}: ${p.name} needs constraint "nonnegative"`);
    if (!needsNonnegative && p.constraint !== undefined) problems.push(`${at}: ${p.name} must have no constraint`);
  });
}
