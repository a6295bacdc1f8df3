import { D, T } from "../arguments.js";
import { formatShape, num, problem, torchDefault, trainable, type LayerDef } from "./types.js";

/** y = x·W + b on the last axis; a sequence [length, n] is processed per position. */
export const dense: LayerDef = {
  name: "dense",
  doc: "Fully connected layer on the last axis (per position for sequences): weight [in, units], bias [units].",
  args: [
    { name: "units", type: T.int(1), doc: "output features" },
    { name: "bias", type: T.bool(), default: D.bool(true), doc: "add a bias" },
  ],
  infer(args, input) {
    if (input.length < 1 || input.length > 2) {
      return problem(
        "SIM3001",
        `dense expects a vector [n] or a sequence [length, n], got ${formatShape(input)}`,
        "add flatten() before it",
      );
    }
    return { shape: [...input.slice(0, -1), num(args, "units")] };
  },
  params(args, input) {
    const fanIn = input[input.length - 1];
    const units = num(args, "units");
    const params = [trainable("weight", [fanIn, units], torchDefault(fanIn))];
    if (args.bias) params.push(trainable("bias", [units], torchDefault(fanIn)));
    return params;
  },
};
