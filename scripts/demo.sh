#!/usr/bin/env bash
# `make demo`: runs the tfm graph-level pipeline on the bundled example
# layers and prints the optimized IR of each.
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
for example in bert_encoder_layer gpt_decoder_layer; do
  echo "=== examples/$example.mlir after --tfm-graph-pipeline ==="
  "$build/bin/tfm-opt" "$root/examples/$example.mlir" --tfm-graph-pipeline
  echo
done
