/**
 * Real processes: a training run killed with SIGKILL at random moments and resumed each time
 * ends with the same weights as an uninterrupted run (cpu backend: bit-exact), and two trains
 * into one run directory cannot both write it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeIR } from "../../ir/serialize.js";
import { makeWorkspace, pixelModel, simc, spawnSimc } from "./workspace.js";

let w: ReturnType<typeof makeWorkspace>;
const EPOCHS = 40;

beforeAll(() => {
  w = makeWorkspace();
  writeFileSync(w.at("long.json"), serializeIR(pixelModel("relu", { epochs: EPOCHS, batch: 8 })));
});
afterAll(() => w.leave());

/** Resolves when the child prints `marker`, or exits first (then: false). */
function printed(child: ChildProcess, marker: string): Promise<boolean> {
  return new Promise((resolve) => {
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(marker)) resolve(true);
    });
    child.on("exit", () => resolve(false));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.on("exit", (code, signal) => resolve({ code, signal }));
  });

function finalWeights(dir: string): { epoch: number; bytes: Buffer } {
  const manifest = JSON.parse(readFileSync(`${dir}/checkpoint.json`, "utf8")) as { epoch: number; weights: string };
  return { epoch: manifest.epoch, bytes: readFileSync(`${dir}/${manifest.weights}`) };
}

/** A small seeded generator: the kill moments differ per run and are printed on failure. */
function moments(seed: number, count: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return 150 + (state / 2 ** 32) * 1200;
  });
}

describe("runs as processes", () => {
  it("killed at random moments and resumed, a run ends with the uninterrupted run's weights", async () => {
    const reference = await simc(["train", w.at("long.json"), "--backend", "cpu", "--out", w.at("reference")]);
    expect(reference.code, reference.stderr).toBe(0);

    const seed = Date.now() % 100_000;
    const delays = moments(seed, 3);
    const killed: number[] = [];
    for (const delay of delays) {
      const child = spawnSimc(["train", w.at("long.json"), "--backend", "cpu", "--resume", "--out", w.at("killed")]);
      const training = await printed(child, "train:");
      if (training) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        // By PID, the way a crash or an out-of-memory killer ends it: no handler runs.
        if (child.exitCode === null) process.kill(child.pid as number, "SIGKILL");
      }
      const end = await exited(child);
      if (end.signal === "SIGKILL") killed.push(existsSync(w.at("killed", "checkpoint.json")) ? finalWeights(w.at("killed")).epoch : 0);
      else expect(end.code, `seed ${seed}`).toBe(0);
    }
    // At least one kill landed while training (a machine can be slow; the run is long enough).
    expect(killed.length, `seed ${seed}, delays ${delays.map(Math.round)}`).toBeGreaterThan(0);

    const resumed = await simc(["train", w.at("long.json"), "--backend", "cpu", "--resume", "--out", w.at("killed")]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const a = finalWeights(w.at("reference"));
    const b = finalWeights(w.at("killed"));
    expect(b.epoch).toBe(EPOCHS);
    expect(a.epoch).toBe(EPOCHS);
    expect(Buffer.compare(a.bytes, b.bytes), `seed ${seed}: killed after epochs ${killed.join(", ")}`).toBe(0);
    expect(existsSync(w.at("killed", "run.lock"))).toBe(false);
  }, 90_000);

  it("of two trains into one directory, one refuses naming the other and one completes", async () => {
    const first = spawnSimc(["train", w.at("long.json"), "--backend", "cpu", "--epochs", "10", "--out", w.at("shared")]);
    let stderr = "";
    first.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    expect(await printed(first, "train:")).toBe(true);

    const second = await simc(["train", w.at("long.json"), "--backend", "cpu", "--epochs", "3", "--out", w.at("shared")]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("error[SIM7104]");
    expect(second.stderr).toContain(`process ${first.pid}`);

    const end = await exited(first);
    expect(end.code, stderr).toBe(0);
    // The checkpoint is the first run's, whole: its ten epochs, and a weights file that loads.
    expect(finalWeights(w.at("shared")).epoch).toBe(10);
    const evaluated = await simc(["eval", w.at("long.json"), "--backend", "cpu", "--checkpoint", w.at("shared")]);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(existsSync(w.at("shared", "run.lock"))).toBe(false);
  }, 60_000);
});
