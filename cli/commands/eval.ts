/**
 * `simc eval SPEC|IR --checkpoint DIR`: rebuilds the model the checkpoint was trained from,
 * loads its weights and evaluates it on the test set (image regression: also writes the
 * reconstructed picture into the run directory). `--json` prints only a versioned document.
 */
import { resolve } from "node:path";
import type { Value } from "../../core/values.js";
import { initBackend } from "../../runtime/backend/index.js";
import { readManifest, restoreCheckpoint } from "../../runtime/checkpoint.js";
import { createExecutor } from "../../runtime/executor.js";
import { writeReconstruction } from "../../runtime/reconstruct.js";
import { evaluateSplit } from "../../runtime/train/evaluate.js";
import { CommandUsageError, dataBaseDir, reportFailure, loadDataOrFail, loadModuleOrFail, type CliOptions, type ExitCode } from "../command-kit.js";

export async function runEval(file: unknown, options: CliOptions): Promise<ExitCode> {
  const json = options.json === true;
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  try {
    if (typeof file !== "string" || file === "") throw new CommandUsageError("eval needs a .sim spec or a compiled .json IR file");
    if (typeof options.checkpoint !== "string" || options.checkpoint === "") {
      throw new CommandUsageError("eval needs --checkpoint DIR (the run directory `simc train --out DIR` wrote)");
    }
    if (options.data !== undefined && (typeof options.data === "boolean" || options.data === ""))
      throw new CommandUsageError("--data expects a value");
    const dir = resolve(options.checkpoint);
    const manifest = readManifest(dir);
    const backend = await initBackend(typeof options.backend === "string" ? options.backend : undefined);
    say(`backend: ${backend.detail}`);

    const module = loadModuleOrFail(file, {
      model: manifest.model,
      target: manifest.target === "deq" ? "deq" : "sim",
      seed: manifest.config.seed,
    });
    const config = options.data === undefined ? manifest.config : { ...manifest.config, data: String(options.data) as Value };
    const dataset = await loadDataOrFail(module, config, options.data !== undefined ? process.cwd() : dataBaseDir(file, module));
    const executor = createExecutor(module, { seed: config.seed });
    try {
      restoreCheckpoint(dir, executor);
      const started = performance.now();
      const result = await evaluateSplit(executor, dataset.test, {
        loss: config.loss,
        inputShape: dataset.inputShape,
        classify: dataset.task === "classify",
        psnr: dataset.meta?.image !== undefined,
        batchSize: 500,
      });
      const seconds = (performance.now() - started) / 1000;
      const reconstruction = dataset.meta?.image ? await writeReconstruction(dir, executor, dataset.meta.image) : undefined;
      const metric =
        result.accuracy !== undefined
          ? `accuracy ${(100 * result.accuracy).toFixed(2)}%  `
          : result.psnr !== undefined
            ? `PSNR ${result.psnr.toFixed(2)} dB  `
            : "";
      say(`checkpoint: ${dir} (epoch ${manifest.epoch}, ${manifest.model}, ${manifest.target})`);
      say(`test: ${metric}loss ${result.loss.toFixed(4)}  (${result.count.toLocaleString("en-US")} examples, ${seconds.toFixed(1)} s)`);
      if (result.solver)
        say(`solver: ${result.solver.meanSteps.toFixed(1)} steps, ${(100 * result.solver.notConverged).toFixed(2)}% not converged`);
      if (reconstruction) say(`reconstruction: ${reconstruction}`);
      if (json) {
        const metrics: Record<string, number> = { loss: result.loss };
        if (result.accuracy !== undefined) metrics.accuracy = result.accuracy;
        if (result.psnr !== undefined) metrics.psnr = result.psnr;
        const document = {
          version: 1,
          model: module.model,
          target: module.target,
          backend: backend.name,
          checkpoint: dir,
          epoch: manifest.epoch,
          data: { name: dataset.name, test: result.count },
          metrics,
          solver: result.solver ?? null,
          reconstruction: reconstruction ?? null,
          wallSeconds: seconds,
        };
        process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      }
      return 0;
    } finally {
      executor.dispose();
    }
  } catch (error) {
    return reportFailure("eval", error, typeof file === "string" ? file : "", json);
  }
}
