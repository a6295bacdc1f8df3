/**
 * `npm run bench`: runs every benchmark module in this directory (each exports
 * `bench(): Promise<void>`), in name order, under a header per section. A failing section is
 * reported and the others still run; the exit code says whether all succeeded.
 * `npm run bench -- NAME…` runs only the named sections (e.g. `step`, `sim-vs-deq`).
 */
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

type BenchModule = { bench?: () => Promise<void> };

const here = dirname(fileURLToPath(import.meta.url));
const self = basename(fileURLToPath(import.meta.url));

export function benchModules(dir: string = here): string[] {
  return readdirSync(dir)
    .filter((f) => (f.endsWith(".ts") || f.endsWith(".js")) && !f.endsWith(".d.ts") && f !== self && !f.startsWith("run."))
    .sort();
}

async function main(argv: string[]): Promise<number> {
  const wanted = new Set(argv);
  const files = benchModules().filter((f) => wanted.size === 0 || wanted.has(f.replace(/\.(ts|js)$/, "")));
  if (files.length === 0) {
    process.stderr.write(
      `bench: no benchmark matches ${[...wanted].join(", ")} (available: ${benchModules()
        .map((f) => f.replace(/\.(ts|js)$/, ""))
        .join(", ")})\n`,
    );
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const name = file.replace(/\.(ts|js)$/, "");
    const module = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
    if (typeof module.bench !== "function") continue;
    process.stdout.write(`\n=== ${name} ${"=".repeat(Math.max(3, 60 - name.length))}\n`);
    const started = performance.now();
    try {
      await module.bench();
      process.stdout.write(`--- ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      failed += 1;
      process.stdout.write(`--- ${name} FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
