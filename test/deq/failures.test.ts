import * as tf from "../../runtime/tf.js";
import { beforeAll, describe, expect, it } from "vitest";
import { DeqConfigError, SolverError } from "../../runtime/deq/errors.js";
import { runImplicit } from "../../runtime/deq/implicit.js";
import { runSolver } from "../../runtime/deq/solvers/index.js";
import { solverSpec } from "../../runtime/deq/settings.js";
import type { FixedPointMap } from "../../runtime/deq/types.js";
import { cellVariables, disposeAll, implicitAttrs, normal, useCpu } from "./helpers.js";

beforeAll(useCpu);

const ctx = (solverName: string) => ({ label: "specs/toy.sim:3:1", solverName, training: true });

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("divergence and NaN are detected, never returned as a state", () => {
  it("picard on the expanding map z ↦ 2z + 1 raises a SolverError naming the model, solver and step", () => {
    const f: FixedPointMap = (z) => tf.tidy(() => z.mul(2).add(1));
    const err = caught(() => runSolver(solverSpec("picard", { max_iter: 100 }), f, tf.zeros([2, 3]), ctx("picard")));
    expect(err).toBeInstanceOf(SolverError);
    const e = err as SolverError;
    expect(e.solver).toBe("picard");
    expect(e.label).toBe("specs/toy.sim:3:1");
    // f(z) − z = 1, 2, 4, … per entry: five consecutive increases after step 1; at step 6 it is 32 in each of 3 entries.
    expect(e.step).toBe(6);
    expect(e.message).toContain('deq "specs/toy.sim:3:1": picard failed at step 6');
    expect(e.message).toContain(`abs ${(32 * Math.sqrt(3)).toExponential(3)}`);
  });

  it("patience sets how many growing steps are tolerated", () => {
    const f: FixedPointMap = (z) => tf.tidy(() => z.mul(2).add(1));
    const e = caught(() => runSolver(solverSpec("picard", { max_iter: 100, patience: 2 }), f, tf.zeros([1, 2]), ctx("picard"))) as SolverError;
    expect(e.step).toBe(3);
  });

  it("a map with no fixed point makes anderson fall back and then fail, saying both", () => {
    const f: FixedPointMap = (z) => tf.tidy(() => z.square().add(1));
    const e = caught(() => runSolver(solverSpec("anderson", { max_iter: 100 }), f, tf.zeros([2, 2]), ctx("anderson")));
    expect(e).toBeInstanceOf(SolverError);
    expect(e.message).toMatch(/anderson failed at step \d+ .* after falling back from anderson/);
  });

  it("NaN in f(z) is reported at the step it appears", () => {
    const f: FixedPointMap = (z) => tf.tidy(() => z.add(1).log().mul(tf.scalar(-1)).sqrt().add(z));
    const e = caught(() => runSolver(solverSpec("picard"), f, tf.fill([1, 3], 2), ctx("picard"))) as SolverError;
    expect(e.step).toBe(1);
    expect(e.message).toContain("NaN or Inf");
  });

  it("a backward solve that diverges raises a SolverError naming the backward solver", () => {
    // f(z) = W z + U x + b with W = 1.5 I: a linear system anderson solves in the forward pass,
    // while u = Wᵀu + g diverges under picard.
    const { params, stateShape } = cellVariables("dense", { kind: "dense", units: 3 }, [2], 3);
    params.W.assign(tf.eye(3).mul(1.5));
    const attrs = implicitAttrs("dense", { units: 3, activation: "identity" }, stateShape, "anderson", { tol: 1e-5 }, "implicit", { solver: "picard" });
    const x = normal([2, 2], 4);
    const forward = runImplicit({ label: "lin", attrs, inputs: [x], params, training: false });
    expect(forward.stats.converged.every(Boolean)).toBe(true);
    forward.output.dispose();
    const e = caught(() => tf.variableGrads(() => runImplicit({ label: "lin", attrs, inputs: [x], params, training: true }).output.sum() as tf.Scalar));
    expect(e).toBeInstanceOf(SolverError);
    expect(e.message).toMatch(/^deq "lin": implicit backward \(picard\) failed at step \d+/);
    disposeAll(params);
  });
});

