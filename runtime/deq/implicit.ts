/**
 * Runs one implicit (DEQ) node: solves z* = f(z*, x) and returns it in a form tfjs can
 * differentiate with respect to the node's inputs and the cell's parameters.
 *
 * - The forward solve is never taped (it is a constant to autodiff).
 * - In training, the output is produced by a custom op whose inputs are the node's inputs AND
 *   the trainable parameter variables, so gradients reach both; its value and gradient follow
 *   the backward mode (implicit: f(z*) with the implicit-function gradient; one_step: f(z*)
 *   through one application; phantom: k damped steps from z*; unrolled: `steps` iterations
 *   from 0, through all of them).
 * - In evaluation the output is the solver's z* (capped by `eval_max_iter`).
 * Solver failures raise `SolverError`, bad requests `DeqConfigError`, both naming `label`.
 */
import * as tf from "../tf.js";
import type { FailureDetails } from "../../core/failure.js";
import type { ImplicitAttrs } from "../../ir/types.js";
import { solverCellProblem } from "../../vocabulary/solvers.js";
import { backwardMode } from "./backward/index.js";
import { unrolledIterate } from "./backward/unrolled.js";
import { buildCell, type BuiltCell, type CellBody } from "./cells/index.js";
import { ImplicitSession } from "./session.js";
import type { CellDefinition } from "./cells/types.js";
import { DeqConfigError, SolverError } from "./errors.js";
import { ResidualMonitor } from "./monitor.js";
import { readBackwardSpec, readSolverSpec } from "./settings.js";
import { runSolver } from "./solvers/index.js";
import { isolatedTape, untaped, withoutTape } from "./tape.js";
import type { BackwardSpec, FixedPointMap, SolverSpec, SolverStats } from "./types.js";

export interface ImplicitRequest {
  /** Names the model/node in every error. */
  label: string;
  attrs: ImplicitAttrs;
  /** Batch-first. Explicit cells: exactly one, the injection (ψ(x) or the raw input). */
  inputs: tf.Tensor[];
  /**
   * Explicit cells: the cell's parameters by local name (vocabulary/cells.ts). Derived cells: every
   * variable the body reads (any keys) — a trainable variable the body reads but that is not
   * listed here is reported as an error rather than left without a gradient.
   */
  params: Record<string, tf.Variable>;
  /** f for derived cells, evaluated by the executor. */
  body?: CellBody;
  training: boolean;
  /** ℓ∞ cells with `lipschitz_reg`: the head's weight `[n, out]`, for the ‖C‖∞ factor of the bound. */
  readout?: tf.Tensor;
  /** What the node keeps between calls (owned by the executor); absent: nothing is kept. */
  session?: ImplicitSession;
  /** The spec's deq block, when the IR records it (for errors). */
  loc?: { file: string; line: number; column: number };
  /** Receives the backward solve's statistics (implicit mode) when gradients are computed. */
  onBackwardStats?: (stats: SolverStats) => void;
}

export interface ImplicitResult {
  /** Differentiable with respect to the inputs and the params (training); z* in evaluation. */
  output: tf.Tensor;
  stats: SolverStats;
  /** Training only, when the cell asks for one: jac_reg or lipschitz_reg penalty (add it to the loss). */
  regularizer?: tf.Scalar;
}

const show = (s: readonly number[]) => `[${s.join(", ")}]`;

function checkInputs(label: string, attrs: ImplicitAttrs, inputs: tf.Tensor[]): number {
  if (inputs.length === 0) throw new DeqConfigError(label, "an implicit node needs at least one input (the injection)");
  if (attrs.cell !== "derived" && inputs.length !== 1) {
    throw new DeqConfigError(label, `cell ${attrs.cell} takes exactly one input (the injection); got ${inputs.length}`);
  }
  const batch = inputs[0].shape[0];
  inputs.forEach((x, i) => {
    if (x.rank < 1 || x.shape[0] !== batch) {
      throw new DeqConfigError(label, `input ${i} has shape ${show(x.shape)}; every input must be batch-first with batch ${batch}`);
    }
    if (x.dtype !== "float32") throw new DeqConfigError(label, `input ${i} has dtype ${x.dtype}; expected float32`);
  });
  return batch;
}

/** The vocabulary's solver/cell compatibility rule, applied to the forward and the backward solver. */
function checkSolversFitCell(label: string, solver: SolverSpec, backward: BackwardSpec, family: ImplicitAttrs["cell"], details: FailureDetails): void {
  const alpha = solver.name === "averaged" ? solver.settings.alpha : undefined;
  const forward = solverCellProblem(solver.name, family, alpha);
  if (forward) throw new DeqConfigError(label, forward.message, { ...details, hint: forward.hint });
  if (backward.mode !== "implicit") return;
  const backwardProblem = solverCellProblem(backward.solver, family);
  if (backwardProblem) {
    throw new DeqConfigError(label, `backward implicit(solver: ${backward.solver}): ${backwardProblem.message}`, { ...details, hint: backwardProblem.hint });
  }
}

