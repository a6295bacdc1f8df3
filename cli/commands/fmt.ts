import type { CliOptions, ExitCode } from "../main.js";

// Placeholder until the command lands.
export async function runFmt(_paths: unknown, _options: CliOptions): Promise<ExitCode> {
  process.stderr.write("simc fmt: not available yet\n");
  return 2;
}
