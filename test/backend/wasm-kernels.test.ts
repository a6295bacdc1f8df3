/**
 * Every kernel simc registers on the wasm backend, checked against the cpu backend on the same
 * inputs — through the public ops (and their gradients) that reach it, on small shapes that
 * cover the fast paths and the fallbacks.
 */
import * as tf from "../../runtime/tf.js";
import { describe, expect, it } from "vitest";
import { initBackend } from "../../runtime/backend/index.js";
import { setPatchBudget } from "../../runtime/backend/wasm-kernels/conv2d-backprop-filter.js";
import { SIMC_WASM_KERNELS } from "../../runtime/backend/wasm-kernels/index.js";
import { batchNormTraining } from "../../runtime/ops/batch-norm.js";
import { maxDifference, maxMagnitude, onCpuAndWasm, randomArray } from "./compare.js";

const t4 = (shape: [number, number, number, number], seed: number) =>
  tf.tensor4d(
    randomArray(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );

async function expectClose(computation: () => tf.Tensor | tf.Tensor[], relative = 1e-5): Promise<void> {
  const [reference, candidate] = await onCpuAndWasm(computation);
  const scale = Math.max(maxMagnitude(reference), 1);
  expect(maxDifference(reference, candidate)).toBeLessThanOrEqual(relative * scale);
}

describe("wasm kernel registration", () => {
  it("replaces or adds each listed kernel on the wasm backend", async () => {
    await initBackend("wasm");
    for (const name of SIMC_WASM_KERNELS) expect(tf.getKernel(name, "wasm"), name).toBeDefined();
  });
});

describe("Conv2DBackpropFilter", () => {
  const cases: Array<{
    x: [number, number, number, number];
    k: number;
    cout: number;
    stride: number;
    pad: "same" | "valid";
  }> = [
    { x: [2, 7, 6, 3], k: 3, cout: 4, stride: 1, pad: "same" },
    { x: [3, 8, 8, 4], k: 3, cout: 8, stride: 1, pad: "valid" },
    { x: [2, 9, 7, 2], k: 3, cout: 3, stride: 2, pad: "same" },
    { x: [2, 6, 6, 1], k: 5, cout: 2, stride: 1, pad: "same" },
    { x: [4, 5, 5, 8], k: 1, cout: 4, stride: 1, pad: "valid" },
    { x: [1, 10, 9, 3], k: 3, cout: 5, stride: 3, pad: "valid" },
    // More output channels than the direct kernel keeps in registers: the patch-matrix path.
    { x: [2, 6, 5, 3], k: 3, cout: 52, stride: 1, pad: "same" },
  ];
  for (const c of cases) {
    it(`matches cpu for x [${c.x}] ${c.k}×${c.k}, stride ${c.stride}, ${c.pad}`, async () => {
      await expectClose(() => {
        const x = t4(c.x, 1);
        const w = t4([c.k, c.k, c.x[3], c.cout], 2);
        const y = tf.conv2d(x, w, c.stride, c.pad);
        const r = t4(y.shape as [number, number, number, number], 3);
        return tf.grad((filter: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, filter as tf.Tensor4D, c.stride, c.pad), r)))(
          w,
        );
      });
    });
  }

  for (const [stride, cout] of [
    [1, 52],
    [2, 4],
  ]) {
    it(`splits the batch into chunks under a small patch budget (patch-matrix path, stride ${stride})`, async () => {
      const compute = () => {
        const x = t4([7, 9, 8, 4], 4);
        const dy = t4([7, Math.ceil(9 / stride), Math.ceil(8 / stride), cout], 5);
        const attrs = { strides: stride, pad: "same", dataFormat: "NHWC", filterShape: [3, 3, 4, cout] };
        return tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, attrs) as tf.Tensor;
      };
      const [reference] = await onCpuAndWasm(compute);
      // Room for two images' patches per chunk (3·3·4 rows; padded columns at stride 1): four
      // chunks, the last one short.
      const perImage = stride === 1 ? 36 * 9 * 10 : 36 * 5 * 4;
      const old = setPatchBudget(2 * perImage);
      try {
        const [, chunked] = await onCpuAndWasm(compute);
        expect(maxDifference(reference, chunked)).toBeLessThan(1e-5 * Math.max(maxMagnitude(reference), 1));
      } finally {
        setPatchBudget(old);
      }
    });
  }
});

