#!/usr/bin/env bash
# Packs what `npm run bench:gpu` needs on the GPU machine (no Node, no npm, no network there) into .devkit/
# (git-ignored): a compressed copy of this machine's node, the Vulkan/GL loader .debs, the benchmark bundled into
# one file (.devkit/run/bench-gpu.mjs, esbuild; webgpu and onnxruntime-web stay external) and a tarball of those two
# packages, pruned to what Node loads (Dawn's linux-x64 binary; onnxruntime-web's WebGPU bundle and its asyncify
# wasm). Adapted from the make-kit.sh of the device notes handed to this project (same project; written for it),
# with the pruning and the bundle added so the kit stays far under the 64 MiB a device run may carry.
# Usage, from the project root after `npm ci`:  scripts/device/make-kit.sh
# Then the device tool's run, with carry [".devkit"]:
#   source .devkit/setup.sh && node .devkit/run/bench-gpu.mjs --json $OUT/bench-gpu.json
set -euo pipefail
root=$(git rev-parse --show-toplevel); cd "$root"
mkdir -p .devkit/debs .devkit/run
if [ ! -f .devkit/node.xz ] || [ "$(command -v node)" -nt .devkit/node.xz ]; then
  echo "compressing node (about a minute)..."; xz -6 -T0 -c "$(readlink -f "$(command -v node)")" > .devkit/node.xz
fi
if ! ls .devkit/debs/libvulkan1_*.deb >/dev/null 2>&1; then
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64-lists'
  mkdir -p /tmp/amd64-lists/partial; apt-get $o update -qq
  (cd .devkit/debs && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 2>&1 | grep -v unsandboxed || true)
fi
# The bundle lives two folders below the root, where scripts/convert/fixture-models.ts expects itself (REPO_ROOT).
node_modules/.bin/esbuild scripts/bench-gpu.ts --bundle --platform=node --format=esm --target=node20 \
  --external:webgpu --external:onnxruntime-web --external:onnxruntime-web/webgpu --outfile=.devkit/run/bench-gpu.mjs --log-level=warning
stage=$(mktemp -d); mkdir -p "$stage/node_modules/webgpu/dist" "$stage/node_modules/onnxruntime-web/dist"
cp -r node_modules/webgpu/package.json node_modules/webgpu/index.js node_modules/webgpu/LICENSE.md "$stage/node_modules/webgpu/"
cp -r node_modules/webgpu/dist/linux-x64 "$stage/node_modules/webgpu/dist/"
cp node_modules/onnxruntime-web/package.json node_modules/onnxruntime-web/README.md "$stage/node_modules/onnxruntime-web/"
cp node_modules/onnxruntime-web/dist/ort.webgpu.bundle.min.mjs node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.mjs \
  node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm "$stage/node_modules/onnxruntime-web/dist/"
tar -C "$stage" -cJf .devkit/node_modules.tar.xz node_modules; rm -rf "$stage"
cat > .devkit/setup.sh <<'SETUP'
# sourced on the GPU machine from the project root
for f in .devkit/debs/*.deb; do dpkg -x "$f" /; done; ldconfig
[ -x /tmp/devkit-node/node ] || { mkdir -p /tmp/devkit-node && xz -dc .devkit/node.xz > /tmp/devkit-node/node && chmod +x /tmp/devkit-node/node; }
export PATH=/tmp/devkit-node:$PATH
[ -d node_modules ] || tar -xJf .devkit/node_modules.tar.xz
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
SETUP
du -sh .devkit; echo "size limit for what travels: 64 MiB (project files included)"
