import type { CliOptions, ExitCode } from "../main.js";

// Placeholder until the command lands.
export async function runLint(_paths: unknown, _options: CliOptions): Promise<ExitCode> {
  process.stderr.write("simc lint: not available yet\n");
  return 2;
}
