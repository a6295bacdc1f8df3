import type { CliOptions, ExitCode } from "../main.js";

// Placeholder until the command lands.
export async function runTrain(_file: unknown, _options: CliOptions): Promise<ExitCode> {
  process.stderr.write("simc train: not available yet\n");
  return 2;
}
