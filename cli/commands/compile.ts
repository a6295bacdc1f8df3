import type { CliOptions, ExitCode } from "../main.js";

// Placeholder until the command lands.
export async function runCompile(_file: unknown, _options: CliOptions): Promise<ExitCode> {
  process.stderr.write("simc compile: not available yet\n");
  return 2;
}
