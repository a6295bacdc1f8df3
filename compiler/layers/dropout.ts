import { D, T } from "../arguments.js";
import { elementwise } from "./types.js";

/** Identity in evaluation mode. */
export const dropout = elementwise("dropout", "Zeroes a fraction `rate` of activations in training; identity in evaluation.", [
  { name: "rate", type: T.float(0, 1, { maxExclusive: true }), default: D.float(0.5) },
]);