/** f with a shape check and raw tfjs failures turned into errors that name the model. */
function guarded(label: string, f: FixedPointMap): FixedPointMap {
  return (z) => {
    let out: tf.Tensor;
    try {
      out = f(z);
    } catch (e) {
      if (e instanceof SolverError || e instanceof DeqConfigError) throw e;
      throw new DeqConfigError(label, `evaluating the cell on a state of shape ${show(z.shape)} failed: ${(e as Error).message}`);
    }
    if (out.shape.length !== z.shape.length || out.shape.some((d, i) => d !== z.shape[i])) {
      const shape = out.shape;
      out.dispose();
      throw new DeqConfigError(label, `the cell maps a state of shape ${show(z.shape)} to shape ${show(shape)}; f must keep the state's shape`);
    }
    return out;
  };
}

function checkBodyVariables(label: string, cell: CellDefinition, inputs: tf.Tensor[], z: tf.Tensor, params: Record<string, tf.Variable>, session: ImplicitSession): void {
  if (session.bodyChecked) return;
  const listed = new Set(Object.values(params));
  const registered = Object.values(tf.engine().state.registeredVariables).filter((v) => v.trainable && !listed.has(v));
  if (registered.length > 0) {
    const reached = isolatedTape(() =>
      tf.tidy(() => {
        const { value, grads } = tf.engine().gradients(() => cell.bind(inputs).f(z).sum(), registered, undefined, true);
        value.dispose();
        return registered.filter((_, i) => grads[i] !== undefined).map((v) => v.name);
      }),
    );
    if (reached.length > 0) {
      throw new DeqConfigError(
        label,
        `the cell body reads trainable variable(s) ${reached.join(", ")} that are not in params; they would get no gradient — pass them in params`,
      );
    }
  }
  session.bodyChecked = true;
}

/** The node's cell: explicit cells are built and checked once per session and injection shape; derived cells read the call's body. */
function sessionCell(req: ImplicitRequest, session: ImplicitSession): BuiltCell {
  const injection = req.inputs[0].shape.slice(1);
  if (req.attrs.cell === "derived") return buildCell(req.label, req.attrs, req.params, injection, req.body);
  const shape = injection.join(",");
  if (session.cell?.shape !== shape) {
    session.cell = { shape, built: buildCell(req.label, req.attrs, req.params, injection, undefined, req.session?.resolvents) };
  }
  return session.cell.built;
}

export function runImplicit(req: ImplicitRequest): ImplicitResult {
  const { label, attrs, inputs, training } = req;
  const details: FailureDetails = req.loc ? { file: req.loc.file, loc: req.loc } : {};
  const session = req.session ?? new ImplicitSession();
  const batch = checkInputs(label, attrs, inputs);
  if (!session.specs) {
    const forward = readSolverSpec(label, attrs.solver, details.loc);
    const backward = readBackwardSpec(label, attrs.backward, attrs.solver.name, details.loc);
    checkSolversFitCell(label, forward, backward, attrs.cell, details);
    session.specs = { forward, backward };
  }
  const { forward, backward } = session.specs;
  const { cell, stateShape } = sessionCell(req, session);
  withoutTape(() => cell.prepare(training));
  const unrolledTraining = training && backward.mode === "unrolled";

  let stats: SolverStats | undefined;
  const zStar = untaped(() => {
    const bound = cell.bind(inputs);
    const f = guarded(label, bound.f);
    const z0 = tf.zeros([batch, ...stateShape]);
    if (unrolledTraining) {
      const zT = unrolledIterate({ cell: { ...cell, bind: () => ({ ...bound, f }) }, inputs, zStar: z0 }, backward.steps);
      const mon = new ResidualMonitor(forward.settings, { label, solverName: "unrolled", training });
      const verdict = tf.tidy(() => mon.observe(zT, f(zT)));
      if (verdict === "nonfinite") throw mon.failure(mon.describe(verdict));
      const finished = mon.finish();
      finished.z.dispose();
      stats = { ...finished.stats, steps: backward.steps };
      return zT;
    }
    let result: ReturnType<typeof runSolver>;
    try {
      result = runSolver(forward, f, z0, { label, solverName: forward.name, training, structure: bound.structure });
    } catch (error) {
      throw error instanceof SolverError ? error.locate(details) : error;
    }
    stats = result.stats;
    return result.z;
  });
  if (!training) return { output: zStar, stats: stats! };

  if (attrs.cell === "derived") checkBodyVariables(label, cell, inputs, zStar, req.params, session);
  // Each trainable variable once (a variable listed under two keys must not get its gradient twice).
  const variables = [...new Set(Object.keys(req.params).sort().map((k) => req.params[k]))].filter((v) => v.trainable);
  const mode = backwardMode(backward);
  const job = { label, cell, variables, forward, onStats: req.onBackwardStats };
  const count = inputs.length;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const received = args.slice(0, count) as tf.Tensor[];
    const value = unrolledTraining ? zStar.clone() : mode.value({ ...job, inputs: received, zStar });
    save([zStar, ...received]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => mode.grads({ ...job, zStar: saved[0], inputs: saved.slice(1, 1 + count) }, dy)),
    };
  });
  const output = op(...inputs, ...variables);
  const regularizer = cell.regularizer?.(inputs, zStar, req.readout);
  zStar.dispose();
  const result: ImplicitResult = { output, stats: stats! };
  if (regularizer) result.regularizer = regularizer;
  return result;
}
