/**
 * `simc runs [DIR]`: a table comparing the runs under DIR (default `runs/`): model, target, the
 * settings that differ between them, the best validation result, the test result and the time
 * trained. `--json` prints the same as a versioned document.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { differingSettings, findRuns, readRunSummary, type RunSummary } from "../../runtime/run-summary.js";
import type { CliOptions, ExitCode } from "../command-kit.js";

export const RUNS_JSON_VERSION = 1;

const percent = (v: number) => `${(100 * v).toFixed(2)}%`;

function metricText(metric: "accuracy" | "psnr" | "loss", value: number): string {
  if (metric === "accuracy") return `acc ${percent(value)}`;
  if (metric === "psnr") return `PSNR ${value.toFixed(2)} dB`;
  return `loss ${value.toPrecision(4)}`;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

export function runsTable(runs: readonly RunSummary[]): string {
  const differing = differingSettings(runs);
  const header = ["run", "model", "target", ...differing, "epochs", "best validation", "test", "time"];
  const rows = runs.map((r) => [
    r.name,
    r.model,
    r.target,
    ...differing.map((key) => r.settings[key] ?? "—"),
    `${r.epochs.done}/${r.epochs.planned}`,
    r.bestValidation ? `${metricText(r.bestValidation.metric, r.bestValidation.value)} (epoch ${r.bestValidation.epoch})` : "—",
    r.test ? metricText(r.test.metric, r.test.value) : "—",
    duration(r.seconds),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n") + "\n";
}

export async function runRuns(dir: string | undefined, options: CliOptions): Promise<ExitCode> {
  const root = resolve(dir ?? "runs");
  const json = options.json === true;
  if (!existsSync(root)) {
    process.stderr.write(`simc runs: ${root} does not exist (simc train writes runs to runs/ of its working directory, or to --out)\n`);
    return 1;
  }
  const runs = findRuns(root)
    .map((d) => readRunSummary(d, root))
    .filter((r): r is RunSummary => r !== undefined);
  if (json) {
    const document = {
      version: RUNS_JSON_VERSION,
      root,
      differing: differingSettings(runs),
      runs,
    };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return 0;
  }
  if (runs.length === 0) {
    process.stderr.write(
      `simc runs: no runs under ${root} (a run directory holds settings.json or checkpoint.json; \`simc train\` writes them)\n`,
    );
    return 0;
  }
  process.stdout.write(runsTable(runs));
  return 0;
}
