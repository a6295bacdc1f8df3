import type { CliOptions, ExitCode } from "../main.js";

// Placeholder until the command lands.
export async function runDoc(_module: unknown, _options: CliOptions): Promise<ExitCode> {
  process.stderr.write("simc doc: not available yet\n");
  return 2;
}
