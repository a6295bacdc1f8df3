/**
 * `simc tune SPEC`: the search a model's `search { … }` section describes — sampled trials,
 * FIFO or ASHA — run in child processes here (`--concurrency K`) or as jobs on a Redis queue
 * served by `simc worker` processes (`--queue redis://HOST:PORT/DB`). A live table while it
 * runs; at the end the trials ranked by their metric, the best configuration written out as a
 * spec, and with `--retrain R` that spec trained R more times (seeds 1…R), test mean ± std.
 * The search directory's journal makes `--resume` continue a killed search.
 * Exit codes: 0 searched, 1 problems in the input (spec, options, Redis unreachable), 2 internal.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../../core/atomic-write.js";
import { checkEntry } from "../../compiler/check.js";
import type { CheckedModel } from "../../compiler/checked-model.js";
import { RUNTIME_CODES } from "../../core/codes/runtime.js";
import { hasErrors } from "../../core/diagnostic.js";
import { CodedFailure } from "../../core/failure.js";
import { formatSim } from "../../grammar/format.js";
import type { TrialEvents } from "../../search/executor.js";
import type { Journal } from "../../search/journal.js";
import { LocalExecutor } from "../../search/local-executor.js";
import { retrain, type RetrainResult } from "../../search/retrain.js";
import { renderTable, statusCounts } from "../../search/table.js";
import { rankTrials, Tuner } from "../../search/tuner.js";
import { renderDiagnostics } from "../render-diagnostic.js";
import { InputError, reportFailure, type CliOptions, type ExitCode } from "../command-kit.js";

export const TUNE_JSON_VERSION = 1;
export const BEST_SPEC_FILE = "best.sim";

interface TuneOptions {
  samples?: number;
  concurrency: number;
  out?: string;
  resume: boolean;
  json: boolean;
  retrain: number;
  queue?: string;
  limit?: number;
  backend?: string;
  model?: string;
}

function positiveInteger(options: CliOptions, key: string, min: number): number | undefined {
  const raw = options[key];
  if (raw === undefined) return undefined;
  const value = typeof raw === "number" ? raw : Number(raw);
  if (typeof raw === "boolean" || !Number.isInteger(value) || value < min) {
    throw new InputError(`--${key} expects an integer ≥ ${min}, got '${String(raw)}'`);
  }
  return value;
}

function text(options: CliOptions, key: string): string | undefined {
  const raw = options[key];
  if (raw === undefined) return undefined;
  if (typeof raw === "boolean" || raw === "") throw new InputError(`--${key} expects a value`);
  return String(raw);
}

function parseOptions(options: CliOptions): TuneOptions {
  return {
    samples: positiveInteger(options, "samples", 1),
    concurrency: positiveInteger(options, "concurrency", 1) ?? 1,
    out: text(options, "out"),
    resume: options.resume === true,
    json: options.json === true,
    retrain: positiveInteger(options, "retrain", 1) ?? 0,
    queue: text(options, "queue"),
    limit: positiveInteger(options, "limit", 1),
    backend: text(options, "backend"),
    model: text(options, "model"),
  };
}

/** The spec's model with its search, or an InputError saying why there is none. */
function searchedModel(file: string, wanted: string | undefined): CheckedModel {
  const checked = checkEntry(file);
  const rendered = checked.diagnostics.length > 0 ? renderDiagnostics(checked.diagnostics, checked.sources) : "";
  if (rendered) process.stderr.write(rendered.endsWith("\n") ? rendered : `${rendered}\n`);
  if (hasErrors(checked.diagnostics)) throw new InputError(`${file}: the spec has errors (see above)`);
  const candidates = checked.models.filter((m) => (wanted ? m.name === wanted : m.search !== undefined));
  if (wanted && candidates.length === 0) throw new InputError(`${file}: no model named '${wanted}'`);
  if (candidates.length > 1) throw new InputError(`${file}: several models have a search (${candidates.map((m) => m.name).join(", ")}); choose one with --model`);
  const model = candidates[0] ?? (checked.models.length === 1 ? checked.models[0] : undefined);
  if (!model?.search) {
    throw new CodedFailure(RUNTIME_CODES.searchSpec, model ? `model '${model.name}' has no search section` : "no model of the file has a search section", {
      file,
      hint: "add search { lr: loguniform(1e-4, 0.05) } to the model",
    });
  }
  return model;
}

/** Redraws the table on a terminal; prints one line per new result elsewhere. */
function liveReporter(stream: NodeJS.WriteStream): (journal: Journal) => void {
  if (stream.isTTY) {
    let drawn = 0;
    let last = 0;
    return (journal) => {
      const now = Date.now();
      const over = journal.trials.every((t) => t.status !== "running" && t.status !== "pending");
      if (now - last < 250 && !over) return;
      last = now;
      const table = `${renderTable(journal)}\n${statusCounts(journal)}\n`;
      if (drawn > 0) stream.write(`\x1b[${drawn}A\x1b[J`);
      stream.write(table);
      drawn = table.split("\n").length - 1;
    };
  }
  const seen = new Map<string, string>();
  return (journal) => {
    for (const t of journal.trials) {
      const last = t.results[t.results.length - 1];
      const key = `${t.status}:${t.results.length}`;
      if (seen.get(t.id) === key) continue;
      seen.set(t.id, key);
      if (t.status === "pending") continue;
      const metric = last ? `  ${journal.metric} ${last.metric === null ? "—" : last.metric.toFixed(4)}` : "";
      const epoch = last ? `  epoch ${last.epoch}/${t.epochs}` : "";
      stream.write(`${t.id} ${t.status}${epoch}${metric}${t.message ? `: ${t.message.split("\n")[0]}` : ""}\n`);
    }
  };
}

