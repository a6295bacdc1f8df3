/**
 * What cannot be exported fails with a coded message and exit 1, and leaves no file behind:
 * a solver without a graph form, a DEQ asked for as TensorFlow.js, a run directory without a
 * checkpoint, an output path that cannot be written, an unknown format.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "../../runtime/tf.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExport } from "../../cli/commands/export.js";
import type { CliOptions } from "../../cli/command-kit.js";
import { capture } from "../train/capture.js";

let root: string;
beforeAll(async () => {
  await tf.setBackend("cpu");
  root = mkdtempSync(join(tmpdir(), "simc-export-fail-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const exportCapturing = (path: string, options: CliOptions) => capture(() => runExport(path, options));

describe("simc export failures", () => {
  it("names the solvers that export when the DEQ's solver has no graph form", async () => {
    const out = join(root, "anderson.onnx");
    const { code, stderr } = await exportCapturing("specs/mnist/sim-single.sim", { target: "deq", out });
    expect(code).toBe(1);
    expect(stderr).toMatch(/specs\/mnist\/sim-single\.sim:\d+:\d+: error\[SIM8101\]: .*solver anderson has no graph form\n  help: .*picard and averaged/);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a monotone DEQ solved by Peaceman–Rachford", async () => {
    const out = join(root, "mondeq.onnx");
    const { code, stderr } = await exportCapturing("specs/mnist/mondeq.sim", { out });
    expect(code).toBe(1);
    expect(stderr).toMatch(/error\[SIM8101\]: .*peaceman_rachford/);
    expect(existsSync(out)).toBe(false);
  });

  it("sends DEQs to ONNX when TensorFlow.js is asked for", async () => {
    const out = join(root, "pcdeq-tfjs");
    const { code, stderr } = await exportCapturing("specs/mnist/pcdeq.sim", { format: "tfjs", out });
    expect(code).toBe(1);
    expect(stderr).toMatch(/error\[SIM8103\]: .*--format onnx/);
    expect(existsSync(out)).toBe(false);
  });

  it("reports a run directory without a checkpoint", async () => {
    const run = join(root, "empty-run");
    mkdirSync(run);
    const { code, stderr } = await exportCapturing(run, {});
    expect(code).toBe(1);
    expect(stderr).toMatch(/error\[SIM8104\]: .*no checkpoint here/);
    expect(readdirSync(run)).toEqual([]);
  });

  it("reports an output path it cannot write and leaves nothing behind", async () => {
    const blocker = join(root, "a-file");
    writeFileSync(blocker, "not a folder");
    for (const [format, out] of [
      ["onnx", join(blocker, "model.onnx")],
      ["tfjs", join(blocker, "tfjs")],
    ]) {
      const { code, stderr } = await exportCapturing("specs/image-regression/sim-single.sim", { format, out });
      expect(code).toBe(1);
      expect(stderr).toMatch(/error\[SIM8105\]: cannot write .*a-file/);
    }
    expect(readdirSync(root).filter((f) => f.startsWith(".") || f.endsWith(".tmp"))).toEqual([]);
  });

  it("rejects an unknown format with the ones it knows", async () => {
    const { code, stderr } = await exportCapturing("specs/image-regression/sim-single.sim", { format: "tflite" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/error\[SIM8106\]: --format must be onnx or tfjs, got 'tflite'/);
  });
});