describe("Conv2DBackpropInput", () => {
  const cases: Array<{
    x: [number, number, number, number];
    k: number;
    cout: number;
    stride: number;
    pad: "same" | "valid";
  }> = [
    { x: [2, 7, 6, 3], k: 3, cout: 4, stride: 1, pad: "same" },
    { x: [2, 8, 8, 4], k: 3, cout: 8, stride: 1, pad: "valid" },
    { x: [2, 6, 6, 2], k: 5, cout: 3, stride: 1, pad: "same" },
    { x: [2, 9, 7, 2], k: 3, cout: 3, stride: 2, pad: "same" },
  ];
  for (const c of cases) {
    it(`matches cpu for x [${c.x}] ${c.k}×${c.k}, stride ${c.stride}, ${c.pad}`, async () => {
      await expectClose(() => {
        const x = t4(c.x, 6);
        const w = t4([c.k, c.k, c.x[3], c.cout], 7);
        const y = tf.conv2d(x, w, c.stride, c.pad);
        const r = t4(y.shape as [number, number, number, number], 8);
        return tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(input as tf.Tensor4D, w, c.stride, c.pad), r)))(x);
      });
    });
  }
});

describe("MaxPoolGrad", () => {
  it("sends each window's gradient to its first maximum, also for ties and non-positive windows", async () => {
    // Windows (2×2, stride 2) with ties at 1, all-negative windows and all-zero windows.
    const values = [-1, -2, -3, -0.5, 1, 1, 1, 1, -3, -1, -1, -5, 0, 0, 0, 0];
    for (const channels of [1, 4]) {
      const [reference, candidate] = await onCpuAndWasm(() => {
        const x = tf.tensor4d(
          values.flatMap((v) => Array.from({ length: channels }, (_, c) => v + c * 0)),
          [1, 4, 4, channels],
        );
        const weights = tf.tensor4d(
          Array.from({ length: 4 * channels }, (_, i) => i + 1),
          [1, 2, 2, channels],
        );
        return tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, 2, 2, "valid"), weights)))(
          x,
        );
      });
      expect(Array.from(candidate[0])).toEqual(Array.from(reference[0]));
      // The first window's maximum is the tie at (1, 0): all its gradient lands there.
      expect(candidate[0][4 * channels]).toBe(1);
    }
  });

  const cases: Array<{ x: [number, number, number, number]; size: number; stride: number; pad: "same" | "valid" }> = [
    { x: [2, 8, 8, 4], size: 2, stride: 2, pad: "valid" },
    { x: [2, 7, 9, 8], size: 2, stride: 2, pad: "valid" },
    { x: [2, 7, 9, 8], size: 2, stride: 2, pad: "same" },
    { x: [2, 9, 9, 8], size: 3, stride: 2, pad: "same" },
    { x: [2, 7, 6, 3], size: 3, stride: 1, pad: "same" },
    { x: [1, 6, 6, 5], size: 2, stride: 2, pad: "valid" },
  ];
  for (const c of cases) {
    it(`matches cpu for x [${c.x}] ${c.size}×${c.size}/${c.stride} ${c.pad}`, async () => {
      await expectClose(() => {
        // Rounded values create ties inside windows.
        const x = tf.round(tf.mul(t4(c.x, 9), 3));
        const y = tf.maxPool(x as tf.Tensor4D, c.size, c.stride, c.pad);
        const r = t4(y.shape as [number, number, number, number], 10);
        return tf.grad((input: tf.Tensor) =>
          tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, c.size, c.stride, c.pad), r)),
        )(x);
      });
    });
  }
});

describe("OneHot", () => {
  it("writes float32 values (the built-in kernel writes integer bit patterns)", async () => {
    const [reference, candidate] = await onCpuAndWasm(() => [
      tf.oneHot(tf.tensor1d([1, 0, 2, 5, -1], "int32"), 4, 0.9, 0.05, "float32"),
      tf.oneHot(tf.tensor1d([3, 1], "int32"), 4),
    ]);
    expect(Array.from(candidate[0])).toEqual(Array.from(reference[0]));
    expect(Array.from(candidate[1])).toEqual([0, 0, 0, 1, 0, 1, 0, 0]);
  });
});

