import { D, T } from "../arguments.js";
import { formatShape, num, problem, torchDefault, trainable, type LayerDef } from "./types.js";

/**
 * Dilated 1-D convolution on sequences [length, channels]. `causal` pads (k−1)·dilation steps on
 * the left only (the TCN's "chomp"), otherwise the padding is `same`. Under `weight_norm` the
 * kernel is w = g·v/‖v‖ per output channel; g starts at 1/√3, the expected norm of a
 * PyTorch-default-initialised kernel, so the effective weights start at PyTorch's scale.
 */
export const conv1d: LayerDef = {
  name: "conv1d",
  doc: "Dilated 1-D convolution on sequences [length, channels]; causal padding and weight norm for TCNs.",
  args: [
    { name: "channels", type: T.int(1), doc: "output channels" },
    { name: "kernel", type: T.int(1), doc: "kernel size" },
    { name: "dilation", type: T.int(1), default: D.int(1) },
    { name: "stride", type: T.int(1), default: D.int(1) },
    { name: "causal", type: T.bool(), default: D.bool(false), doc: "pad on the left only" },
    { name: "weight_norm", type: T.bool(), default: D.bool(false), doc: "w = g·v/‖v‖ per output channel" },
    { name: "bias", type: T.bool(), default: D.bool(true) },
  ],
  infer(args, input) {
    if (input.length !== 2) {
      const hint =
        input.length === 3
          ? "conv1d works on sequences; use conv2d for images"
          : "conv1d needs a sequence such as [520, 1] (length, channels)";
      return problem("SIM3001", `conv1d expects a sequence [length, channels], got ${formatShape(input)}`, hint);
    }
    return { shape: [Math.ceil(input[0] / num(args, "stride")), num(args, "channels")] };
  },
  params(args, input) {
    const k = num(args, "kernel");
    const cin = input[1];
    const cout = num(args, "channels");
    const fanIn = k * cin;
    const params = args.weight_norm
      ? [
          trainable("v", [k, cin, cout], torchDefault(fanIn)),
          trainable("g", [cout], { kind: "constant", value: 1 / Math.sqrt(3) }),
        ]
      : [trainable("weight", [k, cin, cout], torchDefault(fanIn))];
    if (args.bias) params.push(trainable("bias", [cout], torchDefault(fanIn)));
    return params;
  },
};
