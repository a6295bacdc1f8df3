import { D, T } from "../arguments.js";
import { elementwise, type LayerDef } from "./types.js";

export const relu = elementwise("relu", "max(x, 0), elementwise.");
export const tanh = elementwise("tanh", "Hyperbolic tangent, elementwise.");
export const sigmoid = elementwise("sigmoid", "1 / (1 + e^−x), elementwise.");
export const softsign = elementwise("softsign", "x / (1 + |x|), elementwise.");
export const relu6 = elementwise("relu6", "min(max(x, 0), 6), elementwise.");
export const softplus = elementwise("softplus", "log(1 + e^(beta·x)) / beta, elementwise.", [
  { name: "beta", type: T.positive(), default: D.float(1) },
]);

export const activations: readonly LayerDef[] = [relu, tanh, sigmoid, softsign, relu6, softplus];