describe("Sum and Mean", () => {
  const shapes: number[][] = [
    [5, 7, 3, 8],
    [6, 12],
    [4, 9, 10],
    [3, 5, 4, 4],
  ];
  for (const shape of shapes) {
    it(`match cpu over every axis but the last, and over other axes, for [${shape}]`, async () => {
      await expectClose(() => {
        const x = tf.tensor(
          randomArray(
            shape.reduce((a, b) => a * b, 1),
            11,
          ),
          shape,
        );
        const leading = shape.slice(0, -1).map((_, i) => i);
        return [tf.sum(x, leading), tf.mean(x, leading, true), tf.sum(x, shape.length - 1), tf.mean(x, 0), tf.sum(x)];
      });
    });
  }

  it("keeps float32 precision over long columns", async () => {
    const [reference, candidate] = await onCpuAndWasm(() =>
      tf.mean(tf.add(tf.tensor2d(randomArray(200_000 * 4, 12), [200_000, 4]), 1000), 0),
    );
    for (let c = 0; c < 4; c++) expect(Math.abs(candidate[0][c] - reference[0][c])).toBeLessThan(2e-3);
  });
});

describe("UnsortedSegmentSum (the gradient of gather)", () => {
  it("matches cpu", async () => {
    await expectClose(() => {
      const table = tf.tensor2d(randomArray(6 * 5, 13), [6, 5]);
      const indices = tf.tensor1d([0, 2, 2, 5, 1, 0, 2], "int32");
      const r = tf.tensor2d(randomArray(7 * 5, 14), [7, 5]);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, indices), r)))(table);
    });
  });
});

describe("SimcBatchNormGradSums and the batch-norm gradient", () => {
  it("gives the gradients of x, gamma and beta through moments + batchNorm", async () => {
    for (const channels of [8, 6]) {
      await expectClose(() => {
        const x = t4([3, 5, 4, channels], 15);
        const gamma = tf.tensor1d(randomArray(channels, 16));
        const beta = tf.tensor1d(randomArray(channels, 17));
        const r = t4([3, 5, 4, channels], 18);
        const loss = (input: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
          const { mean, variance } = tf.moments(input, [0, 1, 2]);
          return tf.sum(tf.mul(tf.batchNorm(input, mean, variance, b, g, 1e-3), r));
        };
        return tf.grads(loss as (...args: tf.Tensor[]) => tf.Tensor)([x, gamma, beta]);
      }, 2e-5);
    }
  });
});

describe("SimcBatchNormForward and SimcBatchNormBackward", () => {
  // 7,056 rows of 12 channels: rows split across threads, several chunks of rows each.
  for (const relu of [false, true]) {
    it(`match cpu on a large input, split across threads${relu ? ", through a relu" : ""}`, async () => {
      await expectClose(() => {
        const x = t4([9, 28, 28, 12], 19);
        const gamma = tf.tensor1d(randomArray(12, 20));
        const beta = tf.tensor1d(randomArray(12, 21));
        const r = t4([9, 28, 28, 12], 22);
        const forward = (input: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
          batchNormTraining(input as tf.Tensor4D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5, { relu });
        const { y, mean, variance } = forward(x, gamma, beta);
        const grads = tf.grads((input: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(input, g, b).y, r)))([
          x,
          gamma,
          beta,
        ]);
        return [y, mean, variance, ...grads];
      }, 2e-5);
    });
  }
});

describe("BatchMatMul", () => {
  const t = (shape: number[], seed: number) =>
    tf.tensor(
      randomArray(
        shape.reduce((a, b) => a * b, 1),
        seed,
      ),
      shape,
    );
  it("matches cpu with transposed operands, folded batches and general batches", async () => {
    await expectClose(() => [
      tf.matMul(t([7, 5], 20), t([7, 3], 21), true, false),
      tf.matMul(t([7, 5], 22), t([3, 5], 23), false, true),
      tf.matMul(t([5, 7], 24), t([3, 5], 25), true, true),
      tf.matMul(t([4, 6, 5], 26), t([5, 3], 27)),
      tf.matMul(t([2, 3, 6, 5], 28), t([3, 5], 29), false, true),
      tf.matMul(t([4, 5, 6], 30), t([4, 5, 3], 31), true, false),
      tf.matMul(t([4, 6, 5], 32), t([4, 5, 3], 33)),
    ]);
  });

  it("runs a batch of products with a right-hand matrix each as single products on views", async () => {
    await expectClose(() => [
      // Products large enough for the view path (≥ 2¹⁶ multiply-adds each), several per batch, so
      // a wrong view offset or a stale cached operator shows.
      tf.matMul(t([7, 64, 48], 50), t([7, 48, 32], 51)),
      tf.matMul(t([2, 3, 40, 48], 52), t([2, 3, 40, 48], 53), false, true),
      tf.matMul(t([5, 48, 40], 54), t([5, 48, 40], 55), true, false),
      // The same right-hand tensor twice in a row: no operator cached for one view may serve another.
      tf.tidy(() => {
        const right = t([6, 48, 48], 56);
        return tf.matMul(t([6, 32, 48], 57), right).add(tf.matMul(t([6, 32, 48], 58), right));
      }),
    ]);
  });

  it("gives dense layers the same gradients as cpu", async () => {
    await expectClose(() => {
      const x = t([9, 12], 34);
      const w = t([12, 8], 35);
      return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D))))(
        [x, w],
      );
    }, 1e-5);
  });
});

