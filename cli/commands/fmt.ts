/**
 * `simc fmt [--check|--write] PATHS…` — formats `.sim` files with the Prettier plugin.
 *
 * Directories are searched recursively for `*.sim` (skipping `node_modules` and dot-folders).
 * Default: print the formatted text to stdout. `--check`: list the files that are not formatted
 * and exit 1 if there are any. `--write`: rewrite changed files atomically and list them.
 * A file with syntax errors gets its diagnostics on stderr and exit code 1; the other files are
 * still processed. Prettier configuration files (`.prettierrc`, `.editorconfig`) apply.
 */
import { readFileSync } from "node:fs";
import * as prettier from "prettier";
import { parseDocument } from "../../grammar/parse.js";
import plugin from "../../grammar/prettier-plugin.js";
import { writeFileAtomic } from "../../core/atomic-write.js";
import type { CliOptions, ExitCode } from "../command-kit.js";
import { simFilesUnder } from "../sim-files.js";
import { renderDiagnostics, useColor } from "../render-diagnostic.js";

type Mode = "print" | "check" | "write";

/** Formats `text` as the file at `file` (its Prettier configuration applies). */
export async function formatSim(text: string, file: string): Promise<string> {
  const config = (await prettier.resolveConfig(file, { editorconfig: true })) ?? {};
  return prettier.format(text, { ...config, filepath: file, parser: "sim", plugins: [plugin] });
}

export async function runFmt(paths: unknown, options: CliOptions): Promise<ExitCode> {
  const given = Array.isArray(paths) ? paths.map(String) : [];
  if (options.check && options.write) return usage("use either --check or --write, not both");
  if (given.length === 0) return usage("give one or more .sim files or directories, e.g. 'simc fmt --write specs'");
  const mode: Mode = options.check ? "check" : options.write ? "write" : "print";

  let exit: ExitCode = 0;
  const worse = (code: ExitCode) => {
    if (code > exit) exit = code;
  };

  const files: string[] = [];
  for (const path of given) {
    try {
      files.push(...simFilesUnder(path));
    } catch (error) {
      process.stderr.write(`simc fmt: cannot read ${path}: ${reason(error)}\n`);
      worse(2);
    }
  }

  const unformatted: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      process.stderr.write(`simc fmt: cannot read ${file}: ${reason(error)}\n`);
      worse(2);
      continue;
    }
    const errors = parseDocument(text, file).diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) {
      process.stderr.write(renderDiagnostics(errors, new Map([[file, text]]), { color: useColor(process.stderr) }));
      worse(1);
      continue;
    }
    let formatted: string;
    try {
      formatted = await formatSim(text, file);
    } catch (error) {
      process.stderr.write(`simc fmt: internal error while formatting ${file}: ${reason(error)}\n`);
      worse(2);
      continue;
    }
    if (mode === "print") {
      process.stdout.write(formatted);
    } else if (formatted !== text) {
      unformatted.push(file);
      if (mode === "write") {
        writeFileAtomic(file, formatted);
        process.stdout.write(`${file}\n`);
      } else {
        process.stdout.write(`${file}\n`);
        worse(1);
      }
    }
  }

  if (mode === "check" && unformatted.length > 0) {
    const files = unformatted.length === 1 ? "1 file is" : `${unformatted.length} files are`;
    process.stderr.write(`${files} not formatted; run 'simc fmt --write' on ${unformatted.length === 1 ? "it" : "them"}\n`);
  }
  return exit;
}

function usage(message: string): ExitCode {
  process.stderr.write(`simc fmt: ${message}\n`);
  return 2;
}

function reason(error: unknown): string {
  if (error && typeof error === "object" && "code" in error && error.code === "ENOENT") return "no such file or directory";
  return error instanceof Error ? error.message : String(error);
}
