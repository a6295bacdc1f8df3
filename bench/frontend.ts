/**
 * Front-end speed: parse and check throughput on a corpus made of the real specs (each model
 * replicated under fresh names, imports hoisted), and the wall time of `simc check` on the MNIST
 * spec including Node's start-up, through the built CLI (`node bin/simc.js`, which runs the
 * bundle in dist/bundle/ that `npm run build` makes).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { checkSource } from "../compiler/check.js";
import { parseDocument } from "../grammar/parse.js";

const REPLICAS = 40;

function specTexts(): string[] {
  return readdirSync("specs").flatMap((dir) =>
    readdirSync(join("specs", dir))
      .filter((f) => f.endsWith(".sim"))
      .map((f) => readFileSync(join("specs", dir, f), "utf8")),
  );
}

/** One document: every spec's imports once at the top, then its models `REPLICAS` times, renamed. */
export function buildCorpus(replicas = REPLICAS): string {
  const imports = new Set<string>();
  const bodies: string[] = [];
  for (const text of specTexts()) {
    const lines = text.split("\n");
    for (const line of lines) if (line.startsWith("import ")) imports.add(line);
    const body = lines.filter((line) => !line.startsWith("import ")).join("\n");
    for (let i = 0; i < replicas; i++) bodies.push(body.replace(/^model (\w+)/m, `model $1_${i}`));
  }
  return `${[...imports].join("\n")}\n\n${bodies.join("\n")}`;
}

function time<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

const mbPerSecond = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function bench(): Promise<void> {
  const corpus = buildCorpus();
  const bytes = Buffer.byteLength(corpus, "utf8");
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`corpus: ${specTexts().length} specs × ${REPLICAS} replicas = ${(bytes / 1e6).toFixed(2)} MB`);

  parseDocument(corpus, "corpus.sim"); // warm-up: parser construction and JIT
  const parses = [0, 1, 2].map(() => time(() => parseDocument(corpus, "corpus.sim")));
  const parseErrors = parses[0].result.diagnostics.length;
  const parseMs = Math.min(...parses.map((p) => p.ms));
  out(`parse: ${mbPerSecond(bytes, parseMs).toFixed(2)} MB/s (${parseMs.toFixed(0)} ms, best of 3, ${parseErrors} diagnostics)`);

  const checks = [0, 1].map(() => time(() => checkSource(corpus, "corpus.sim")));
  const checked = checks[0].result;
  const checkMs = Math.min(...checks.map((c) => c.ms));
  const errors = checked.diagnostics.filter((d) => d.severity === "error").length;
  out(
    `check (parse + resolve + expand + shapes + counts): ${mbPerSecond(bytes, checkMs).toFixed(2)} MB/s ` +
      `(${checkMs.toFixed(0)} ms, best of 2, ${checked.models.length} models, ${errors} errors)`,
  );

  const cli = "dist/bundle/main.js";
  let note: string;
  if (existsSync(cli)) {
    note = `existing dist/ (built ${statSync(cli).mtime.toISOString()})`;
  } else {
    out("dist/ missing: running npm run build first");
    const build = spawnSync("npm", ["run", "build"], { encoding: "utf8" });
    if (!existsSync(cli)) throw new Error(`npm run build did not produce ${cli}: ${build.stderr.slice(-500)}`);
    note = "dist/ built now by npm run build";
  }
  const walls: number[] = [];
  const load = loadavg()[0];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const run = spawnSync(process.execPath, ["bin/simc.js", "check", "specs/mnist/sim-single.sim"], { encoding: "utf8" });
    walls.push(performance.now() - start);
    if (run.status !== 0) throw new Error(`simc check exited ${run.status}: ${run.stdout}${run.stderr}`);
  }
  out(
    `simc check specs/mnist/sim-single.sim, wall time with Node start-up: median ${median(walls).toFixed(0)} ms, ` +
      `best ${Math.min(...walls).toFixed(0)} ms over 7 runs (${note}; load average ${load.toFixed(2)}, which slows it)`,
  );
}
