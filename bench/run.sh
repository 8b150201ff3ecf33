#!/usr/bin/env bash
# `make bench`: tfmc at -O1, -O2 and -O3 against ONNX Runtime on BERT-base
# (sequences 128 and 16), MiniLM-L6 and GPT-2 small (sequence 128); the
# fp32 GEMM kernel against OpenBLAS and the machine's peak, and attention
# against the GEMM rate; tfmc's quantized linears (int8 weights, W8A8)
# against its fp32 ones and the measured vpdpbusd peak; GPT-2 small's
# decode step (tfm_model_generate) against ONNX Runtime's and the machine's
# read bandwidth; a GPT-2 block compiled with a dynamic sequence length
# against static compilations (dynamic_bench.py); pruned models against
# their dense form (prune_bench.py); then the
# fork/join cost of a parallel loop under libomp and under a plain thread
# pool (the measurement behind the choice of OpenMP, docs/architecture.md).
# Options pass through to run_bench.py.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
/usr/bin/python3 "$root/bench/run_bench.py" "$@"

echo
echo "fp32 GEMM against OpenBLAS, attention against the GEMM rate:"
/usr/bin/python3 "$root/bench/gemm_bench.py"

echo
echo "quantized linears against fp32 ones (tfmc --quantize=int8-weights, w8a8-dynamic):"
/usr/bin/python3 "$root/bench/quant_bench.py" --tfmc "$root/build/bin/tfmc" \
  --tfm-run "$root/build/bin/tfm-run" --work "$root/build/bench/quant"

echo
echo "GPT-2 small decode against ONNX Runtime and the memory-bandwidth limit:"
/usr/bin/python3 "$root/bench/generate_bench.py"

echo
echo "a decoder block compiled once for any sequence length against static compilations:"
/usr/bin/python3 "$root/bench/dynamic_bench.py"

echo
echo "pruned models against their dense form (structured heads and FFN channels, block-sparse linears):"
/usr/bin/python3 "$root/bench/prune_bench.py" --tfmc "$root/build/bin/tfmc" \
  --tfm-run "$root/build/bin/tfm-run" --work "$root/build/bench/prune"

echo
echo "fork/join cost of one parallel loop:"
mkdir -p "$root/build/bench"
cc=/usr/lib/llvm-22/bin/clang
"$cc" -O2 -fopenmp -L/usr/lib/llvm-22/lib -Wl,-rpath,/usr/lib/llvm-22/lib \
  "$root/bench/parallel_overhead.c" -o "$root/build/bench/parallel_overhead"
"$root/build/bench/parallel_overhead" "$(nproc)"
