#!/usr/bin/env bash
# Installs, with apt-get, the system packages tfmc needs to build and test,
# then ONNX Runtime (the numerical reference and benchmark peer) from npm
# into build/deps/ort. Idempotent: only what is missing is installed, and
# each package is named before installation. Safe to run on every
# `make demo` / `make check`.
set -euo pipefail

packages=(
  # LLVM/MLIR 22 toolchain (prefix /usr/lib/llvm-22).
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  # LLVM's OpenMP runtime: generated code runs its parallel loops on it.
  libomp-22-dev
  # Build tools.
  cmake ninja-build ccache make
  # ONNX frontend: protobuf model library, test data for the backend node tests.
  libonnx-dev libonnx-testdata protobuf-compiler libprotobuf-dev
  # Unit tests.
  libgtest-dev
  # Exporter scripts and test-model generation (run with /usr/bin/python3).
  python3-onnx python3-numpy python3-torch
  # ONNX Runtime through onnxruntime-node (npm: below).
  nodejs
  # `make bench` only: OpenBLAS, the GEMM benchmark's peer (nothing tfmc
  # builds links it).
  libopenblas-dev
)

# `install-deps.sh --sanitizers` (make check-asan, make fuzz): clang's
# sanitizer and libFuzzer runtimes too.
if [ "${1:-}" = "--sanitizers" ]; then
  packages+=(libclang-rt-22-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  SUDO=
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Debian splits npm from nodejs; other Node.js builds bundle it.
if ! command -v npm >/dev/null; then
  echo "install-deps: installing npm"
  SUDO=
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
  $SUDO apt-get install -y -qq --no-install-recommends npm
fi

# ONNX Runtime 1.30 for Node.js ships its native library in the package;
# its install script (a download) is not needed.
root=$(cd "$(dirname "$0")/.." && pwd)
ort_dir=${TFM_ORT_DIR:-$root/build/deps/ort}
ort_version=1.30.0
if [ -f "$ort_dir/node_modules/onnxruntime-node/package.json" ] &&
   grep -q "\"version\": \"$ort_version\"" \
     "$ort_dir/node_modules/onnxruntime-node/package.json"; then
  echo "install-deps: onnxruntime-node $ort_version present"
else
  echo "install-deps: installing onnxruntime-node $ort_version into $ort_dir"
  mkdir -p "$ort_dir"
  npm install --prefix "$ort_dir" --ignore-scripts --no-audit --no-fund \
    --loglevel=error "onnxruntime-node@$ort_version"
fi
echo "install-deps: done"