describe("FusedBatchNorm", () => {
  for (const channels of [8, 6]) {
    it(`matches cpu with and without scale and offset (${channels} channels)`, async () => {
      await expectClose(() => {
        const x = t4([3, 4, 5, channels], 40);
        const mean = tf.tensor1d(randomArray(channels, 41));
        const variance = tf.add(tf.abs(tf.tensor1d(randomArray(channels, 42))), 0.1);
        const scale = tf.tensor1d(randomArray(channels, 43));
        const offset = tf.tensor1d(randomArray(channels, 44));
        return [
          tf.batchNorm(x, mean, variance, offset, scale, 1e-3),
          tf.batchNorm(x, mean, variance, undefined, scale, 1e-3),
          tf.batchNorm(x, mean, variance, offset, undefined, 1e-3),
          tf.batchNorm(x, mean, variance),
        ];
      });
    });
  }
});

describe("Identity and Cast", () => {
  it("share the data, which outlives the original tensor", async () => {
    await initBackend("wasm");
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const copy = tf.clone(x);
    const cast = tf.cast(x, "float32");
    const ints = tf.cast(tf.tensor1d([1.7, -2.2]), "int32");
    x.dispose();
    expect(Array.from(await copy.data())).toEqual([1, 2, 3, 4]);
    expect(Array.from(await cast.data())).toEqual([1, 2, 3, 4]);
    expect(Array.from(await ints.data())).toEqual([1, -2]);
    expect(ints.dtype).toBe("int32");
    tf.dispose([copy, cast, ints]);
  });
});

describe("Add, Sub, Multiply and RealDiv with a per-channel operand", () => {
  const t = (shape: number[], seed: number, offset = 0) =>
    tf.add(
      tf.tensor(
        randomArray(
          shape.reduce((a, b) => a * b, 1),
          seed,
        ),
        shape,
      ),
      offset,
    );
  for (const [full, vector] of [
    [[3, 4, 5, 8], [8]],
    [
      [3, 4, 5, 8],
      [1, 1, 1, 8],
    ],
    [
      [6, 12],
      [1, 12],
    ],
    [[3, 4, 5, 6], [6]],
    [
      [3, 4, 8],
      [3, 4, 8],
    ],
    [
      [3, 4, 8],
      [4, 8],
    ],
    [[5, 8], [1]],
    [[3, 4, 5, 6], []],
    [
      [7, 3],
      [1, 1],
    ],
    [[5], []],
    [
      [2, 4],
      [1, 1, 1],
    ],
  ]) {
    it(`match cpu for [${full}] with [${vector}] in both orders`, async () => {
      await expectClose(() => {
        const x = t(full, 50);
        // Divisors kept away from zero.
        const v = t(vector, 51, 3);
        return [
          tf.add(x, v),
          tf.add(v, x),
          tf.sub(x, v),
          tf.sub(v, x),
          tf.mul(x, v),
          tf.mul(v, x),
          tf.div(x, v),
          tf.div(v, tf.add(tf.abs(x), 1)),
        ];
      });
    });
  }
});

describe("Square", () => {
  it("matches cpu for sizes with and without a partial last vector", async () => {
    await expectClose(() => [7, 8, 4096 + 3, 1].map((n) => tf.square(tf.tensor1d(randomArray(n, 60 + n)))));
  });
});
