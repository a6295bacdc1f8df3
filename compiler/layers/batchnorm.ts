import { D, T } from "../arguments.js";
import { formatShape, problem, type LayerDef } from "./types.js";

/**
 * Batch normalisation over the last axis (channels): trainable gamma and beta, and running
 * statistics that are buffers (updated in training mode, counted as neither trainable nor frozen).
 */
export const batchnorm: LayerDef = {
  name: "batchnorm",
  doc: "Batch normalisation per channel (last axis): gamma, beta trainable; movingMean, movingVariance buffers.",
  args: [
    { name: "epsilon", type: T.positive(), default: D.float(1e-5) },
    { name: "momentum", type: T.float(0, 1), default: D.float(0.1), doc: "weight of the newest batch statistics" },
  ],
  infer(_args, input) {
    if (input.length < 1) return problem("SIM3001", `batchnorm expects at least one axis, got ${formatShape(input)}`);
    return { shape: [...input] };
  },
  params(_args, input) {
    const c = input[input.length - 1];
    return [
      { name: "gamma", shape: [c], kind: "trainable", init: { kind: "ones" } },
      { name: "beta", shape: [c], kind: "trainable", init: { kind: "zeros" } },
      { name: "movingMean", shape: [c], kind: "buffer", init: { kind: "zeros" } },
      { name: "movingVariance", shape: [c], kind: "buffer", init: { kind: "ones" } },
    ];
  },
};
