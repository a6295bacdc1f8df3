/**
 * Lowers checked layers (ψ, ϕ, g and residual branches) to IR nodes, one node per layer (plus
 * the `add` of a residual). Node ids are the layers' paths (`basis.0.conv2d`); parameters are
 * declared under `<path>.<local name>` in the order the IR op documents.
 */
import { ACTIVATIONS } from "../../vocabulary/activations.js";
import type { LayerInstance, ParamSpec, Value } from "../checked-model.js";
import { IR_CODES } from "../../core/codes/ir.js";
import type { AttrValue } from "../../ir/types.js";
import type { GraphBuilder, ParamTable } from "./builder.js";
import { LoweringError } from "./lowering-error.js";

const ACTIVATION_LAYERS: ReadonlySet<string> = new Set(ACTIVATIONS);

function num(args: Record<string, Value>, key: string, fallback: number): number {
  const value = args[key];
  return typeof value === "number" ? value : fallback;
}

/** A size given as `3` or `[3, 3]`, spread to `rank` entries. */
function sizeList(value: Value | undefined, rank: number, fallback: number): number[] {
  if (Array.isArray(value) && value.length === rank && value.every((v) => typeof v === "number")) return value as number[];
  const n = typeof value === "number" ? value : fallback;
  return Array.from({ length: rank }, () => n);
}

/** The layer's parameters in the order its op documents, found by role. */
function orderParams(layer: LayerInstance): ParamSpec[] {
  const params = layer.params;
  const named = (pattern: RegExp) => params.find((p) => pattern.test(p.name));
  switch (layer.op) {
    case "dense":
    case "conv2d":
    case "conv1d": {
      const bias = params.find((p) => p.name === "bias");
      const kernel = params.find((p) => p.shape.length >= 2);
      const gain = params.find((p) => p !== bias && p.shape.length === 1);
      return [kernel, gain, bias].filter((p): p is ParamSpec => p !== undefined);
    }
    case "batchnorm": {
      const roles = [named(/gamma|scale|weight/i), named(/beta|offset|bias/i), named(/mean/i), named(/var/i)];
      return roles.every((p) => p !== undefined) && new Set(roles).size === 4 ? (roles as ParamSpec[]) : params;
    }
    case "rff": {
      const omega = params.find((p) => p.shape.length === 2);
      const phase = params.find((p) => p.shape.length === 1);
      return [omega, phase].filter((p): p is ParamSpec => p !== undefined);
    }
    default:
      return params;
  }
}

function attrsOf(layer: LayerInstance): { op: Parameters<GraphBuilder["add"]>[0]["op"]; attrs: Record<string, AttrValue> } {
  const { args } = layer;
  switch (layer.op) {
    case "dense":
    case "flatten":
    case "identity":
      return { op: layer.op, attrs: {} };
    case "conv2d":
      return {
        op: "conv2d",
        attrs: {
          kernel: sizeList(args.kernel, 2, 3),
          stride: sizeList(args.stride, 2, 1),
          dilation: sizeList(args.dilation, 2, 1),
          padding: typeof args.padding === "string" ? args.padding : "same",
        },
      };
    case "conv1d":
      return {
        op: "conv1d",
        attrs: {
          kernel: num(args, "kernel", 3),
          stride: num(args, "stride", 1),
          dilation: num(args, "dilation", 1),
          padding: args.causal === true ? "causal" : typeof args.padding === "string" ? args.padding : "same",
          weightNorm: args.weight_norm === true,
        },
      };
    case "batchnorm":
      return { op: "batchnorm", attrs: { epsilon: num(args, "epsilon", 1e-5), momentum: num(args, "momentum", 0.1) } };
    case "maxpool":
    case "avgpool": {
      const rank = layer.inputShape.length - 1;
      const size = sizeList(args.size, rank, 2);
      return {
        op: "pool",
        attrs: {
          mode: layer.op === "maxpool" ? "max" : "avg",
          size,
          stride: args.stride === undefined ? size : sizeList(args.stride, rank, size[0]),
          padding: typeof args.padding === "string" ? args.padding : "valid",
        },
      };
    }
    case "dropout":
      return { op: "dropout", attrs: { rate: num(args, "rate", 0.5) } };
    case "rff": {
      const n = num(args, "n", layer.outputShape[layer.outputShape.length - 1]);
      return {
        op: "rff",
        attrs: {
          features: typeof args.features === "string" ? args.features : "cossin",
          n,
          scale: 1 / Math.sqrt(n / 2),
          kernel: typeof args.kernel === "string" ? args.kernel : "gauss",
          sigma: num(args, "sigma", 1),
        },
      };
    }
    default:
      if (ACTIVATION_LAYERS.has(layer.op)) {
        return { op: "activation", attrs: layer.op === "softplus" ? { fn: "softplus", beta: num(args, "beta", 1) } : { fn: layer.op } };
      }
      throw new LoweringError(IR_CODES.unknownLayer, layer.origin, `layer '${layer.op}' has no IR lowering`, "report this model to the simc maintainers");
  }
}

function lowerLayer(g: GraphBuilder, table: ParamTable, layer: LayerInstance, input: string): string {
  if (layer.op === "residual") {
    const main = lowerLayers(g, table, layer.body ?? [], input);
    const shortcut = lowerLayers(g, table, layer.shortcut ?? [], input);
    return g.add({ id: layer.path, op: "add", inputs: [main, shortcut], shape: layer.outputShape, origin: layer.origin });
  }
  const { op, attrs } = attrsOf(layer);
  const ordered = orderParams(layer);
  if (ordered.length !== layer.params.length) {
    throw new LoweringError(IR_CODES.unknownLayer, layer.origin, `cannot tell the roles of ${layer.op}'s parameters (${layer.params.map((p) => p.name).join(", ")})`);
  }
  const params = ordered.map((p) => table.declare(`${layer.path}.${p.name}`, p));
  return g.add({ id: layer.path, op, inputs: [input], params, attrs, shape: layer.outputShape, origin: layer.origin });
}

/** Lowers `layers` in sequence from `input`; returns the id of the last node (or `input` when empty). */
export function lowerLayers(g: GraphBuilder, table: ParamTable, layers: readonly LayerInstance[], input: string): string {
  let current = input;
  for (const layer of layers) current = lowerLayer(g, table, layer, current);
  return current;
}
