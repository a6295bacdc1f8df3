/**
 * What a run directory records about its run beyond the checkpoint: at the start the settings,
 * backend, model fingerprint and a copy of the spec (`settings.json`, `spec.sim`); at the end the
 * test metrics and timings (`test.json`). A resumed run keeps the start time of the run it
 * continues.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic-write.js";
import { modelFingerprint } from "../ir/fingerprint.js";
import type { IRModule } from "../ir/types.js";
import type { Dataset } from "./data/types.js";
import {
  readRunJson,
  RUN_FILES_VERSION,
  SETTINGS_FILE,
  specCopyName,
  writeRunSettings,
  writeTestRecord,
  type RunSettings,
  type TestRecord,
} from "./run-files.js";
import type { TrainConfig } from "./train/config.js";
import type { TrainResult } from "./train/train.js";

export interface RunStartInfo {
  /** The spec or IR file the run was started from. */
  file: string;
  module: IRModule;
  config: TrainConfig;
  backend: { name: string; detail: string };
  dataset: Dataset;
  commandLine: Record<string, string>;
}

export function beginRunRecord(dir: string, info: RunStartInfo): RunSettings {
  const text = readFileSync(info.file);
  const copy = specCopyName(info.file);
  writeFileAtomic(join(dir, copy), text);
  const earlier = readRunJson<RunSettings>(dir, SETTINGS_FILE);
  const { module, dataset } = info;
  const settings: RunSettings = {
    version: RUN_FILES_VERSION,
    model: module.model,
    target: module.target,
    ...(module.variant ? { variant: module.variant } : {}),
    spec: {
      file: info.file,
      sha256: createHash("sha256").update(text).digest("hex"),
      copy,
    },
    backend: info.backend,
    settings: info.config,
    commandLine: info.commandLine,
    parameters: {
      trainable: module.trainableParams,
      frozen: module.frozenParams,
    },
    fingerprint: modelFingerprint(module),
    data: {
      name: dataset.name,
      train: dataset.train.count,
      validation: dataset.validation?.count ?? 0,
      test: dataset.test.count,
    },
    startedAt: earlier?.startedAt ?? new Date().toISOString(),
  };
  writeRunSettings(dir, settings);
  return settings;
}

/** Writes `test.json` when the run finished (a run stopped early has no test metrics). */
export function finishRunRecord(dir: string, result: TrainResult): TestRecord | undefined {
  const test = result.test;
  if (!test) return undefined;
  const record: TestRecord = {
    version: RUN_FILES_VERSION,
    loss: test.loss,
    ...(test.accuracy !== undefined ? { accuracy: test.accuracy } : {}),
    ...(test.psnr !== undefined ? { psnr: test.psnr } : {}),
    count: test.count,
    ...(test.solver ? { solver: test.solver } : {}),
    epochs: result.history.length,
    steps: result.history[result.history.length - 1]?.step ?? 0,
    msPerStep: result.msPerStep,
    wallSeconds: result.history.reduce((sum, r) => sum + r.seconds, 0),
    finishedAt: new Date().toISOString(),
  };
  writeTestRecord(dir, record);
  return record;
}
