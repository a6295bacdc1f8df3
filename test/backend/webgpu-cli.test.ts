/**
 * `--backend webgpu` from the command line, on the webgpu adapter found here (Mesa's software
 * one on a machine without a GPU): two optimiser steps of a small digit model give the losses
 * the wasm backend gives, within float32 tolerance, and eval reads the checkpoint; analyze finds
 * the spectrum and the lift the cpu backend finds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAnalyze } from "../../cli/commands/analyze.js";
import { runEval } from "../../cli/commands/eval.js";
import { runTrain } from "../../cli/commands/train.js";
import { serializeIR } from "../../ir/serialize.js";
import { BackendUnavailableError, initBackend } from "../../runtime/backend/index.js";
import { digitMlp, trainRecord } from "../runtime/ir-fixtures.js";
import { capture } from "../train/capture.js";

let dir: string;
let irFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "simc-webgpu-cli-"));
  const module = digitMlp(16);
  module.train = trainRecord(0.01, { seed: 3 });
  irFile = join(dir, "mlp.json");
  writeFileSync(irFile, serializeIR(module));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Trained {
  code: number;
  stderr: string;
  document: { backend: string; steps: number; firstStepMs: number; medianStepMs: number; metrics: { loss: number; accuracy: number } };
  trainLoss: number;
  valLoss: number;
}

async function trainOn(backend: string): Promise<Trained> {
  const out = join(dir, backend);
  // 64 examples at batch 32: two steps.
  const { code, stdout, stderr } = await capture(() => runTrain(irFile, { limit: 64, backend, out, json: true }));
  const record = JSON.parse(readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n")[0]);
  return { code, stderr, document: JSON.parse(stdout), trainLoss: record.trainLoss, valLoss: record.valLoss };
}

/** True when webgpu loads here; otherwise checks that it fails as documented. */
async function webgpuLoads(): Promise<boolean> {
  const loaded = await initBackend("webgpu").then(
    () => undefined,
    (error: unknown) => error,
  );
  if (loaded === undefined) return true;
  expect(loaded).toBeInstanceOf(BackendUnavailableError);
  expect(String(loaded)).toMatch(/backend 'webgpu' is not available: .+\. Available here: /);
  return false;
}

interface AnalysisDocument {
  trajectories: { steps: number } | null;
  spectrum: { verdict: { case: string }; eigen: { modulus: number; kept: boolean }[] } | null;
  lift: { eigenvalues: { re: number; im: number }[] }[];
}

async function analyzeOn(backend: string, options: Record<string, unknown>): Promise<AnalysisDocument> {
  const { code, stdout, stderr } = await capture(() => runAnalyze("specs/mnist/sim-single.sim", { ...options, backend, json: true }));
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as AnalysisDocument;
}

describe("simc train --backend webgpu", () => {
  it("trains two steps whose losses match the wasm backend's, and eval reads its checkpoint", async () => {
    if (!(await webgpuLoads())) return;
    const wasm = await trainOn("wasm");
    const webgpu = await trainOn("webgpu");
    expect(wasm.code).toBe(0);
    expect(webgpu.code).toBe(0);
    expect(webgpu.stderr).not.toMatch(/internal error|OffscreenCanvas|validation:/);
    expect(webgpu.document.backend).toBe("webgpu");
    expect(webgpu.document.steps).toBe(2);
    expect(wasm.document.steps).toBe(2);
    // The first step and the steady state are reported apart.
    expect(wasm.document.firstStepMs).toBeGreaterThan(0);
    expect(wasm.document.medianStepMs).toBeGreaterThan(0);
    // Training moved the model: the test loss is no longer the untrained ln 10.
    expect(Math.abs(wasm.document.metrics.loss - Math.log(10))).toBeGreaterThan(1e-3);
    for (const key of ["trainLoss", "valLoss"] as const) {
      expect(Math.abs(webgpu[key] - wasm[key])).toBeLessThan(1e-4 * Math.max(1, Math.abs(wasm[key])));
    }
    expect(Math.abs(webgpu.document.metrics.loss - wasm.document.metrics.loss)).toBeLessThan(1e-4 * wasm.document.metrics.loss);
    expect(webgpu.document.metrics.accuracy).toBeCloseTo(wasm.document.metrics.accuracy, 3);

    const evaluated = await capture(() => runEval(irFile, { checkpoint: join(dir, "webgpu"), backend: "webgpu", json: true }));
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout).metrics.loss).toBeCloseTo(webgpu.document.metrics.loss, 4);
  }, 120_000);
});

describe("simc analyze --backend webgpu", () => {
  it("iterates the derived cell and reads the lift as the cpu backend does", async () => {
    if (!(await webgpuLoads())) return;
    const dynamics = { samples: 16, steps: 8, rank: 4 };
    const [cpu, webgpu] = [await analyzeOn("cpu", dynamics), await analyzeOn("webgpu", dynamics)];
    expect(webgpu.trajectories?.steps).toBe(8);
    expect(webgpu.spectrum?.verdict.case).toBe(cpu.spectrum?.verdict.case);
    const kept = (d: AnalysisDocument) => d.spectrum?.eigen.filter((e) => e.kept).map((e) => e.modulus) ?? [];
    expect(kept(webgpu)).toHaveLength(kept(cpu).length);
    kept(webgpu).forEach((modulus, i) => expect(Math.abs(modulus - kept(cpu)[i])).toBeLessThan(1e-3));

    const [cpuLift, webgpuLift] = [await analyzeOn("cpu", { target: "sim" }), await analyzeOn("webgpu", { target: "sim" })];
    expect(webgpuLift.lift[0].eigenvalues).toHaveLength(cpuLift.lift[0].eigenvalues.length);
    webgpuLift.lift[0].eigenvalues.forEach((e, i) => {
      expect(e.re).toBeCloseTo(cpuLift.lift[0].eigenvalues[i].re, 5);
      expect(e.im).toBeCloseTo(cpuLift.lift[0].eigenvalues[i].im, 5);
    });
  }, 60_000);
});
