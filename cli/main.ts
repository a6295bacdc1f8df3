/**
 * simc's command line. Options live in one typed table per command; each command's
 * implementation is loaded lazily so `simc check` does not pay for TensorFlow.js start-up.
 * Exit codes follow ESLint: 0 clean, 1 problems in the input, 2 usage or internal failure.
 */
import { cac } from "cac";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

import type { CliOptions, ExitCode } from "./command-kit.js";

export type { CliOptions, ExitCode };

function packageVersion(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, "..", "package.json"), join(here, "..", "..", "package.json")]) {
    try {
      return (JSON.parse(readFileSync(candidate, "utf8")) as { version: string }).version;
    } catch {
      // try the next location (source tree vs dist/)
    }
  }
  return "0.0.0";
}

class UsageError extends Error {}

export async function main(argv: string[]): Promise<ExitCode> {
  const cli = cac("simc");
  let pending: Promise<ExitCode> | undefined;
  const run = (load: () => Promise<ExitCode>) => {
    pending = load();
  };

  cli
    .command("check [...files]", "Parse, resolve, infer shapes and count parameters")
    .option("--json", "Print a versioned JSON document instead of tables")
    .action((files: string[], options: CliOptions) =>
      run(async () => (await import("./commands/check.js")).runCheck(files, options)),
    );

  cli
    .command("compile <file>", "Lower a model to the graph IR")
    .option("--target <target>", "sim or deq (default: the spec's target)")
    .option("--model <name>", "Which model of the file (default: the only one)")
    .option("-o, --out <path>", "Write the IR here (atomically) instead of stdout")
    .option("--seed <n>", "Seed for parameter initialisers")
    .option("--json", "Print diagnostics as JSON")
    .action((file: string, options: CliOptions) =>
      run(async () => (await import("./commands/compile.js")).runCompile(file, options)),
    );

  cli
    .command("train <file>", "Train a model (spec or compiled IR) on real data")
    .option("--target <target>", "sim or deq")
    .option("--model <name>", "Which model of the file")
    .option("--data <name>", "Data set name or path")
    .option("--epochs <n>", "Epochs")
    .option("--batch <n>", "Batch size")
    .option("--lr <x>", "Learning rate")
    .option("--limit <n>", "Use at most N training examples")
    .option("--seed <n>", "Random seed")
    .option("--validate-every <n>", "Validate every N epochs (0 = by time, about 5 % of the wall time)")
    .option("--backend <name>", "tensorflow, wasm, cpu or webgpu")
    .option("--out <dir>", "Run directory (checkpoints, metrics, plot)")
    .option("--resume", "Resume from the checkpoint in --out")
    .option("--json", "Print a final JSON document")
    .action((file: string, options: CliOptions) =>
      run(async () => (await import("./commands/train.js")).runTrain(file, options)),
    );

  cli
    .command("eval <file>", "Evaluate a trained run on the test set")
    .option("--checkpoint <dir>", "Run directory holding the checkpoint")
    .option("--data <name>", "Data set name or path")
    .option("--backend <name>", "tensorflow, wasm, cpu or webgpu")
    .option("--json", "Print a JSON document")
    .action((file: string, options: CliOptions) =>
      run(async () => (await import("./commands/eval.js")).runEval(file, options)),
    );

  cli
    .command("analyze <file>", "The Koopman spectrum of a model's dynamics (spec, IR or run directory)")
    .option("--target <target>", "deq (the dynamics; default) or sim (the lift C·B)")
    .option("--model <name>", "Which model of the file")
    .option("--checkpoint <dir>", "Run directory whose weights to analyse")
    .option("--spec <file>", "The spec of a run directory that does not name it")
    .option("--data <name>", "Data set whose test inputs drive the trajectories")
    .option("--samples <n>", "Trajectories, one per test input (default 256)")
    .option("--steps <n>", "Steps T of each trajectory (default 50)")
    .option("--skip <n>", "Leave out the first steps of every trajectory (default 0)")
    .option("--alpha <a>", "Iterate z ← (1−α)z + αf(z): 1 (plain, default), a number, or auto (ℓ∞ cells' α*)")
    .option("--dictionary <d>", "state, state+input[:K], poly2 or rff[:N] (default state+input:8)")
    .option("--rank <k>", "Principal coordinates of the state the dictionary sees (default 32)")
    .option("--residual-max <x>", "Eigenpairs with a larger residual are spurious (default 0.1)")
    .option("--unit-tol <x>", "Tolerance for |λ| = 1 and λ = 1 (default 1e-3)")
    .option("--ridge <x>", "Relative Tikhonov weight of the least squares (default 1e-10)")
    .option("--seed <n>", "Seed for initialised weights and random features")
    .option("--plot <file>", "Draw the eigenvalues (.svg or .png)")
    .option("--backend <name>", "tensorflow, wasm, cpu or webgpu")
    .option("--json", "Print a versioned JSON document")
    .action((file: string, options: CliOptions) =>
      run(async () => (await import("./commands/analyze.js")).runAnalyze(file, options)),
    );

  cli
    .command("fmt [...paths]", "Format .sim files")
    .option("--check", "Exit 1 when a file is not formatted")
    .option("--write", "Rewrite files in place")
    .action((paths: string[], options: CliOptions) =>
      run(async () => (await import("./commands/fmt.js")).runFmt(paths, options)),
    );

  cli
    .command("lint [...paths]", "Report suspicious or ill-posed models")
    .option("--json", "Print a JSON document")
    .option("--fix", "Apply safe fixes")
    .action((paths: string[], options: CliOptions) =>
      run(async () => (await import("./commands/lint.js")).runLint(paths, options)),
    );

  cli
    .command("doc [module]", "List the standard library's blocks (or one module's), or a vocabulary: solvers, backward, cells, data, optimizers, schedules, train")
    .option("--json", "Print a JSON document")
    .action((module: string | undefined, options: CliOptions) =>
      run(async () => (await import("./commands/doc.js")).runDoc(module, options)),
    );

  cli.help();
  cli.version(packageVersion());

  try {
    cli.parse(["node", "simc", ...argv], { run: false });
    if (cli.options.help || cli.options.version) return 0;
    if (!cli.matchedCommand) {
      if (argv.length === 0) {
        cli.outputHelp();
        return 2;
      }
      throw new UsageError(`unknown command '${argv[0]}'; run 'simc --help' for the list`);
    }
    await cli.runMatchedCommand();
    return pending ? await pending : 2;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`simc: ${message}\n`);
    return 2;
  }
}
