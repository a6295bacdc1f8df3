/**
 * simc's command line. Options live in one typed table per command; each command's
 * implementation is loaded lazily so `simc check` does not pay for TensorFlow.js start-up.
 * Exit codes follow ESLint: 0 clean, 1 problems in the input, 2 usage or internal failure.
 */
import { cac } from "cac";
import { packageVersion } from "./version.js";

import type { CliOptions, ExitCode } from "./command-kit.js";

export type { CliOptions, ExitCode };

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
    .command("export <path>", "Export a trained run (or a spec's initialised model) as ONNX or TensorFlow.js")
    .option("--format <format>", "onnx (default) or tfjs")
    .option("-o, --out <path>", "The ONNX file or TensorFlow.js folder (default: beside the run)")
    .option("--target <target>", "sim or deq (a spec's; a run's must match)")
    .option("--model <name>", "Which model of the file")
    .option("--checkpoint <dir>", "With a spec: the run directory whose weights to export")
    .option("--seed <n>", "With a spec and no checkpoint: seed for the initialisers")
    .option("--softmax", "Add a probabilities output (classification)")
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
