/**
 * The kernel thread pool: every call runs once, on its own thread, on the shared memory; a
 * failing call is reported to the caller; without shared memory the caller runs alone.
 */
import { describe, expect, it } from "vitest";
import { encodeModule, Fn } from "../../runtime/backend/simd/assembler.js";
import { ThreadPool } from "../../runtime/backend/simd/threads.js";

/** fill(pointer, count, value): count i32 stores of value. */
function fillModule(shared: boolean): { bytes: Uint8Array; names: string[] } {
  const fn = new Fn("fill", ["i32", "i32", "i32"]);
  const i = fn.local("i32");
  fn.forRange(
    i,
    () => fn.i32(0),
    () => fn.get(1),
    1,
    () => {
      fn.get(0).get(i).i32(4).i32Mul().i32Add().get(2).i32Store();
    },
  );
  return { bytes: encodeModule([fn], { shared }), names: ["fill"] };
}

const WebAssemblyApi = (
  globalThis as unknown as { WebAssembly: { Memory: new (d: object) => { buffer: ArrayBuffer } } }
).WebAssembly;

describe("ThreadPool", () => {
  it("runs each call once, the first on the caller, on shared memory", () => {
    const memory = new WebAssemblyApi.Memory({ initial: 4, maximum: 16, shared: true });
    const pool = new ThreadPool(memory, 3);
    expect(pool.size).toBe(3);
    const { bytes, names } = fillModule(true);
    const module = pool.load(bytes, names);
    for (let round = 1; round <= 3; round++) {
      pool.run(module, "fill", [
        [0, 1000, 10 * round + 1],
        [4000, 1000, 10 * round + 2],
        [8000, 1000, 10 * round + 3],
      ]);
      const view = new Int32Array(memory.buffer);
      expect([view[0], view[999], view[1000], view[1999], view[2000], view[2999]]).toEqual(
        [1, 1, 2, 2, 3, 3].map((t) => 10 * round + t),
      );
    }
  });

  it("reports a call that traps on a worker", () => {
    const memory = new WebAssemblyApi.Memory({ initial: 1, maximum: 2, shared: true });
    const pool = new ThreadPool(memory, 2);
    const { bytes, names } = fillModule(true);
    const module = pool.load(bytes, names);
    // 65536 bytes of memory: a million stores run off its end.
    expect(() =>
      pool.run(module, "fill", [
        [0, 4, 1],
        [0, 1_000_000, 1],
      ]),
    ).toThrow(/a kernel thread failed: .*out of bounds/);
    // The pool still works afterwards.
    pool.run(module, "fill", [
      [0, 4, 7],
      [16, 4, 8],
    ]);
    expect(Array.from(new Int32Array(memory.buffer, 0, 8))).toEqual([7, 7, 7, 7, 8, 8, 8, 8]);
  });

  it("has only the caller on unshared memory", () => {
    const memory = new WebAssemblyApi.Memory({ initial: 1 });
    const pool = new ThreadPool(memory, 4);
    expect(pool.size).toBe(1);
    const { bytes, names } = fillModule(false);
    pool.run(pool.load(bytes, names), "fill", [[0, 3, 5]]);
    expect(Array.from(new Int32Array(memory.buffer, 0, 4))).toEqual([5, 5, 5, 0]);
  });
});
