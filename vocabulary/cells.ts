/**
 * Parameter layout of every DEQ cell: the one place that says which parameters a cell has,
 * their shapes, kinds and initialisers. The checker counts them, lowering declares them in the
 * IR (in this order, under the implicit node's prefix), and the runtime looks them up by these
 * local names. Shapes follow the IR conventions (dense weights [in, out], conv kernels
 * [kh, kw, cin, cout], NHWC states).
 */
import type { Initializer, ParamSpec, Shape } from "../core/values.js";
import type { CellFamily } from "./cell-families.js";

export interface CellLayout {
  stateShape: Shape;
  params: ParamSpec[];
}

/** Settings that decide a cell's layout (evaluated, defaults already filled in by the checker). */
export interface CellLayoutArgs {
  /** `dense` (vector state; image injections are flattened) or `conv` (image state). */
  kind: "dense" | "conv";
  /** State width for dense cells. */
  units?: number;
  /** State channels for conv cells. */
  channels?: number;
  /** Conv kernel size (odd). */
  kernel?: number;
  /** Generic cells: `none`, `weight` or `spectral`. */
  norm?: string;
}

const product = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

function torchDefault(fanIn: number): Initializer {
  return { kind: "torch_default", fanIn };
}

function param(name: string, shape: Shape, init: Initializer, kind: ParamSpec["kind"] = "trainable"): ParamSpec {
  return { name, shape, kind, init };
}

/** The injection U·x + b: a dense map from the flattened injection, or a same-padded conv. */
function injection(args: CellLayoutArgs, injectionShape: Shape): { params: ParamSpec[]; stateShape: Shape } {
  if (args.kind === "conv") {
    const k = args.kernel ?? 3;
    const cin = injectionShape[injectionShape.length - 1];
    const c = args.channels ?? cin;
    const fanIn = k * k * cin;
    return {
      params: [param("U.weight", [k, k, cin, c], torchDefault(fanIn)), param("U.bias", [c], torchDefault(fanIn))],
      stateShape: [...injectionShape.slice(0, -1), c],
    };
  }
  const d = product(injectionShape);
  const n = args.units ?? d;
  return {
    params: [param("U.weight", [d, n], torchDefault(d)), param("U.bias", [n], torchDefault(d))],
    stateShape: [n],
  };
}

/** Square state-to-state operator: a matrix for dense cells, a kernel for conv cells. */
function stateOperatorShape(args: CellLayoutArgs, stateShape: Shape): Shape {
  if (args.kind === "conv") {
    const k = args.kernel ?? 3;
    const c = stateShape[stateShape.length - 1];
    return [k, k, c, c];
  }
  return [stateShape[0], stateShape[0]];
}

function fanInOf(shape: Shape): number {
  return shape.length === 4 ? shape[0] * shape[1] * shape[2] : shape[0];
}

/**
 * - dense/conv: `f(z,x) = σ(W z + U x + b)`; `W` (or `W.v`, `W.g` under weight norm, plus a
 *   power-iteration buffer `W.u` under spectral norm).
 * - monotone: `W = (1−m)I − AᵀA + B − Bᵀ` from `A`, `B` (conv: Frobenius-normalised kernels
 *   with learned scales `A.scale`, `B.scale`, as monDEQ does).
 * - pcdeq: `f(z,x) = σ(W z + inj(U x + b))` with `W ≥ 0` (tiny nonnegative initialisation).
 * - linf: `A = m I + D⁻¹ T D − diag(|T|·1)` from `T` and `d` (`D = diag(exp(d))`).
 */
export function cellLayout(family: CellFamily, args: CellLayoutArgs, injectionShape: Shape): CellLayout {
  const inj = injection(args, injectionShape);
  const op = stateOperatorShape(args, inj.stateShape);
  const fanIn = fanInOf(op);
  const params = [...inj.params];
  switch (family) {
    case "dense":
    case "conv": {
      if (args.norm === "weight") {
        params.push(param("W.v", op, torchDefault(fanIn)), param("W.g", [op[op.length - 1]], { kind: "ones" }));
      } else {
        params.push(param("W", op, torchDefault(fanIn)));
        if (args.norm === "spectral") {
          params.push(param("W.u", [op[op.length - 1]], { kind: "normal", mean: 0, std: 1 }, "buffer"));
        }
      }
      break;
    }
    case "monotone": {
      params.push(param("A", op, torchDefault(fanIn)), param("B", op, torchDefault(fanIn)));
      if (args.kind === "conv") {
        params.push(param("A.scale", [1], { kind: "ones" }), param("B.scale", [1], { kind: "ones" }));
      }
      break;
    }
    case "pcdeq": {
      params.push(param("W", op, { kind: "uniform", low: 0, high: 0.01 / fanIn }));
      break;
    }
    case "linf": {
      const n = inj.stateShape[inj.stateShape.length - 1];
      params.push(param("T", [n, n], { kind: "normal", mean: 0, std: 0.01 }), param("d", [n], { kind: "zeros" }));
      break;
    }
  }
  return { stateShape: inj.stateShape, params };
}

/**
 * The cell derived from a SIM's parts (DESIGN §2): `f(z, x) = ϕ(K · (ψ(x) + A z))`, with
 * `K: R^m → R^m` and `A: R^h → R^m`, both bias-free. ψ, ϕ and g keep their own parameters.
 */
export function derivedCellParams(m: number, h: number): ParamSpec[] {
  return [
    param("K", [m, m], torchDefault(m)),
    param("A", [h, m], { kind: "normal", mean: 0, std: 0.01 }),
  ];
}

export function countParams(params: readonly ParamSpec[], kind: ParamSpec["kind"]): number {
  return params.filter((p) => p.kind === kind).reduce((sum, p) => sum + product(p.shape), 0);
}
