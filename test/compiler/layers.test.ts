import { describe, expect, it } from "vitest";
import { LAYERS } from "../../compiler/layers/index.js";
import type { LayerArgs } from "../../compiler/layers/types.js";
import { check, codes, onlyModel, vectorSim } from "./helpers.js";

function infer(name: string, args: LayerArgs, input: number[]) {
  const layer = LAYERS.get(name);
  if (!layer) throw new Error(`no layer ${name}`);
  return layer.infer(args, input);
}

describe("layer catalogue: shapes", () => {
  it("dense acts on the last axis of vectors and sequences only", () => {
    expect(infer("dense", { units: 5, bias: true }, [7])).toEqual({ shape: [5] });
    expect(infer("dense", { units: 5, bias: true }, [520, 7])).toEqual({ shape: [520, 5] });
    expect(infer("dense", { units: 50, bias: true }, [28, 28, 1])).toEqual({
      problem: {
        code: "SIM3001",
        message: "dense expects a vector [n] or a sequence [length, n], got [28, 28, 1]",
        hint: "add flatten() before it",
      },
    });
  });

  it("conv2d pads same (ceil) or valid, and rejects non-images", () => {
    const conv = (padding: string, stride: number, kernel = 3) => ({ channels: 4, kernel, stride, padding, bias: true });
    expect(infer("conv2d", conv("same", 1), [28, 28, 1])).toEqual({ shape: [28, 28, 4] });
    expect(infer("conv2d", conv("same", 2), [7, 7, 1])).toEqual({ shape: [4, 4, 4] });
    expect(infer("conv2d", conv("valid", 1, 5), [28, 28, 1])).toEqual({ shape: [24, 24, 4] });
    expect(infer("conv2d", conv("valid", 1, 5), [3, 3, 1])).toMatchObject({ problem: { code: "SIM3002" } });
    expect(infer("conv2d", conv("same", 1), [520, 1])).toMatchObject({
      problem: { code: "SIM3001", hint: "conv2d works on images; use conv1d for sequences [length, channels]" },
    });
  });

  it("conv1d keeps the length under causal and same padding", () => {
    const args = { channels: 10, kernel: 8, dilation: 4, stride: 1, causal: true, weight_norm: true, bias: true };
    expect(infer("conv1d", args, [520, 1])).toEqual({ shape: [520, 10] });
    expect(infer("conv1d", { ...args, stride: 2 }, [521, 1])).toEqual({ shape: [261, 10] });
    expect(infer("conv1d", args, [28, 28, 1])).toMatchObject({ problem: { code: "SIM3001" } });
  });

  it("pools images in 2-D and sequences in 1-D without padding", () => {
    expect(infer("maxpool", { size: 2, stride: 2 }, [28, 28, 24])).toEqual({ shape: [14, 14, 24] });
    expect(infer("avgpool", { size: 4, stride: 4 }, [28, 28, 56])).toEqual({ shape: [7, 7, 56] });
    expect(infer("maxpool", { size: 3, stride: 1 }, [10, 4])).toEqual({ shape: [8, 4] });
    expect(infer("maxpool", { size: 2, stride: 2 }, [1, 1, 3])).toMatchObject({ problem: { code: "SIM3002" } });
    expect(infer("avgpool", { size: 2, stride: 2 }, [50])).toMatchObject({ problem: { code: "SIM3001" } });
  });

  it("flatten, rff and the shape-preserving layers", () => {
    expect(infer("flatten", {}, [7, 7, 24])).toEqual({ shape: [1176] });
    expect(infer("rff", { n: 64, sigma: 1, kernel: "gauss", features: "cossin" }, [520, 32])).toEqual({ shape: [520, 64] });
    expect(infer("rff", { n: 63, sigma: 1, kernel: "gauss", features: "cossin" }, [3])).toMatchObject({ problem: { code: "SIM2011" } });
    expect(infer("rff", { n: 63, sigma: 1, kernel: "gauss", features: "cosbias" }, [3])).toEqual({ shape: [63] });
    for (const name of ["relu", "tanh", "sigmoid", "softsign", "relu6", "softplus", "dropout", "identity", "batchnorm"]) {
      expect(infer(name, { beta: 1, rate: 0.5, epsilon: 1e-5, momentum: 0.1 }, [9, 4])).toEqual({ shape: [9, 4] });
    }
  });
});

