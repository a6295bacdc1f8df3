#!/usr/bin/env node
// Thin launcher. `npm run build` (run by `npm ci` through `prepare`) compiles the CLI to dist/
// and bundles it into dist/bundle/, which starts several times faster; a bundle older than the
// compiled CLI (after a bare `tsc`) is passed over.
import { statSync } from "node:fs";

const modified = (relative) => {
  try {
    return statSync(new URL(relative, import.meta.url)).mtimeMs;
  } catch {
    return -1;
  }
};
const bundled = modified("../dist/bundle/main.js") >= modified("../dist/cli/main.js");
const { main } = await import(bundled ? "../dist/bundle/main.js" : "../dist/cli/main.js");

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`simc: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
