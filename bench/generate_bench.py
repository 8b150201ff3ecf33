#!/usr/bin/python3
"""Decode speed of GPT-2 small against ONNX Runtime and the bandwidth limit.

Exports GPT-2 small in its generation form (scripts/export_models.py --full
--past) when missing, compiles it with a cache of 255 rows and one token per
step (-O3), once with the model's full present outputs and once with
--present=new-rows, and times the decode of --tokens tokens after a
--prompt-token prompt (context --prompt to --prompt + --tokens) with
tfm-run --generate, against ONNX Runtime's greedy loop on the same export
(ort_run.mjs --generate, whose cache grows by one row per step). The limit
is the bytes of the weights the products read per token (every MatMul and
Gemm initializer of the export) over the read bandwidth bench/membw.c
measures with the same threads (the median of measurements taken before
every decoder's run). With --quantize (default int8-weights,
int4-weights) each mode's -O3 --present=new-rows model is timed too,
against the limit of its own weight bytes (1 byte per weight for int8,
half a byte for int4; scales not counted) and against ONNX Runtime on its
own quantized form of the export with the same bytes per weight: its
dynamic int8 graph for int8-weights (scripts/quantize_ort_dynamic.py;
ONNX Runtime's 8-bit MatMulNBits has no optimized kernel on x86 and ran
GPT-2 at 664 ms/token), its 4-bit MatMulNBits graph for int4-weights
(scripts/quantize_ort_nbits.py, blocks of 32). With --kv-cache (default
f16) the fp32 decoder and each mode are also timed with the cache stored
in that type (tfmc --kv-cache), whose tokens are compared with the same
ONNX Runtime peer. With --prune (default n-m,heads) the fp32 decoder is
also timed pruned: 2:4 (--prune=n-m, N:M linears; the tied embedding
stays dense) and half the heads (--prune=heads --prune-sparsity=0.5, the
cache halved too), against the dense fp32 decoder (speed only: the
pruned models' tokens differ). Prefill: the same prompt run
one token per step by the decode model, --prefill-seq tokens per step and
the whole prompt in one step by prefill models (the export compiled with
that sequence length and the same cache, passed as tfm-run
--prefill-model), against the fixed-length
forward pass of the export over the whole prompt (compiled with an empty
cache, timed with tfm-run --bench) and ONNX Runtime's first step. Rounds
alternate tfmc and ORT; medians of the rounds are printed with the ratios.

    /usr/bin/python3 bench/generate_bench.py [--threads N] [--rounds 3]
        [--prompt 128] [--tokens 16] [--prefill-seq 64] [--quantize MODES]
        [--kv-cache TYPES] [--prune METHODS]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import onnx  # noqa: E402


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("generate_bench: %s failed:\n%s%s" % (
            " ".join(command), result.stdout, result.stderr))
    return result.stdout


BYTES_PER_WEIGHT = {"int8-weights": 1.0, "int4-weights": 0.5}
ORT_PEER = {"int8-weights": ("quantize_ort_dynamic.py", "dynamic int8"),
            "int4-weights": ("quantize_ort_nbits.py", "MatMulNBits 4 bits")}


def product_weight_bytes(path):
    """Bytes of the initializers that MatMul/Gemm nodes read (f32)."""
    model = onnx.load(path, load_external_data=False)
    inits = {i.name: i for i in model.graph.initializer}
    names = set()
    for node in model.graph.node:
        if node.op_type in ("MatMul", "Gemm"):
            names.update(n for n in node.input if n in inits)
    total = 0
    for name in names:
        tensor = inits[name]
        count = int(np.prod(tensor.dims)) if tensor.dims else 1
        total += count * np.dtype(
            onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[tensor.data_type]).itemsize
    return total


def cache_bytes_per_row(path):
    """Bytes one position adds to the key/value cache (f32): every past
    input's heads x head size."""
    model = onnx.load(path, load_external_data=False)
    total = 0
    for value in model.graph.input:
        if "past" not in value.name:
            continue
        dims = value.type.tensor_type.shape.dim
        total += dims[1].dim_value * dims[3].dim_value * 4
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--prompt", type=int, default=128)
    parser.add_argument("--tokens", type=int, default=16)
    parser.add_argument("--prefill-seq", type=int, default=64,
                        help="sequence length of the prefill model")
    parser.add_argument("--dynamic-bound", type=int, default=128,
                        help="bound of the sequence of the one dynamic "
                        "model that runs both the prompt and the decode")
    parser.add_argument("--models-dir",
                        default=os.path.join(ROOT, "build", "models"))
    parser.add_argument("--work", default=os.path.join(ROOT, "build", "bench",
                                                       "generate"))
    parser.add_argument("--quantize", default="int8-weights,int4-weights",
                        help="comma-separated weight modes also timed "
                        "(int8-weights, int4-weights; '' for none)")
    parser.add_argument("--kv-cache", default="f16",
                        help="comma-separated cache types (tfmc --kv-cache: "
                        "f16, bf16; '' for none) with which the fp32 "
                        "decoder and each --quantize mode are also timed")
    parser.add_argument("--prune", default="n-m,heads",
                        help="pruned fp32 decoders to time (n-m: 2:4, "
                        "heads: half the heads; empty: none)")
    parser.add_argument("--json")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    model = os.path.join(args.models_dir, "gpt2_full_past_opset17.onnx")
    if not os.path.exists(model):
        print("exporting GPT-2 small (generation form) ...", flush=True)
        run(["/usr/bin/python3", os.path.join(ROOT, "scripts",
                                              "export_models.py"),
             "--config", "full", "--past", "--family", "gpt2", "--opset",
             "17", "--out", args.models_dir])
    capacity = 255
    if args.prompt + args.tokens > capacity + 1:
        sys.exit("generate_bench: --prompt + --tokens must be at most %d" %
                 (capacity + 1))
    tfmc = os.path.join(ROOT, "build", "bin", "tfmc")
    tfm_run = os.path.join(ROOT, "build", "bin", "tfm-run")
    dims = ["--dim", "batch=1", "--dim", "sequence=1", "--dim",
            "past_sequence=%d" % capacity, "--dim",
            "total_sequence=%d" % (capacity + 1)]
    modes = [m for m in args.quantize.split(",") if m]
    for mode in modes:
        if mode not in BYTES_PER_WEIGHT:
            sys.exit("generate_bench: unknown --quantize mode '%s' (known: "
                     "%s)" % (mode, ", ".join(BYTES_PER_WEIGHT)))
    libs = {}
    for present in ("full", "new-rows"):
        libs[present] = os.path.join(args.work, "gpt2_decode_%s.so" % present)
        print("compiling (--present=%s) ..." % present, flush=True)
        run([tfmc, "-O3", "--emit=lib", model, "--present=" + present,
             "-o", libs[present]] + dims)
    # One model for both: the sequence dynamic, the mask's length the cache
    # rows plus it.
    libs["dynamic"] = os.path.join(args.work, "gpt2_dynamic.so")
    print("compiling the dynamic model (sequence ?%d) ..." %
          args.dynamic_bound, flush=True)
    run([tfmc, "-O3", "--emit=lib", model, "--present=new-rows", "-o",
         libs["dynamic"], "--dim", "batch=1", "--dim",
         "sequence=?%d" % args.dynamic_bound, "--dim",
         "past_sequence=%d" % capacity, "--dim",
         "total_sequence=past_sequence+sequence"])
    # Prefill models: --prefill-seq tokens per step, and the whole prompt
    # in one step.
    prefill_libs = {}
    for seq in sorted({args.prefill_seq, args.prompt}):
        prefill_libs[seq] = os.path.join(args.work, "gpt2_prefill%d.so" % seq)
        print("compiling the prefill model (sequence %d) ..." % seq,
              flush=True)
        run([tfmc, "-O3", "--emit=lib", model, "--present=new-rows", "-o",
             prefill_libs[seq], "--dim", "batch=1", "--dim",
             "sequence=%d" % seq, "--dim", "past_sequence=%d" % capacity,
             "--dim", "total_sequence=%d" % (capacity + seq)])
    forward_lib = os.path.join(args.work, "gpt2_forward.so")
    print("compiling the fixed-length forward (%d tokens) ..." % args.prompt,
          flush=True)
    run([tfmc, "-O3", "--emit=lib", model, "-o", forward_lib, "--dim",
         "batch=1", "--dim", "sequence=%d" % args.prompt, "--dim",
         "past_sequence=0", "--dim", "total_sequence=%d" % args.prompt])
    for mode in modes:
        libs[mode] = os.path.join(args.work, "gpt2_decode_%s.so" % mode)
        print("compiling (--quantize=%s) ..." % mode, flush=True)
        run([tfmc, "-O3", "--emit=lib", model, "--present=new-rows",
             "--quantize=" + mode, "-o", libs[mode]] + dims)

    caches = [c for c in args.kv_cache.split(",") if c]
    for cache in caches:
        if cache not in ("f16", "bf16"):
            sys.exit("generate_bench: unknown --kv-cache type '%s' (known: "
                     "f16, bf16)" % cache)
        for mode in ["new-rows"] + modes:
            key = "%s+%s" % (mode, cache)
            libs[key] = os.path.join(args.work, "gpt2_decode_%s_%s.so" %
                                     (mode, cache))
            print("compiling (%s, --kv-cache=%s) ..." % (mode, cache),
                  flush=True)
            quantize = [] if mode == "new-rows" else ["--quantize=" + mode]
            run([tfmc, "-O3", "--emit=lib", model, "--present=new-rows",
                 "--kv-cache=" + cache, "-o", libs[key]] + quantize + dims)

    prunings = {"n-m": ["--prune=n-m", "--prune-n-m=2:4"],
                "heads": ["--prune=heads", "--prune-sparsity=0.5"]}
    prune_modes = [p for p in args.prune.split(",") if p]
    for method in prune_modes:
        if method not in prunings:
            sys.exit("generate_bench: unknown --prune method '%s' (known: "
                     "%s)" % (method, ", ".join(prunings)))
        key = "prune-" + method
        libs[key] = os.path.join(args.work, "gpt2_decode_%s.so" % key)
        print("compiling (%s) ..." % " ".join(prunings[method]), flush=True)
        run([tfmc, "-O3", "--emit=lib", model, "--present=new-rows", "-o",
             libs[key]] + prunings[method] + dims)

    ort_models = {"ort": model}
    for mode in modes:
        script, title = ORT_PEER[mode]
        path = os.path.join(args.work, "gpt2_past_ort_%s.onnx" % mode)
        if not os.path.exists(path):
            print("writing ONNX Runtime's %s form ..." % title, flush=True)
            run(["/usr/bin/python3", os.path.join(ROOT, "scripts", script),
                 model, path])
        ort_models["ort-" + mode] = path

    prompt = os.path.join(args.work, "prompt.npy")
    rng = np.random.default_rng(1)
    np.save(prompt, rng.integers(0, 50257, (1, args.prompt), dtype=np.int64))

    membw = os.path.join(args.work, "membw")
    run(["/usr/lib/llvm-22/bin/clang", "-O2", "-pthread",
         os.path.join(ROOT, "bench", "membw.c"), "-o", membw])

    times = {key: [] for key in list(libs) + list(ort_models) +
             ["bandwidth"]}
    prefill = {key: [] for key in ["decode", "dynamic", "forward", "ort"] +
               list(prefill_libs)}
    tokens = {}
    def measure_bandwidth():
        out = run([membw, "--threads", str(args.threads)])
        times["bandwidth"].append(float(re.search(
            r"read bandwidth: ([0-9.]+) GB/s", out).group(1)))

    for _ in range(args.rounds):
        for present, lib in libs.items():
            # The host's bandwidth drifts: measured next to every decoder.
            measure_bandwidth()
            out = run([tfm_run, lib, "--generate", str(args.tokens),
                       "--prompt-ids", prompt, "--bench", "3", "--warmup",
                       "1", "--num-threads", str(args.threads)])
            times[present].append(float(re.search(
                r"decode: ([0-9.]+) ms/token", out).group(1)))
            tokens[present] = re.search(r"tokens: ([0-9 ]+)\n",
                                        out).group(1).split()
            if present in ("new-rows", "dynamic"):
                prefill["decode" if present == "new-rows" else present].append(
                    float(re.search(r"prefill: [0-9]+ tokens in ([0-9.]+) ms",
                                    out).group(1)))
        for seq, prefill_lib in prefill_libs.items():
            out = run([tfm_run, libs["new-rows"], "--prefill-model",
                       prefill_lib, "--generate", str(args.tokens),
                       "--prompt-ids", prompt, "--bench", "3", "--warmup",
                       "1", "--num-threads", str(args.threads)])
            prefill[seq].append(float(re.search(
                r"prefill: [0-9]+ tokens in ([0-9.]+) ms", out).group(1)))
            tokens["prefill%d" % seq] = re.search(
                r"tokens: ([0-9 ]+)\n", out).group(1).split()
        out = run([tfm_run, forward_lib, "--bench", "5", "--num-threads",
                   str(args.threads)])
        prefill["forward"].append(float(re.search(
            r"median ([0-9.]+) ms", out).group(1)))
        for key, path in ort_models.items():
            measure_bandwidth()
            out = run(["node", os.path.join(ROOT, "scripts", "ort_run.mjs"),
                       path, "--generate", str(args.tokens), "--prompt-ids",
                       prompt, "--threads", str(args.threads), "--bench",
                       "3"])
            tokens[key] = re.search(r"tokens: ([0-9 ]+)\n",
                                    out).group(1).split()
            ort_times = json.loads(out.strip().splitlines()[-1])
            times[key].append(ort_times["decode_ms_per_token"])
            if key == "ort":
                prefill["ort"].append(ort_times["prefill_ms"])

    med = {k: statistics.median(v) for k, v in times.items()}
    pre = {k: statistics.median(v) for k, v in prefill.items()}
    weight_bytes = product_weight_bytes(model)
    limit_ms = weight_bytes / (med["bandwidth"] * 1e9) * 1e3
    same = all(tokens[key] == tokens["ort"] for key in
               ["full", "new-rows", "dynamic"] +
               ["prefill%d" % s for s in prefill_libs])
    print("\nGPT-2 small decode, context %d-%d, %d threads, %d rounds "
          "(median of round medians)" % (args.prompt,
                                         args.prompt + args.tokens,
                                         args.threads, args.rounds))
    print("read bandwidth %.1f GB/s; product weights %.1f MB per token: "
          "limit %.2f ms/token" % (med["bandwidth"], weight_bytes / 1e6,
                                   limit_ms))
    context = args.prompt + args.tokens / 2
    row_bytes = cache_bytes_per_row(model)
    print("key/value cache read per token at the mean context (%d rows): "
          "%.1f MB in f32, %.1f MB in f16/bf16 (not in the limit)" % (
              context, row_bytes * context / 1e6,
              row_bytes * context / 2e6))
    header = ("decoder", "ms/token", "limit ms", "/ limit", "ORT fp32 / it",
              "ORT same weights / it")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    rows = [("new-rows", "tfmc -O3 --present=new-rows", limit_ms, "ort"),
            ("full", "tfmc -O3 --present=full", limit_ms, "ort"),
            ("dynamic", "tfmc -O3 --present=new-rows, one model (sequence "
             "?%d)" % args.dynamic_bound, limit_ms, "ort")]
    rows += [(mode, "tfmc -O3 --present=new-rows --quantize=" + mode,
              limit_ms * BYTES_PER_WEIGHT[mode] / 4, "ort-" + mode)
             for mode in modes]
    for cache in caches:
        rows.append(("new-rows+" + cache, "tfmc -O3 --present=new-rows "
                     "--kv-cache=" + cache, limit_ms, "ort"))
        rows += [("%s+%s" % (mode, cache), "tfmc -O3 --present=new-rows "
                  "--quantize=%s --kv-cache=%s" % (mode, cache),
                  limit_ms * BYTES_PER_WEIGHT[mode] / 4, "ort-" + mode)
                 for mode in modes]
    rows.append(("ort", "ONNX Runtime (fp32)", limit_ms, "ort"))
    rows += [("ort-" + mode, "ONNX Runtime, %s" % ORT_PEER[mode][1],
              limit_ms * BYTES_PER_WEIGHT[mode] / 4, "ort-" + mode)
             for mode in modes]
    for key, title, limit, peer in rows:
        print("| %s | %.2f | %.2f | %.2f | %.2f | %.2f |" % (
            title, med[key], limit, med[key] / limit,
            med["ort"] / med[key], med[peer] / med[key]))
    if prune_modes:
        print("\n| pruned fp32 decoder | ms/token | fp32 / it |")
        print("|---|---|---|")
        for method in prune_modes:
            key = "prune-" + method
            print("| tfmc -O3 --present=new-rows %s | %.2f | %.2f |" % (
                " ".join(prunings[method]), med[key],
                med["new-rows"] / med[key]))
    print("\nPrefill of the %d-token prompt (median of round medians)" %
          args.prompt)
    header = ("prefill", "ms", "tokens/s", "/ fixed-length forward",
              "ORT / it")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    rows = [("decode", "tfmc decode model, 1 token per step")]
    rows += [(seq, "tfmc prefill model, %d tokens per step" % seq)
             for seq in prefill_libs]
    rows.append(("dynamic", "tfmc one dynamic model (sequence ?%d), up to "
                 "%d tokens per step" % (args.dynamic_bound,
                                         args.dynamic_bound)))
    rows += [("forward", "tfmc fixed-length forward, %d tokens" % args.prompt),
             ("ort", "ONNX Runtime, the prompt in one step")]
    for key, title in rows:
        print("| %s | %.1f | %.0f | %.2f | %.2f |" % (
            title, pre[key], args.prompt / pre[key] * 1e3,
            pre[key] / pre["forward"], pre["ort"] / pre[key]))
    print("greedy tokens identical across tfmc's fp32 decoders and ORT fp32: "
          "%s" % same)
    for cache in caches:
        for mode in ["new-rows"] + modes:
            peer = "ort" if mode == "new-rows" else "ort-" + mode
            key = "%s+%s" % (mode, cache)
            print("greedy tokens of %s --kv-cache=%s and %s: %d of %d the "
                  "same" % ("fp32" if mode == "new-rows" else
                            "--quantize=" + mode, cache, peer,
                            sum(a == b for a, b in zip(tokens[key],
                                                       tokens[peer])),
                            len(tokens[key])))
    for mode in modes:
        print("greedy tokens of --quantize=%s and ORT's %s form: %d of "
              "%d the same" % (mode, ORT_PEER[mode][1],
                               sum(a == b for a, b in zip(
                                   tokens[mode], tokens["ort-" + mode])),
                               len(tokens[mode])))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"ms_per_token": med, "limit_ms": limit_ms,
                       "prefill_ms": pre, "weight_bytes": weight_bytes,
                       "same_tokens": same}, f, indent=2)


if __name__ == "__main__":
    main()
