#!/usr/bin/env bash
# Installs, with apt-get, the system packages tfmc needs to build and test.
# Idempotent: only packages that are missing are installed, and each is named
# before installation. Safe to run on every `make demo` / `make check`.
set -euo pipefail

packages=(
  # LLVM/MLIR 22 toolchain (prefix /usr/lib/llvm-22).
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  # Build tools.
  cmake ninja-build ccache make
  # ONNX frontend: protobuf model library, test data for the backend node tests.
  libonnx-dev libonnx-testdata protobuf-compiler libprotobuf-dev
  # Unit tests.
  libgtest-dev
  # Exporter scripts and test-model generation (run with /usr/bin/python3).
  python3-onnx python3-numpy python3-torch
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
