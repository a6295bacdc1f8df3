/**
 * Backend selection: forcing cpu and wasm works and reports what runs; an absent or unknown
 * backend is a clear error naming what is available; the default picks the best available.
 */
import * as tf from "../../runtime/tf.js";
import { describe, expect, it } from "vitest";
import { BackendUnavailableError, initBackend } from "../../runtime/backend/index.js";

async function nativeInstalled(): Promise<boolean> {
  for (const name of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
    try {
      const specifier: string = name;
      await import(specifier);
      return true;
    } catch {
      // not installed
    }
  }
  return false;
}

describe("initBackend", () => {
  it("forces cpu", async () => {
    const info = await initBackend("cpu");
    expect(info.name).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(info.detail).toMatch(/^cpu/);
  });

  it("forces wasm, reports SIMD and threads, and computes", async () => {
    const info = await initBackend("WASM");
    expect(info.name).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(info.detail).toMatch(/^wasm \((no )?SIMD, \d+ threads?\)$/);
    expect(
      Array.from(tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])).dataSync()),
    ).toEqual([19, 22, 43, 50]);
  });

  it("leaves the process's error handlers as they were", async () => {
    const before = process.listeners("uncaughtException").length;
    await initBackend("wasm");
    expect(process.listeners("uncaughtException").length).toBe(before);
  });

  it("switches back and forth between backends", async () => {
    await initBackend("wasm");
    const a = tf.tensor1d([1, 2, 3]);
    await initBackend("cpu");
    expect(Array.from(tf.mul(a, 2).dataSync())).toEqual([2, 4, 6]);
    expect((await initBackend("wasm")).name).toBe("wasm");
  });

  it("rejects an unknown name and lists the valid ones", async () => {
    await expect(initBackend("tpu")).rejects.toThrow(BackendUnavailableError);
    await expect(initBackend("tpu")).rejects.toThrow(
      "unknown backend 'tpu': choose one of tensorflow, wasm, cpu, webgpu",
    );
  });

  it("explains a missing tensorflow backend and lists what is available", async () => {
    if (await nativeInstalled()) {
      expect((await initBackend("tensorflow")).name).toBe("tensorflow");
      return;
    }
    const error = await initBackend("tensorflow").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackendUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain("backend 'tensorflow' is not available");
    expect(message).toContain("@tensorflow/tfjs-node is not installed");
    expect(message).toContain("npm install @tensorflow/tfjs-node");
    expect(message).toMatch(/Available here: .*wasm.*cpu/);
  });

  it("picks the best available backend by default", async () => {
    const info = await initBackend();
    expect(info.name).toBe((await nativeInstalled()) ? "tensorflow" : "wasm");
  });
});
