import type { CliOptions, ExitCode } from "../main.js";

// Placeholder until the command lands.
export async function runCheck(_files: unknown, _options: CliOptions): Promise<ExitCode> {
  process.stderr.write("simc check: not available yet\n");
  return 2;
}
