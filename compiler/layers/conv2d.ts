import { D, T } from "../arguments.js";
import { formatShape, num, problem, torchDefault, trainable, type LayerDef } from "./types.js";

/** Output length of a strided window: `same` keeps ceil(n/stride), `valid` drops the borders. */
export function slidingLength(n: number, window: number, stride: number, padding: string): number {
  return padding === "valid" ? Math.floor((n - window) / stride) + 1 : Math.ceil(n / stride);
}

/** 2-D convolution on NHWC images. */
export const conv2d: LayerDef = {
  name: "conv2d",
  doc: "2-D convolution on images [height, width, channels]: weight [k, k, cin, channels], bias [channels].",
  args: [
    { name: "channels", type: T.int(1), doc: "output channels" },
    { name: "kernel", type: T.int(1), default: D.int(3), doc: "square kernel size" },
    { name: "stride", type: T.int(1), default: D.int(1) },
    { name: "padding", type: T.oneOf("same", "valid"), default: D.symbol("same") },
    { name: "bias", type: T.bool(), default: D.bool(true) },
  ],
  infer(args, input) {
    if (input.length !== 3) {
      const hint =
        input.length === 2
          ? "conv2d works on images; use conv1d for sequences [length, channels]"
          : "conv2d needs an image input such as [28, 28, 1]";
      return problem("SIM3001", `conv2d expects an image [height, width, channels], got ${formatShape(input)}`, hint);
    }
    const k = num(args, "kernel");
    const stride = num(args, "stride");
    const padding = String(args.padding);
    const [h, w] = input;
    if (padding === "valid" && (k > h || k > w)) {
      return problem(
        "SIM3002",
        `conv2d kernel ${k}×${k} is larger than its input ${formatShape(input)} with padding: valid`,
        "use padding: same, a smaller kernel, or pool less before it",
      );
    }
    return {
      shape: [slidingLength(h, k, stride, padding), slidingLength(w, k, stride, padding), num(args, "channels")],
    };
  },
  params(args, input) {
    const k = num(args, "kernel");
    const cin = input[2];
    const cout = num(args, "channels");
    const fanIn = k * k * cin;
    const params = [trainable("weight", [k, k, cin, cout], torchDefault(fanIn))];
    if (args.bias) params.push(trainable("bias", [cout], torchDefault(fanIn)));
    return params;
  },
};
