/**
 * `simc eval SPEC|IR --checkpoint DIR`: rebuilds the model the checkpoint was trained from,
 * loads its weights and evaluates it on the test set (image regression: also writes the
 * reconstructed picture into the run directory). A spec whose model no longer matches the one
 * the run trained (its fingerprint in `settings.json`) is refused. `--json` prints only a
 * versioned document (an error document on failure).
 */
import { join, resolve } from "node:path";
import type { Value } from "../../core/values.js";
import { fingerprintChanges, modelFingerprint } from "../../ir/fingerprint.js";
import type { IRModule } from "../../ir/types.js";
import { initBackend } from "../../runtime/backend/index.js";
import { CheckpointError, readManifest, restoreCheckpoint } from "../../runtime/checkpoint.js";
import { createExecutor } from "../../runtime/executor.js";
import { writeReconstruction } from "../../runtime/reconstruct.js";
import { readRunJson, SETTINGS_FILE, type RunSettings } from "../../runtime/run-files.js";
import { evaluateSplit } from "../../runtime/train/evaluate.js";
import { defaultBudget, requireWithinBudget } from "../../runtime/memory-budget.js";
import { CommandUsageError, dataBaseDir, reportFailure, loadDataOrFail, loadModuleOrFail, type CliOptions, type ExitCode } from "../command-kit.js";
import { booleanFlag, byteSizeFlag, stringFlag } from "../flags.js";

/** Examples per evaluation batch. */
const EVAL_BATCH = 500;

/** Refuses a model whose parameters mean something else than the run's (changed σ, ranks, layers). */
function checkSameModel(dir: string, file: string, module: IRModule): void {
  const settings = readRunJson<RunSettings>(dir, SETTINGS_FILE);
  if (!settings?.fingerprint) return; // runs recorded before fingerprints: the checkpoint's shapes are still checked
  const now = modelFingerprint(module);
  if (now.hash === settings.fingerprint.hash) return;
  const { changed, added, removed } = fingerprintChanges(settings.fingerprint, now);
  const parts = [...removed.map((p) => `${p} is gone`), ...added.map((p) => `${p} is new`), ...changed.map((p) => `${p} changed`)];
  const shown = parts.slice(0, 6).join("; ") + (parts.length > 6 ? `; and ${parts.length - 6} more` : "");
  throw new CheckpointError(`${file} does not describe the model the run in ${dir} was trained with (${shown}); its numbers would be stale`, {
    file,
    hint: `evaluate with the spec the run was trained from (${settings.spec.file}; a copy of its text is ${join(dir, settings.spec.copy)}), or train the changed spec`,
  });
}

export async function runEval(file: unknown, options: CliOptions): Promise<ExitCode> {
  const json = options.json === true;
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  try {
    if (typeof file !== "string" || file === "") throw new CommandUsageError("eval needs a .sim spec or a compiled .json IR file", "SIM7204");
    const checkpoint = stringFlag(options, "checkpoint", "checkpoint");
    if (checkpoint === undefined) {
      throw new CommandUsageError("eval needs --checkpoint DIR (the run directory `simc train --out DIR` wrote)", "SIM7204");
    }
    const data = stringFlag(options, "data", "data");
    const memory = byteSizeFlag(options, "memory", "memory") ?? defaultBudget();
    booleanFlag(options, "json", "json");
    const dir = resolve(checkpoint);
    const manifest = readManifest(dir);
    const backend = await initBackend(stringFlag(options, "backend", "backend"));
    say(`backend: ${backend.detail}`);

    const module = loadModuleOrFail(file, {
      model: manifest.model,
      target: manifest.target === "deq" ? "deq" : "sim",
      seed: manifest.config.seed,
    });
    requireWithinBudget(module, "eval", EVAL_BATCH, memory);
    checkSameModel(dir, file, module);
    const config = data === undefined ? manifest.config : { ...manifest.config, data: data as Value };
    const dataset = await loadDataOrFail(module, config, data !== undefined ? process.cwd() : dataBaseDir(file, module));
    const executor = createExecutor(module, { seed: config.seed });
    try {
      restoreCheckpoint(dir, executor);
      const started = performance.now();
      const result = await evaluateSplit(executor, dataset.test, {
        loss: config.loss,
        inputShape: dataset.inputShape,
        classify: dataset.task === "classify",
        psnr: dataset.meta?.image !== undefined,
        batchSize: EVAL_BATCH,
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
