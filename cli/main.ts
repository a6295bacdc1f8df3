/**
 * simc's command line. Options live in one typed table per command; each command's
 * implementation is loaded lazily so `simc check` does not pay for TensorFlow.js start-up.
 * Exit codes, for every command: 0 success, 1 a problem in the user's input (specs, data, flags,
 * paths, checkpoints), 2 a bug in simc.
 */
import { cac } from "cac";
import { CodedError, clipWords } from "../core/coded-error.js";
import { CommandUsageError, joinNegativeValues, refuseRepeats } from "./flags.js";
import { packageVersion } from "./version.js";

import type { CliOptions, ExitCode } from "./command-kit.js";

export type { CliOptions, ExitCode };

/** Options that take a value (`--limit <n>`, `-o, --out <path>`): their names as typed. */
function valueFlags(cli: ReturnType<typeof cac>): Set<string> {
  const names = new Set<string>();
  for (const command of cli.commands) {
    for (const option of command.options) {
      if (!/[<[]/.test(option.rawName)) continue;
      for (const name of option.rawName.split(/[ ,]+/).filter((n) => n.startsWith("-"))) names.add(name);
    }
  }
  return names;
}

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
    .option("--set <key=value>", "Any train setting, checked like the spec (repeatable), e.g. 'schedule=cosine(min_lr: 1e-5)'")
    .option("--out <dir>", "Run directory (default: runs/MODEL-TARGET, numbered -2, -3, … when taken)")
    .option("--resume", "Resume from the checkpoint in --out (default: the latest run of the model)")
    .option("--resume-anyway", "Resume even when the checkpoint was trained from a different graph")
    .option("--overwrite", "Replace the run already in --out")
    .option("--memory <size>", "Memory budget, e.g. 4GB (default: half of the machine's memory)")
    .option("--progress-every <seconds>", "Seconds between progress lines when output is not a terminal (default 30)")
    .option("--json", "Print a final JSON document (an error document on failure)")
    .action((file: string, options: CliOptions) =>
      run(async () => (await import("./commands/train.js")).runTrain(file, options)),
    );

  cli
    .command("tune <file>", "Search a model's hyperparameters (its search section): random sampling, ASHA")
    .option("--samples <n>", "Trials to sample (default: the spec's samples)")
    .option("--concurrency <k>", "Trials at once on this machine (default 1)")
    .option("--out <dir>", "Search directory (journal, trials, best spec)")
    .option("--resume", "Continue the search journaled in --out")
    .option("--retrain <r>", "Retrain the best configuration R times (seeds 1…R): test mean ± std")
    .option("--queue <url>", "Run trials as jobs on Redis (redis://HOST:PORT/DB) for simc worker")
    .option("--model <name>", "Which model of the file")
    .option("--limit <n>", "Use at most N training examples per trial")
    .option("--backend <name>", "tensorflow, wasm, cpu or webgpu")
    .option("--json", "Print a final JSON document")
    .action((file: string, options: CliOptions) =>
      run(async () => (await import("./commands/tune.js")).runTune(file, options)),
    );

  cli
    .command("worker <queue>", "Run search trials from a Redis queue (redis://HOST:PORT/DB)")
    .option("--concurrency <k>", "Trials at once on this machine (default 1)")
    .option("--stalled-seconds <s>", "Seconds before a lost worker's trial is taken over (default 30)")
    .action((queue: string, options: CliOptions) =>
      run(async () => (await import("./commands/worker.js")).runWorker(queue, options)),
    );

  cli
    .command("eval <file>", "Evaluate a trained run on the test set")
    .option("--checkpoint <dir>", "Run directory holding the checkpoint")
    .option("--data <name>", "Data set name or path")
    .option("--backend <name>", "tensorflow, wasm, cpu or webgpu")
    .option("--memory <size>", "Memory budget, e.g. 4GB (default: half of the machine's memory)")
    .option("--json", "Print a JSON document")
    .action((file: string, options: CliOptions) =>
      run(async () => (await import("./commands/eval.js")).runEval(file, options)),
    );

  cli
    .command("runs [dir]", "Compare the runs under a directory (default: runs/)")
    .option("--json", "Print a JSON document")
    .action((dir: string | undefined, options: CliOptions) =>
      run(async () => (await import("./commands/runs.js")).runRuns(dir, options)),
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
    .command("export <path>", "Export a trained run (or a spec's initialised model) as ONNX or TensorFlow.js")
    .option("--format <format>", "onnx (default) or tfjs")
    .option("-o, --out <path>", "The ONNX file or TensorFlow.js folder (default: beside the run)")
    .option("--target <target>", "sim or deq (a spec's; a run's must match)")
    .option("--model <name>", "Which model of the file")
    .option("--checkpoint <dir>", "With a spec: the run directory whose weights to export")
    .option("--seed <n>", "With a spec and no checkpoint: seed for the initialisers")
    .option("--softmax", "Add a probabilities output (classification)")
    .option("--backend <name>", "Accepted for scripts; export computes on cpu (it only reads weights)")
    .option("--json", "Print a JSON document")
    .action((path: string, options: CliOptions) =>
      run(async () => (await import("./commands/export.js")).runExport(path, options)),
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
    cli.parse(["node", "simc", ...joinNegativeValues(argv, valueFlags(cli))], { run: false });
    if (cli.options.help || cli.options.version) return 0;
    if (!cli.matchedCommand) {
      if (argv.length === 0) {
        cli.outputHelp();
        return 1;
      }
      throw new CommandUsageError(`unknown command '${argv[0]}'; run 'simc --help' for the list`, "SIM7203");
    }
    refuseRepeats(cli.options);
    await cli.runMatchedCommand();
    return pending ? await pending : 2;
  } catch (error) {
    const failure = usageFailure(error);
    process.stderr.write(`simc: ${clipWords(failure.message)}\n`);
    return failure.code;
  }
}

/** cac's own complaints (unknown option, missing value) are the user's; anything else is simc's. */
function usageFailure(error: unknown): { message: string; code: ExitCode } {
  if (error instanceof CodedError) return { message: error.format(), code: 1 };
  if (error instanceof Error && error.name === "CACError") {
    const missing = /missing|value is missing/i.test(error.message);
    return { message: `error[${missing ? "SIM7204" : "SIM7203"}]: ${error.message}; run 'simc --help' for the options`, code: 1 };
  }
  return { message: `internal error: ${error instanceof Error ? error.message : String(error)}`, code: 2 };
}