describe("bad requests are refused up front with the model's label", () => {
  const { params, stateShape } = cellVariables("dense", { kind: "dense", units: 4 }, [3], 9);
  const x = tf.zeros([2, 3]);
  const run = (over: Partial<Parameters<typeof runImplicit>[0]>) => () =>
    runImplicit({ label: "m", attrs: implicitAttrs("dense", { units: 4 }, stateShape, "anderson"), inputs: [x], params, training: false, ...over });

  it("unknown solver settings list the valid ones", () => {
    expect(run({ attrs: implicitAttrs("dense", { units: 4 }, stateShape, "anderson", { mem: 3 }) })).toThrow(
      'deq "m": solver anderson has no setting "mem" (valid settings: memory, lam, beta, tol, max_iter, eval_max_iter, stop, patience)',
    );
    expect(run({ attrs: implicitAttrs("dense", { units: 4 }, stateShape, "anderson", {}, "phantom", { step: 3 }) })).toThrow(
      'backward phantom has no setting "step" (valid settings: steps, damping)',
    );
    expect(run({ attrs: implicitAttrs("dense", { units: 4, dropout: 0.1 }, stateShape, "anderson") })).toThrow(/cell dense has no setting "dropout"/);
  });

  it("unknown names and out-of-range values", () => {
    expect(run({ attrs: implicitAttrs("dense", { units: 4 }, stateShape, "newton") })).toThrow(/unknown solver "newton" \(valid solvers: picard, anderson/);
    expect(run({ attrs: implicitAttrs("dense", { units: 4 }, stateShape, "anderson", {}, "adjoint") })).toThrow(/unknown backward mode "adjoint"/);
    expect(run({ attrs: implicitAttrs("dense", { units: 4 }, stateShape, "picard", { damping: 1.5 }) })).toThrow(/"damping" must be in \(0, 1\], got 1.5/);
    expect(run({ attrs: implicitAttrs("dense", { units: 4 }, stateShape, "picard", { stop: "relative" }) })).toThrow(/"stop" must be rel or abs/);
    expect(run({ attrs: implicitAttrs("dense", { units: 4, activation: "swish" }, stateShape, "picard") })).toThrow(/"activation" must be one of relu, tanh/);
  });

  it("solvers that need structure refuse cells without it", () => {
    expect(run({ attrs: implicitAttrs("dense", { units: 4 }, stateShape, "peaceman_rachford") })).toThrow(
      /peaceman_rachford splits f into a monotone linear part and relu, so it needs a monotone cell, not a dense cell/,
    );
    expect(run({ attrs: implicitAttrs("dense", { units: 4 }, stateShape, "averaged") })).toThrow(/alpha: auto is computed from an ℓ∞ cell's matrix A, but this model has a dense cell/);
    expect(run({ attrs: implicitAttrs("dense", { units: 4 }, stateShape, "anderson", {}, "implicit", { solver: "peaceman_rachford" }) })).toThrow(
      /backward implicit\(solver: peaceman_rachford\): peaceman_rachford splits f into a monotone linear part and relu, so it needs a monotone cell, not a dense cell/,
    );
    expect(run({ attrs: implicitAttrs("dense", { units: 4 }, stateShape, "anderson", {}, "implicit", { solver: "peaceman_rachford" }) })).toThrow(
      /backward implicit\(solver: peaceman_rachford\): peaceman_rachford splits f into a monotone linear part and relu, so it needs a monotone cell, not a dense cell/,
    );
  });

  it("missing, misshapen or extra parameters are named", () => {
    const { W, ...withoutW } = params;
    expect(run({ params: withoutW })).toThrow(/cell dense needs parameter "W" of shape \[4, 4\]/);
    void W;
    expect(() =>
      runImplicit({ label: "m", attrs: implicitAttrs("dense", { units: 4 }, stateShape, "anderson"), inputs: [tf.zeros([2, 5])], params, training: false }),
    ).toThrow(/parameter "U.weight" has shape \[3, 4\] but an injection of shape \[5\] needs \[5, 4\]/);
    const extra = tf.variable(tf.zeros([2]), true, "deqtest_extra");
    expect(run({ params: { ...params, C: extra } })).toThrow(/does not use parameter\(s\) C/);
    extra.dispose();
  });

  it("inputs must be batch-first, one for explicit cells", () => {
    expect(run({ inputs: [x, x] })).toThrow(/cell dense takes exactly one input/);
    expect(run({ inputs: [] })).toThrow(/needs at least one input/);
  });

  it("a derived body that changes the state's shape, throws, or hides a variable is caught", () => {
    const attrs = implicitAttrs("derived", {}, [4], "picard");
    const inputs = [tf.ones([2, 4])];
    expect(() => runImplicit({ label: "d", attrs, inputs, params: {}, body: (z) => z.sum(1, true), training: false })).toThrow(
      'deq "d": the cell maps a state of shape [2, 4] to shape [2, 1]; f must keep the state\'s shape',
    );
    expect(() =>
      runImplicit({ label: "d", attrs, inputs, params: {}, body: (z) => z.matMul(tf.ones([3, 4])), training: false }),
    ).toThrow(/deq "d": evaluating the cell on a state of shape \[2, 4\] failed: /);
    const hidden = tf.variable(tf.eye(4).mul(0.1), true, "deqtest_hidden_K");
    const listed = tf.variable(tf.ones([4]), true, "deqtest_listed_b");
    const body = (z: tf.Tensor, i: tf.Tensor[]) => tf.tanh(z.matMul(hidden).add(i[0]).add(listed));
    expect(() =>
      tf.variableGrads(() => runImplicit({ label: "d-hidden", attrs, inputs, params: { b: listed }, body, training: true }).output.sum() as tf.Scalar),
    ).toThrow(/reads trainable variable\(s\) deqtest_hidden_K that are not in params/);
    tf.dispose([hidden, listed, ...inputs]);
  });

  it("pcdeq pairings and the ℓ∞ margin are enforced", () => {
    const pc = cellVariables("pcdeq", { kind: "dense", units: 4 }, [3], 2);
    expect(() =>
      runImplicit({ label: "pc", attrs: implicitAttrs("pcdeq", { kind: "dense", units: 4, injection: "relu", activation: "tanh" }, pc.stateShape, "picard"), inputs: [x], params: pc.params, training: false }),
    ).toThrow(/pairs injection softplus with tanh, softsign or relu6 \(pcDEQ-1\) and relu with sigmoid \(pcDEQ-2\); got injection relu with activation tanh/);
    const lf = cellVariables("linf", { kind: "dense", units: 4 }, [3], 2);
    expect(() =>
      runImplicit({ label: "lf", attrs: implicitAttrs("linf", { units: 4, m: 1 }, lf.stateShape, "averaged"), inputs: [x], params: lf.params, training: false }),
    ).toThrow(/"m" must be < 1/);
    disposeAll(pc.params);
    disposeAll(lf.params);
  });

  it("errors are DeqConfigError instances", () => {
    expect(caught(run({ attrs: implicitAttrs("dense", { units: 4 }, stateShape, "newton") }))).toBeInstanceOf(DeqConfigError);
  });
});
