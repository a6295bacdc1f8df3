/**
 * The wasm backend's Sin and Cos (simc's SIMD kernels): against Math.sin and Math.cos over
 * many scales of argument, including those past the exact reduction (redone in JavaScript),
 * special values, sizes that leave a partial last vector, and tensors split between threads;
 * and their gradients against the cpu backend.
 */
import * as tf from "../../runtime/tf.js";
import { describe, expect, it } from "vitest";
import { initBackend } from "../../runtime/backend/index.js";
import { SINE_EXACT_LIMIT } from "../../runtime/backend/simd/sine-kernel.js";
import { maxDifference, onCpuAndWasm, randomArray } from "./compare.js";

const SPECIAL = [
  0,
  -0,
  Number.NaN,
  Infinity,
  -Infinity,
  1e30,
  -1e-30,
  1e-40,
  Math.PI,
  Math.PI / 2,
  SINE_EXACT_LIMIT,
  -SINE_EXACT_LIMIT,
];

/** `length` arguments: the special values, then uniform in ±scale for scales 1 … 10⁶ in turn. */
function arguments_(length: number, seed: number): Float32Array {
  const unit = randomArray(length, seed);
  const scales = [1, 10, 100, 1000, SINE_EXACT_LIMIT, 3 * SINE_EXACT_LIMIT, 1e6];
  const x = unit.map((u, i) => u * scales[i % scales.length]);
  x.set(SPECIAL.slice(0, Math.min(SPECIAL.length, length)));
  return x;
}

describe("Sin and Cos on wasm", () => {
  // Partial last vectors; one thread; several threads.
  for (const length of [1, 7, 1001, 300_003]) {
    it(`match Math.sin and Math.cos to within one float32 rounding (${length} elements)`, async () => {
      await initBackend("wasm");
      const x = arguments_(length, length);
      const input = tf.tensor1d(x);
      for (const [op, exact] of [
        [tf.sin, Math.sin],
        [tf.cos, Math.cos],
      ] as const) {
        const result = op(input);
        const got = await result.data();
        result.dispose();
        let worst = 0;
        for (let i = 0; i < length; i++) {
          const expected = Math.fround(exact(x[i]));
          if (Number.isNaN(expected)) expect(got[i], `${op.name}(${x[i]})`).toBeNaN();
          else worst = Math.max(worst, Math.abs(got[i] - expected));
        }
        // One rounding of a value below 1 is at most 2⁻²⁴; the kernel stays within two.
        expect(worst, op.name).toBeLessThanOrEqual(2 ** -23);
      }
      input.dispose();
    });
  }

  it("give the same gradients as cpu", async () => {
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor1d(randomArray(4099, 5).map((u) => 40 * u));
      return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.sin(v), tf.cos(tf.mul(v, 3)))))(x);
    });
    expect(maxDifference(cpu, wasm)).toBeLessThanOrEqual(1e-5 * 4);
  });
});
