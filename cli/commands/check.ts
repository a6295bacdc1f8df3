/**
 * `simc check FILE…`: parse, resolve, infer shapes and count parameters. Prints problems as
 * code frames and a summary table per model, or with `--json` only a versioned document.
 * Exit codes: 0 clean (warnings allowed), 1 problems in the input, 2 usage (no files, a path
 * that cannot be read) or internal failure.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { checkEntry } from "../../compiler/check.js";
import type { CheckedModel } from "../../compiler/checked-model.js";
import { fileStartLocation, type Diagnostic } from "../../core/diagnostic.js";
import type { CliOptions, ExitCode } from "../command-kit.js";
import { countSummary, renderDiagnostics, useColor } from "../render-diagnostic.js";
import { renderSummary, summaryRows } from "../summary-table.js";

export const CHECK_JSON_VERSION = 1;

/** `simc check --json` output. */
export interface CheckJson {
  version: typeof CHECK_JSON_VERSION;
  files: string[];
  models: ReturnType<typeof modelJson>[];
  diagnostics: Diagnostic[];
}

/** The files to check: each path itself, or the `.sim` files under a directory (sorted). */
function expandPaths(paths: readonly string[]): { files: string[]; unreadable: string[] } {
  const files: string[] = [];
  const unreadable: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) {
        if (name !== "node_modules" && !name.startsWith(".")) walk(path);
      } else if (name.endsWith(".sim")) files.push(path);
    }
  };
  for (const path of paths) {
    try {
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    } catch {
      unreadable.push(path);
    }
  }
  return { files, unreadable };
}

function modelJson(model: CheckedModel) {
  return {
    name: model.name,
    file: model.file,
    input: model.input,
    task: model.task,
    variant: model.variant,
    defaultTarget: model.defaultTarget,
    trainableParams: model.trainableParams,
    frozenParams: model.frozenParams,
    targets: model.targets,
    data: model.data ?? null,
    layers: summaryRows(model),
  };
}

export async function runCheck(paths: unknown, options: CliOptions): Promise<ExitCode> {
  const given = Array.isArray(paths) ? paths.map(String) : [];
  const json = options.json === true;
  if (given.length === 0) {
    process.stderr.write("simc check: no files given\nusage: simc check FILE… [--json]\n");
    return 2;
  }
  const { files, unreadable } = expandPaths(given);
  const diagnostics: Diagnostic[] = unreadable.map((path) => ({
    code: "SIM1001",
    severity: "error",
    file: path,
    loc: fileStartLocation(),
    message: `cannot read '${path}': no such file or directory`,
    hint: "check the path; it is taken relative to the current directory",
  }));
  const models: CheckedModel[] = [];
  const sources = new Map<string, string>();
  const text: string[] = [];
  const color = !json && useColor();

  if (!json && unreadable.length > 0) text.push(renderDiagnostics(diagnostics, sources, { color }));
  for (const file of files) {
    const result = checkEntry(file);
    for (const [name, source] of result.sources) sources.set(name, source);
    diagnostics.push(...result.diagnostics);
    models.push(...result.models);
    if (json) continue;
    if (result.diagnostics.length > 0) text.push(renderDiagnostics(result.diagnostics, result.sources, { color }));
    for (const model of result.models) text.push(renderSummary(model));
  }

  const hasErrors = diagnostics.some((d) => d.severity === "error");
  if (json) {
    const document: CheckJson = {
      version: CHECK_JSON_VERSION,
      files,
      models: models.map(modelJson),
      diagnostics,
    };
    process.stdout.write(JSON.stringify(document, null, 2) + "\n");
  } else {
    const summary = countSummary(diagnostics);
    const checked = `${files.length} file${files.length === 1 ? "" : "s"}, ${models.length} model${models.length === 1 ? "" : "s"}`;
    text.push(summary ? `${checked}: ${summary}\n` : `${checked}: no problems\n`);
    process.stdout.write(text.join("\n"));
  }
  if (unreadable.length > 0) return 2;
  return hasErrors ? 1 : 0;
}
