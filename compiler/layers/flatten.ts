import { product, type LayerDef } from "./types.js";

export const flatten: LayerDef = {
  name: "flatten",
  doc: "Flattens everything but the batch axis into a vector.",
  args: [],
  infer: (_args, input) => ({ shape: [product(input)] }),
  params: () => [],
};
