#!/usr/bin/env bash
# The GPU check, run on the device machine from the repository root with .gpu/ (made by
# bench/gpu/prepare.sh) and .gl/ (the Vulkan loader's .deb files) carried beside it: unpacks Node
# and simc, then runs the step benchmark on webgpu (Dawn's Vulkan backend on the real GPU) and
# wasm, a short `simc train` of the main job on webgpu, and the PyTorch peer on CUDA. The log goes
# to $OUT/gpu-check.log when $OUT is set.
#
#   bash .gpu/run.sh
set -uo pipefail
log="${OUT:-/tmp}/gpu-check.log"
exec > >(tee "$log") 2>&1
here=$(pwd)
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES="$icd"
g=/tmp/simc-gpu
mkdir -p "$g"
xz -dc .gpu/node.xz > "$g/node" && chmod +x "$g/node"
tar -xJf .gpu/app.tar.xz -C "$g"
export PATH="$g:$PATH"
echo "== machine"; nvidia-smi -L; nproc; node --version; ldconfig -p | grep -m1 libvulkan.so.1; uptime
cd "$g/app"
echo "== simc check"; node simc.mjs check specs/mnist/sim-single.sim | tail -1
echo "== bench step (webgpu, wasm)"
SIMC_BENCH_BACKENDS=webgpu,wasm SIMC_BENCH_STEPS=10 timeout 200 node bench/step.mjs
echo "== simc train, main job, 2 epochs on webgpu"
timeout 150 node simc.mjs train specs/mnist/sim-single.sim --backend webgpu --epochs 2 --out /tmp/simc-run
echo "== PyTorch on CUDA"
timeout 60 python3 bench/peer_torch.py --device cuda --threads 16 --steps 20 --image-steps 10
cd "$here"
