/** Small builders shared by the DEQ tests: CPU backend, seeded tensors, cell parameters, node attributes. */
import type { BackwardModeName, SolverName } from "../../vocabulary/solvers.js";
import * as tf from "../../runtime/tf.js";
import type { CellFamily, Shape } from "../../compiler/checked-model.js";
import { cellLayout, type CellLayoutArgs } from "../../vocabulary/cells.js";
import type { AttrValue, ImplicitAttrs } from "../../ir/types.js";

export async function useCpu(): Promise<void> {
  await tf.setBackend("cpu");
  await tf.ready();
}

/** Deterministic normal tensor. */
export function normal(shape: number[], seed: number, std = 1): tf.Tensor {
  return tf.randomNormal(shape, 0, std, "float32", seed);
}

let variableCounter = 0;

/** Variables for every parameter of a cell layout, seeded, each scaled by `scales[name]` (default 0.3). */
export function cellVariables(
  family: CellFamily,
  args: CellLayoutArgs,
  injectionShape: Shape,
  seed: number,
  scales: Record<string, number> = {},
): { params: Record<string, tf.Variable>; stateShape: Shape } {
  const layout = cellLayout(family, args, injectionShape);
  const params: Record<string, tf.Variable> = {};
  layout.params.forEach((p, i) => {
    const scale = scales[p.name] ?? 0.3;
    const init =
      p.init.kind === "ones"
        ? tf.ones(p.shape)
        : p.init.kind === "zeros"
          ? tf.zeros(p.shape)
          : p.init.kind === "uniform"
            ? tf.randomUniform(p.shape, 0, scale, "float32", seed + i)
            : tf.randomNormal(p.shape, 0, scale, "float32", seed + i);
    params[p.name] = tf.variable(init, p.kind !== "buffer", `deqtest_${family}_${p.name}_${variableCounter++}`);
    init.dispose();
  });
  return { params, stateShape: layout.stateShape };
}

export function implicitAttrs(
  cell: ImplicitAttrs["cell"],
  cellArgs: Record<string, AttrValue>,
  stateShape: Shape,
  solver: string,
  solverSettings: Record<string, AttrValue> = {},
  backward = "implicit",
  backwardSettings: Record<string, AttrValue> = {},
): ImplicitAttrs {
  return {
    cell,
    cellArgs,
    // Names are free here: the failure tests hand the runtime names the vocabulary rejects.
    solver: { name: solver as SolverName, settings: solverSettings },
    backward: { mode: backward as BackwardModeName, settings: backwardSettings },
    stateShape,
  };
}

export function disposeAll(params: Record<string, tf.Variable>): void {
  for (const v of Object.values(params)) v.dispose();
}

/** Largest |a − b| / max(|b|, floor) over all entries. */
export function relError(a: tf.Tensor, b: tf.Tensor, floor = 1e-6): number {
  return tf.tidy(() => {
    const diff = a.sub(b).abs().max().dataSync()[0];
    const scale = Math.max(b.abs().max().dataSync()[0], floor);
    return diff / scale;
  });
}