export async function runTune(file: unknown, options: CliOptions): Promise<ExitCode> {
  let json = options.json === true;
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  try {
    if (typeof file !== "string" || file === "") throw new InputError("tune needs a .sim spec with a search section");
    const o = parseOptions(options);
    json = o.json;
    const model = searchedModel(file, o.model);
    const search = model.search!;
    const specText = readFileSync(file, "utf8");
    const outDir = resolve(o.out ?? join("runs", `search-${model.name}`));
    let connect: ((events: TrialEvents) => Promise<import("../../search/executor.js").TrialExecutor>) | undefined;
    if (o.queue) {
      const { QueueExecutor, checkRedis } = await import("../../search/queue-executor.js");
      await checkRedis(o.queue);
      const queue = o.queue;
      connect = (events) => QueueExecutor.open(queue, outDir, events);
    }
    const makeExecutor = connect ?? ((events: TrialEvents) => new LocalExecutor(o.concurrency, events));
    const tuner = new Tuner({
      specFile: file,
      specText,
      model: model.name,
      search,
      epochs: model.train.epochs,
      outDir,
      samples: o.samples,
      resume: o.resume,
      limit: o.limit,
      backend: o.backend,
      onUpdate: liveReporter(json ? process.stderr : process.stdout),
    });
    const scheduler = search.scheduler.kind === "asha" ? `asha(grace ${search.scheduler.grace}, reduction ${search.scheduler.reduction}, brackets ${search.scheduler.brackets})` : "fifo";
    say(
      `search: ${tuner.journal.trials.length} trials of ${model.name}, ${search.metric} (${search.mode}), ${scheduler}, seed ${search.seed} — ${o.queue ? `queue ${o.queue}` : `${o.concurrency} at a time`} → ${outDir}`,
    );
    const started = performance.now();
    const journal = await tuner.run(makeExecutor);
    const seconds = (performance.now() - started) / 1000;
    const ranked = rankTrials(journal);
    say("");
    say(renderTable(journal, ranked.map((r) => r.trial)));
    say(`${statusCounts(journal)} in ${seconds.toFixed(1)} s`);
    const failed = journal.trials.filter((t) => t.status === "failed");
    for (const t of failed) say(`${t.id} failed: ${t.message ?? "(no message)"}`);
    const best = ranked.find((r) => !Number.isNaN(r.metric));
    if (!best) {
      throw new CodedFailure(RUNTIME_CODES.searchSpec, `no trial reported ${search.metric}`, {
        file,
        hint: `see the trials' messages above and their run directories under ${join(outDir, "trials")}`,
      });
    }
    const bestSpec = await formatSim(tuner.job(best.trial.id).specText, file);
    const bestPath = join(outDir, BEST_SPEC_FILE);
    writeFileAtomic(bestPath, bestSpec);
    say(`best: ${best.trial.id} ${Object.entries(best.trial.values).map(([k, v]) => `${k}=${v}`).join(" ")} — ${search.metric} ${best.metric.toFixed(4)}`);
    say(`best spec: ${bestPath}`);

    let retrained: RetrainResult | undefined;
    if (o.retrain > 0) {
      say(`retraining the best configuration ${o.retrain} time${o.retrain === 1 ? "" : "s"} (seeds 1…${o.retrain})…`);
      retrained = await retrain(
        { specFile: resolve(file), specText: bestSpec, model: model.name, metric: search.metric, outDir, runs: o.retrain, limit: o.limit, backend: o.backend },
        makeExecutor,
      );
      for (const failure of retrained.failures) say(`retrain ${failure}`);
      const scale = retrained.measure === "accuracy" ? 100 : 1;
      const unit = retrained.measure === "accuracy" ? "%" : retrained.measure === "psnr" ? " dB" : "";
      say(
        `test ${retrained.measure}: ${(scale * retrained.mean).toFixed(2)} ± ${(scale * retrained.std).toFixed(2)}${unit} over ${retrained.values.length} run${retrained.values.length === 1 ? "" : "s"} (${retrained.values.map((v) => (scale * v).toFixed(2)).join(", ")})`,
      );
    }
    if (json) {
      const document = {
        version: TUNE_JSON_VERSION,
        model: model.name,
        outDir,
        metric: search.metric,
        mode: search.mode,
        scheduler: search.scheduler,
        wallSeconds: seconds,
        trials: ranked.map((r) => ({ ...r.trial, metric: r.metric })),
        unranked: journal.trials.filter((t) => t.results.length === 0).map((t) => t.id),
        best: { trial: best.trial.id, values: best.trial.values, metric: best.metric, spec: bestPath },
        retrain: retrained ?? null,
      };
      process.stdout.write(`${JSON.stringify(document, (_, v: unknown) => (typeof v === "number" && Number.isNaN(v) ? null : v), 2)}\n`);
    }
    return failed.length === journal.trials.length ? 1 : 0;
  } catch (error) {
    return reportFailure("tune", error, typeof file === "string" ? file : "", json);
  }
}
