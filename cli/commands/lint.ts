/**
 * `simc lint PATHS… [--json] [--fix]`: lint `.sim` files (directories recurse), report in
 * ESLint's "stylish" layout grouped by file, or as a versioned JSON document.
 * Exit codes as ESLint: 0 no errors (warnings allowed), 1 errors (lint, syntax or checker),
 * 2 usage or internal failure.
 */
import { LintConfigCache } from "../../lint/config.js";
import { lintFile, normalizeDiagnostics } from "../../lint/lint-file.js";
import { lintRuleIds } from "../../lint/rules/index.js";
import type { LintDiagnostic } from "../../lint/types.js";
import type { CliOptions, ExitCode } from "../command-kit.js";
import { simFilesUnder } from "../sim-files.js";

export const LINT_JSON_VERSION = 1;

class LintUsageError extends Error {}

/** `.sim` files under the given paths: files as given, directories searched recursively (sorted). */
export function collectSimFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let found: string[];
    try {
      found = simFilesUnder(path);
    } catch {
      throw new LintUsageError(`no such file or directory: ${path}`);
    }
    if (found.length === 0) throw new LintUsageError(`no .sim files found in ${path}`);
    files.push(...found);
  }
  return [...new Set(files)];
}

export interface LintRun {
  /** Every diagnostic, grouped by file in the order files were linted (then imported files, config files). */
  byFile: Map<string, LintDiagnostic[]>;
  fixedFiles: string[];
}

export function lintPaths(paths: readonly string[], options: { fix?: boolean } = {}): LintRun {
  const files = collectSimFiles(paths);
  const configs = new LintConfigCache(lintRuleIds);
  const all: LintDiagnostic[] = [];
  const order: string[] = [...files];
  const fixedFiles: string[] = [];
  for (const file of files) {
    const result = lintFile(file, { configs, fix: options.fix === true });
    if (result.fixed) fixedFiles.push(file);
    all.push(...result.diagnostics);
  }
  for (const config of configs.loaded()) all.push(...config.diagnostics);
  const byFile = new Map<string, LintDiagnostic[]>();
  for (const file of order) byFile.set(file, []);
  for (const d of normalizeDiagnostics(all)) {
    const list = byFile.get(d.file) ?? [];
    list.push(d);
    byFile.set(d.file, list);
  }
  return { byFile, fixedFiles };
}

interface Totals {
  errors: number;
  warnings: number;
  fixableErrors: number;
  fixableWarnings: number;
}

function totals(diagnostics: Iterable<LintDiagnostic>): Totals {
  const t: Totals = { errors: 0, warnings: 0, fixableErrors: 0, fixableWarnings: 0 };
  for (const d of diagnostics) {
    if (d.severity === "error") {
      t.errors++;
      if (d.fix) t.fixableErrors++;
    } else if (d.severity === "warning") {
      t.warnings++;
      if (d.fix) t.fixableWarnings++;
    }
  }
  return t;
}

interface Style {
  file(s: string): string;
  error(s: string): string;
  warning(s: string): string;
  dim(s: string): string;
}

const plain: Style = { file: (s) => s, error: (s) => s, warning: (s) => s, dim: (s) => s };
const ansi: Style = {
  file: (s) => `\x1b[4m${s}\x1b[24m`,
  error: (s) => `\x1b[31m${s}\x1b[39m`,
  warning: (s) => `\x1b[33m${s}\x1b[39m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** ESLint's "stylish" report: a block per file with problems, then a summary line. */
export function formatStylish(byFile: Map<string, LintDiagnostic[]>, style: Style = plain): string {
  const lines: string[] = [];
  for (const [file, diagnostics] of byFile) {
    if (diagnostics.length === 0) continue;
    lines.push(style.file(file));
    const rows = diagnostics.map((d) => ({
      position: `${d.loc.line}:${d.loc.column}`,
      severity: d.severity,
      message: d.message,
      id: d.rule ?? d.code,
      hint: d.hint,
    }));
    const width = (pick: (r: (typeof rows)[number]) => string) => Math.max(...rows.map((r) => pick(r).length));
    const pw = width((r) => r.position);
    const sw = width((r) => r.severity);
    const mw = width((r) => r.message);
    for (const r of rows) {
      const severity = r.severity.padEnd(sw);
      const colored = r.severity === "error" ? style.error(severity) : r.severity === "warning" ? style.warning(severity) : severity;
      lines.push(`  ${r.position.padEnd(pw)}  ${colored}  ${r.message.padEnd(mw)}  ${style.dim(r.id)}`);
      if (r.hint) lines.push(`  ${" ".repeat(pw)}  ${" ".repeat(sw)}  ${style.dim(`help: ${r.hint}`)}`);
    }
    lines.push("");
  }
  const t = totals([...byFile.values()].flat());
  const problems = t.errors + t.warnings;
  if (problems > 0) {
    const summary = `✖ ${plural(problems, "problem")} (${plural(t.errors, "error")}, ${plural(t.warnings, "warning")})`;
    lines.push(t.errors > 0 ? style.error(summary) : style.warning(summary));
    if (t.fixableErrors + t.fixableWarnings > 0) {
      lines.push(`  ${plural(t.fixableErrors, "error")} and ${plural(t.fixableWarnings, "warning")} potentially fixable with the \`--fix\` option.`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** The `--json` document (versioned; the only thing written to stdout). */
export function formatJson(run: LintRun): string {
  const files = [...run.byFile].map(([file, diagnostics]) => {
    const t = totals(diagnostics);
    return {
      file,
      errorCount: t.errors,
      warningCount: t.warnings,
      fixableErrorCount: t.fixableErrors,
      fixableWarningCount: t.fixableWarnings,
      fixed: run.fixedFiles.includes(file),
      diagnostics: diagnostics.map((d) => ({
        code: d.code,
        ...(d.rule ? { rule: d.rule } : {}),
        severity: d.severity,
        message: d.message,
        ...(d.hint ? { hint: d.hint } : {}),
        line: d.loc.line,
        column: d.loc.column,
        endLine: d.loc.endLine,
        endColumn: d.loc.endColumn,
        ...(d.related ? { related: d.related } : {}),
        ...(d.fix ? { fix: d.fix } : {}),
      })),
    };
  });
  const t = totals([...run.byFile.values()].flat());
  const document = {
    version: LINT_JSON_VERSION,
    errorCount: t.errors,
    warningCount: t.warnings,
    fixableErrorCount: t.fixableErrors,
    fixableWarningCount: t.fixableWarnings,
    files,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function toPaths(paths: unknown): string[] {
  if (paths === undefined) return [];
  if (!Array.isArray(paths)) return [String(paths)];
  return paths.map(String);
}

export async function runLint(paths: unknown, options: CliOptions): Promise<ExitCode> {
  const list = toPaths(paths);
  if (list.length === 0) {
    process.stderr.write("simc lint: give the files or directories to lint, e.g. 'simc lint specs stdlib'\n");
    return 2;
  }
  let run: LintRun;
  try {
    run = lintPaths(list, { fix: options.fix === true });
  } catch (error) {
    if (error instanceof LintUsageError) {
      process.stderr.write(`simc lint: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`simc lint: internal error: ${message}\n`);
    return 2;
  }
  if (options.json === true) {
    process.stdout.write(formatJson(run));
  } else {
    const useColor = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
    process.stdout.write(formatStylish(run.byFile, useColor ? ansi : plain));
  }
  return totals([...run.byFile.values()].flat()).errors > 0 ? 1 : 0;
}
