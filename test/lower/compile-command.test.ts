import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCompile, type CompileDocument } from "../../cli/commands/compile.js";
import { parseIR } from "../../ir/serialize.js";

const dir = mkdtempSync(join(tmpdir(), "simc-compile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function compile(file: string, options: Record<string, unknown> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCompile(file, options, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), color: false });
  return { code, stdout, stderr };
}

const TWO_MODELS = `
model first {
  input: [4]
  task: classify(classes: 3)
  basis { dense(units: 6) }
  lift: koopman(m: 6, r: 3)
  surrogate { dense(units: 5) relu() }
}

model second {
  input: [4]
  task: regress(outputs: 2)
  deq { cell: dense(units: 5) }
}
`;

describe("simc compile", () => {
  it("writes the IR to stdout and the summary to stderr", async () => {
    const { code, stdout, stderr } = await compile("specs/mnist/sim-single.sim", { target: "sim" });
    expect(code).toBe(0);
    const { module, diagnostics } = parseIR(stdout, "stdout");
    expect(diagnostics).toEqual([]);
    expect(module).toMatchObject({ model: "mnist_sim_single", target: "sim", variant: "single", trainableParams: 81480 });
    expect(stderr).toContain("sim target (default): 81,480 trainable");
    expect(stderr).toContain("compiled mnist_sim_single → sim (single)");
    expect(stderr).not.toContain("well-posedness");
  });

  it("writes -o atomically and states the certificate for the deq target", async () => {
    const out = join(dir, "nested", "deq.json");
    const { code, stdout, stderr } = await compile("specs/mnist/mondeq.sim", { out });
    expect(code).toBe(0);
    expect(stdout).toBe("");
    const { module } = parseIR(readFileSync(out, "utf8"), out);
    expect(module!.target).toBe("deq"); // the spec's default target
    expect(module!.certificate!.guaranteed).toBe(true);
    expect(stderr).toMatch(/well-posedness: guaranteed — monotone cell: .*I − W ⪰ m·I/);
    expect(readdirSync(join(dir, "nested"))).toEqual(["deq.json"]); // no temporary file left
  });

  it("--seed changes the parameter seeds, and the default seed is the spec's", async () => {
    const a = parseIR((await compile("specs/mnist/sim-single.sim", { seed: 5 })).stdout, "a").module!;
    const b = parseIR((await compile("specs/mnist/sim-single.sim", { seed: "5" })).stdout, "b").module!;
    const c = parseIR((await compile("specs/mnist/sim-single.sim")).stdout, "c").module!;
    expect(a.source!.seed).toBe(5);
    expect(a.params).toEqual(b.params);
    expect(c.source!.seed).toBe(0);
    expect(a.params[0].seed).not.toBe(c.params[0].seed);
  });

  it("--json prints one document with the diagnostics and the result", async () => {
    const out = join(dir, "sim.json");
    const { code, stdout } = await compile("specs/mnist/sim-two.sim", { json: true, out, target: "deq" });
    expect(code).toBe(0);
    const document = JSON.parse(stdout) as CompileDocument;
    expect(document).toMatchObject({ version: 1, files: ["specs/mnist/sim-two.sim"], ok: true, model: "mnist_sim_two", target: "deq", output: out });
    expect(document.certificate!.guaranteed).toBe(false);
    expect(Array.isArray(document.diagnostics)).toBe(true);
    expect(existsSync(out)).toBe(true);

    const inline = JSON.parse((await compile("specs/mnist/sim-two.sim", { json: true })).stdout) as CompileDocument;
    expect(inline.ir!.variant).toBe("two");
  });

  it("exits 1 with a located diagnostic when the model cannot lower to the target", async () => {
    const { code, stdout, stderr } = await compile("specs/mnist/mondeq.sim", { target: "sim" });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^specs\/mnist\/mondeq\.sim:\d+:\d+: error\[SIM5001\]: model 'mnist_mondeq' has no SIM parts to lower/m);
    expect(stderr).toContain("help: compile it with --target deq");

    const json = await compile("specs/mnist/mondeq.sim", { target: "sim", json: true });
    expect(json.code).toBe(1);
    const document = JSON.parse(json.stdout) as CompileDocument;
    expect(document.ok).toBe(false);
    expect(document.diagnostics[0]).toMatchObject({ code: "SIM5001", file: "specs/mnist/mondeq.sim" });
    expect(document.diagnostics[0].loc.start).toBeGreaterThan(0); // offsets filled from the source
  });

  it("exits 1 on a spec with errors, rendering the checker's diagnostics", async () => {
    const file = join(dir, "broken.sim");
    writeFileSync(file, "model broken {\n  input: [4]\n  task: classify(classes: 3)\n  basis { dense(units: 6) }\n  lift: koopman(m: 7)\n  surrogate { dense(units: 5) }\n}\n");
    const { code, stderr } = await compile(file);
    expect(code).toBe(1);
    expect(stderr).toMatch(/broken\.sim:5:\d+: error\[SIM3005\]/);
  });

  it("exits 2 on usage errors", async () => {
    expect((await compile("specs/mnist/sim-single.sim", { target: "gpu" })).stderr).toContain("--target must be sim or deq, got 'gpu'");
    expect((await compile("specs/mnist/sim-single.sim", { target: "gpu" })).code).toBe(2);
    expect((await compile("specs/mnist/sim-single.sim", { seed: -1 })).code).toBe(2);
    expect((await compile("specs/mnist/sim-single.sim", { seed: "x" })).code).toBe(2);
    const missing = await compile(join(dir, "missing.sim"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error[SIM1001]");
    const unknown = await compile("specs/mnist/sim-single.sim", { model: "nope" });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("has no model 'nope'; it declares mnist_sim_single");
  });

  it("asks which model when a file declares several", async () => {
    const file = join(dir, "two.sim");
    writeFileSync(file, TWO_MODELS);
    const ambiguous = await compile(file);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("declares 2 models (first, second); choose one with --model NAME");
    const second = await compile(file, { model: "second" });
    expect(second.code).toBe(0);
    expect(parseIR(second.stdout, "s").module).toMatchObject({ model: "second", target: "deq", task: { kind: "regress", outputs: 2 } });
  });
});
