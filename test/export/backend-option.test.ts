/**
 * `simc export --backend NAME`: accepted like the other commands' flag; the export computes on
 * cpu whatever is named (it only reads weights) and writes the same file, and says so.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExport } from "../../cli/commands/export.js";
import { capture } from "../train/capture.js";

const SPEC = "specs/mnist/sim-single.sim";
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "simc-export-backend-"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("simc export --backend", () => {
  it("exports on cpu when webgpu is named: the same file, with a note", async () => {
    const plain = join(dir, "plain.onnx");
    const named = join(dir, "webgpu.onnx");
    expect((await capture(() => runExport(SPEC, { out: plain }))).code).toBe(0);
    const run = await capture(() => runExport(SPEC, { out: named, backend: "webgpu", json: true }));
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ format: "onnx", backend: "cpu" });
    expect(run.stderr).toContain("note: export computes on the cpu backend, not webgpu");
    expect(readFileSync(named).equals(readFileSync(plain))).toBe(true);
  });

  it("refuses an unknown backend with the code the other commands use", async () => {
    const run = await capture(() => runExport(SPEC, { out: join(dir, "x.onnx"), backend: "gpu", json: true }));
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, diagnostics: [{ code: "SIM6401" }] });
  });
});