describe("layer catalogue: parameters", () => {
  it("lays out dense [in, out] and conv2d [kh, kw, cin, cout] with PyTorch's default initialiser", () => {
    expect(LAYERS.get("dense")!.params({ units: 50, bias: true }, [1176])).toEqual([
      { name: "weight", shape: [1176, 50], kind: "trainable", init: { kind: "torch_default", fanIn: 1176 } },
      { name: "bias", shape: [50], kind: "trainable", init: { kind: "torch_default", fanIn: 1176 } },
    ]);
    const conv = LAYERS.get("conv2d")!.params({ channels: 24, kernel: 3, stride: 1, padding: "same", bias: true }, [28, 28, 1]);
    expect(conv.map((p) => [p.name, p.shape, p.init])).toEqual([
      ["weight", [3, 3, 1, 24], { kind: "torch_default", fanIn: 9 }],
      ["bias", [24], { kind: "torch_default", fanIn: 9 }],
    ]);
  });

  it("gives weight-normed conv1d a direction v [k, cin, cout], a gain g [cout] and a bias", () => {
    const params = LAYERS.get("conv1d")!.params(
      { channels: 10, kernel: 8, dilation: 1, stride: 1, causal: true, weight_norm: true, bias: true },
      [520, 1],
    );
    expect(params.map((p) => [p.name, p.shape, p.kind])).toEqual([
      ["v", [8, 1, 10], "trainable"],
      ["g", [10], "trainable"],
      ["bias", [10], "trainable"],
    ]);
  });

  it("keeps batch-norm statistics as buffers and random Fourier features frozen", () => {
    const bn = LAYERS.get("batchnorm")!.params({ epsilon: 1e-5, momentum: 0.1 }, [14, 14, 24]);
    expect(bn.map((p) => [p.name, p.shape, p.kind])).toEqual([
      ["gamma", [24], "trainable"],
      ["beta", [24], "trainable"],
      ["movingMean", [24], "buffer"],
      ["movingVariance", [24], "buffer"],
    ]);
    const cossin = LAYERS.get("rff")!.params({ n: 104, sigma: 2, kernel: "gauss", features: "cossin" }, [50]);
    expect(cossin).toEqual([{ name: "omega", shape: [50, 52], kind: "frozen", init: { kind: "normal", mean: 0, std: 0.5 } }]);
    const cosbias = LAYERS.get("rff")!.params({ n: 10, sigma: 4, kernel: "laplace", features: "cosbias" }, [3]);
    expect(cosbias.map((p) => [p.name, p.shape, p.kind, p.init.kind])).toEqual([
      ["omega", [3, 10], "frozen", "cauchy"],
      ["phase", [10], "frozen", "uniform"],
    ]);
  });
});

describe("layers in a model", () => {
  it("names the layer, both shapes and the fix when a layer cannot take its input", () => {
    const result = check(vectorSim("[28, 28, 1]", "    conv2d(channels: 8)\n    dense(units: 16)"));
    expect(codes(result)).toEqual(["SIM3001@6:5"]);
    expect(result.diagnostics[0].message).toBe("dense expects a vector [n] or a sequence [length, n], got [28, 28, 8]");
    expect(result.diagnostics[0].hint).toBe("add flatten() before it");
  });

  it("reports only the first shape error of a sequence, but still checks later arguments", () => {
    const result = check(vectorSim("[28, 28, 1]", "    dense(units: 16)\n    dense(units: 8)\n    dense(units: 0)"));
    expect(codes(result)).toEqual(["SIM3001@5:5", "SIM2011@7:18"]);
  });

  it("records shapes, paths and parameters of every layer", () => {
    const model = onlyModel(check(vectorSim("[4, 4, 2]", "    conv2d(channels: 3)\n    batchnorm()\n    maxpool()\n    flatten()")));
    expect(model.basis.map((l) => [l.path, l.inputShape, l.outputShape])).toEqual([
      ["basis.0.conv2d", [4, 4, 2], [4, 4, 3]],
      ["basis.1.batchnorm", [4, 4, 3], [4, 4, 3]],
      ["basis.2.maxpool", [4, 4, 3], [2, 2, 3]],
      ["basis.3.flatten", [2, 2, 3], [12]],
    ]);
    expect(model.basis[0].origin).toEqual({ file: "test.sim", line: 5, column: 5 });
  });
});
