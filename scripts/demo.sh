#!/usr/bin/env bash
# `make demo`: compiles the bundled default model, a small GPT-2-style
# decoder (examples/models/gpt2_demo_opset17.onnx, made by
# scripts/export_models.py --config demo), to a native executable, runs it
# on generated token ids, and prints its output summary and latency.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
model="$root/examples/models/gpt2_demo_opset17.onnx"
out="$build/demo"
mkdir -p "$out"

echo "=== tfmc $(basename "$model") --input-shape input_ids=1x64 -o $out/gpt2_demo"
"$build/bin/tfmc" "$model" --input-shape input_ids=1x64 -o "$out/gpt2_demo" \
  --timing
echo
echo "=== $out/gpt2_demo --info"
"$out/gpt2_demo" --info
echo
echo "=== $out/gpt2_demo --bench 20 (inputs generated: ids in [0, 512))"
"$out/gpt2_demo" --bench 20
echo
echo "=== the same model under ONNX Runtime 1.30, compared output by output"
/usr/bin/python3 "$root/scripts/compare_with_ort.py" "$model" \
  --shape input_ids=1x64 --sets 2 --tfmc "$build/bin/tfmc" --work "$out/compare"
