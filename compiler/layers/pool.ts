import { D, T } from "../arguments.js";
import { formatShape, num, problem, type LayerDef } from "./types.js";

/** Max or average pooling without padding: 2-D on images, 1-D along the length of sequences. */
function pooling(name: "maxpool" | "avgpool", what: string): LayerDef {
  return {
    name,
    doc: `${what} pooling (no padding): 2-D on images [h, w, c], 1-D on sequences [length, c].`,
    args: [
      { name: "size", type: T.int(1), default: D.int(2), doc: "window size" },
      { name: "stride", type: T.int(1), default: D.sameAs("size"), doc: "defaults to size" },
    ],
    infer(args, input) {
      if (input.length !== 2 && input.length !== 3) {
        return problem(
          "SIM3001",
          `${name} expects an image [height, width, channels] or a sequence [length, channels], got ${formatShape(input)}`,
          input.length === 1 ? "pooling a vector has no spatial axis; remove it or pool before flatten()" : undefined,
        );
      }
      const size = num(args, "size");
      const stride = num(args, "stride");
      const spatial = input.slice(0, -1);
      if (spatial.some((d) => d < size)) {
        return problem(
          "SIM3002",
          `${name} window ${size} is larger than its input ${formatShape(input)}`,
          "use a smaller size, or remove a pooling layer before it",
        );
      }
      return { shape: [...spatial.map((d) => Math.floor((d - size) / stride) + 1), input[input.length - 1]] };
    },
    params: () => [],
  };
}

export const maxpool = pooling("maxpool", "Max");
export const avgpool = pooling("avgpool", "Average");
