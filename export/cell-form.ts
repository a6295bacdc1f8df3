/**
 * An explicit DEQ cell f(z) = σ(L z + c(x)) reduced to what a graph needs: the linear map L as
 * a matrix (dense states) or a same-padded convolution kernel (image states), the injection
 * c(x) = inj(U x + b), the activation σ, and — for the averaged iteration — the cell's own α*.
 * L is read off the runtime's own operator (a matrix by applying it to the identity, a kernel by
 * applying it to unit impulses), so every parameterisation (weight or spectral norm, pcDEQ's
 * W ≥ 0, ℓ∞'s A = mI + D⁻¹TD − diag(|T|·1), monotone W) exports exactly as simc evaluates it.
 */
import * as tf from "../runtime/tf.js";
import type { ImplicitAttrs, IRNode } from "../ir/types.js";
import { CELLS } from "../vocabulary/cell-families.js";
import { resolveSettings, type VocabularyEntry } from "../vocabulary/settings.js";
import { buildCell } from "../runtime/deq/cells/index.js";
import type { StructuredMap } from "../runtime/deq/types.js";
import { localParams } from "../runtime/implicit-node.js";
import { ExportError, sourceOf } from "./errors.js";
import type { WeightTensor } from "./inference-weights.js";

export interface ActivationForm {
  fn: string;
  beta: number;
}

export interface CellForm {
  /** dense: z·M with M [n, n]; conv: same-padded NHWC convolution with kernel [k, k, c, c]. */
  linear: { kind: "dense" | "conv"; weight: WeightTensor };
  /** c(x) = activation(U x + b): dense on the flattened input, or a same-padded convolution. */
  injection: { kind: "dense" | "conv"; weight: string; bias: string; activation?: ActivationForm };
  activation: ActivationForm;
  structure: StructuredMap;
}

/** The values of `make()`'s tensor, every intermediate released. */
function valuesOf(make: () => tf.Tensor): WeightTensor {
  const t = tf.tidy(make);
  const data = Float32Array.from(t.dataSync());
  const shape = [...t.shape];
  t.dispose();
  return { shape, data };
}

/** The kernel K [k, k, c, c] of a same-padded convolution, from its responses to unit impulses. */
function probeKernel(apply: (z: tf.Tensor) => tf.Tensor, k: number, channels: number): WeightTensor {
  const size = 2 * k - 1;
  const centre = k - 1;
  const impulses = tf.buffer([channels, size, size, channels]);
  for (let c = 0; c < channels; c++) impulses.set(1, c, centre, centre, c);
  const response = valuesOf(() => apply(impulses.toTensor())).data;
  const at = (c: number, h: number, w: number, o: number) => response[((c * size + h) * size + w) * channels + o];
  const pad = (k - 1) / 2;
  const data = new Float32Array(k * k * channels * channels);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++)
      for (let c = 0; c < channels; c++)
        for (let o = 0; o < channels; o++) data[((i * k + j) * channels + c) * channels + o] = at(c, centre + pad - i, centre + pad - j, o);
  return { shape: [k, k, channels, channels], data };
}

export function cellForm(node: IRNode, variable: (name: string) => tf.Variable, injectionShape: number[]): CellForm {
  const attrs = node.attrs as unknown as ImplicitAttrs;
  const label = node.loc ? `${node.id} (${node.loc.file}:${node.loc.line}:${node.loc.column})` : node.id;
  const params = localParams(node, variable);
  const { cell, stateShape } = buildCell(label, attrs, params, injectionShape);
  const kind = stateShape.length === 1 ? "dense" : "conv";
  if (attrs.cell === "monotone" && kind === "conv") {
    throw new ExportError("exportUnsupportedCell", `${node.id}: a monotone conv cell pads circularly and acts in the Fourier domain, which has no graph form here`, {
      ...sourceOf(node),
      hint: "dense monotone, pcdeq, linf, dense, conv and derived cells export",
    });
  }
  cell.prepare(false);
  const probe = tf.zeros([1, ...injectionShape]);
  const structure = cell.bind([probe]).structure;
  probe.dispose();
  if (!structure) throw new Error(`${label}: cell ${attrs.cell} has no structured form`);
  const linear =
    kind === "dense"
      ? valuesOf(() => structure.linear.apply(tf.eye(stateShape[0])))
      : probeKernel((z) => structure.linear.apply(z), kernelSize(node, params), stateShape[2]);
  // pcDEQ's injection and its sharpness, defaults filled in by the cell vocabulary.
  const pcdeq = attrs.cell === "pcdeq" ? resolveSettings(CELLS.get("pcdeq") as VocabularyEntry, attrs.cellArgs ?? {}, label).values : undefined;
  const injection = pcdeq ? { fn: String(pcdeq.injection), beta: Number(pcdeq.beta) } : undefined;
  const injectionKind = params["U.weight"].shape.length === 4 ? "conv" : "dense";
  return {
    linear: { kind, weight: linear },
    injection: { kind: injectionKind, weight: `${node.id}.U.weight`, bias: `${node.id}.U.bias`, activation: injection },
    activation: { fn: structure.activation.name, beta: 1 },
    structure,
  };
}

function kernelSize(node: IRNode, params: Record<string, tf.Variable>): number {
  const weight = params.W ?? params["W.v"];
  if (!weight || weight.shape.length !== 4) throw new Error(`${node.id}: conv cell without a 4-D W`);
  return weight.shape[0];
}
