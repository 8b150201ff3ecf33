#!/usr/bin/python3
"""Benchmarks tfmc-compiled models against ONNX Runtime on this machine.

For each case (a model, exported by scripts/export_models.py when missing,
at one sequence length) it compiles three executables with tfmc, at -O1
(cleanups only), -O2 (tfmc's default: + the graph fusions) and -O3 (+ the
weights packed in panels), timing the compilations, then alternates rounds
of tfmc -O1, -O2, -O3 and ONNX Runtime runs on the same inputs with the
same thread count, so that all see the same machine state. Each round
times at least --runs runs and 0.5 s of them, after at least --warmup runs
and 0.3 s of warm-up (the counts sized on the -O3 executable, and the same
for all four). It prints, per
case, the median latency of each (the median of the rounds' medians), the
ratios -O2 / -O1, -O2 / ORT and -O3 / ORT, the peak RSS of tfmc -O3 and of
ORT, and the compile times. With --quantize (default w8a8-dynamic), each
mode's -O3 executable runs in the same rounds too, with ONNX Runtime on
the model's own quantized form as the peer: its dynamic int8 form
(scripts/quantize_ort_dynamic.py: the DynamicQuantizeLinear + MatMulInteger
graph of ORT's own quantizer) for the int8 modes, its 4-bit MatMulNBits
form (scripts/quantize_ort_nbits.py) for int4-weights, the fp32 model for
bf16 and fp16 (default modes: w8a8-dynamic,bf16); a second table gives
each mode's latency against tfmc -O3 fp32, ONNX Runtime fp32 and the peer.

    /usr/bin/python3 bench/run_bench.py [--models bert,bert16,minilm,gpt2]
        [--rounds 3] [--runs 10] [--threads N] [--quantize MODES]
        [--target-cpu CPU] [--json FILE]

ORT's peak RSS is that of the Node.js process running it, which includes
the Node.js runtime itself.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import compare_with_ort  # noqa: E402  (inputs shared with the ORT checks)
import measure  # noqa: E402  (bench/, the script's own directory)
import numpy as np  # noqa: E402
import onnx  # noqa: E402

# -O1: cleanups only; -O2: tfmc's default, with the graph fusions; -O3:
# + weights packed in panels.
OPT_LEVELS = (1, 2, 3)

# name -> (title, exporter family, graph inputs with their shapes)
MODELS = {
    "bert": ("BERT-base, seq 128", "bert", {"input_ids": [1, 128],
                                             "attention_mask": [1, 128]}),
    # Short sequences: weights dominate, and the fusions' savings in
    # intermediate traffic and loop overhead weigh most.
    "bert16": ("BERT-base, seq 16", "bert", {"input_ids": [1, 16],
                                              "attention_mask": [1, 16]}),
    "minilm": ("MiniLM-L6, seq 128", "minilm", {"input_ids": [1, 128],
                                       "attention_mask": [1, 128]}),
    "gpt2": ("GPT-2 small, 128 tokens", "gpt2", {"input_ids": [1, 128]}),
}


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit("run_bench: %s failed:\n%s%s" % (" ".join(command),
                                                  result.stdout,
                                                  result.stderr))
    return result.stdout


def run_measured(command):
    """Runs `command`; returns its wall time and peak RSS (MiB, from wait4:
    at least the parent's RSS at fork, which tfmc far exceeds)."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=log, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            log.seek(0)
            sys.exit("run_bench: %s failed:\n%s" % (
                " ".join(command), log.read().decode(errors="replace")))
    return seconds, usage.ru_maxrss / 1024.0


def ensure_model(family, models_dir):
    path = os.path.join(models_dir, "%s_full_opset17.onnx" % family)
    if not os.path.exists(path):
        print("exporting %s ..." % family, flush=True)
        run(["/usr/bin/python3", os.path.join(ROOT, "scripts",
                                              "export_models.py"),
             "--config", "full", "--out", models_dir, "--family", family,
             "--opset", "17"])
    return path


def bench_model(key, args, work):
    title, family, shapes = MODELS[key]
    model = ensure_model(family, args.models_dir)
    model_work = os.path.join(work, key)
    os.makedirs(model_work, exist_ok=True)

    # Executables by level (1-3) or quantization mode (at -O3).
    exes, compile_seconds, compile_rss_mib = {}, {}, {}

    def compile_tfmc(variant, name, flags):
        exes[variant] = os.path.join(model_work, name)
        command = [args.tfmc, model] + flags + ["-o", exes[variant]]
        if args.target_cpu:
            command.append("--target-cpu=" + args.target_cpu)
        command += ["--input-shape=%s=%s" % (n, "x".join(map(str, s)))
                    for n, s in shapes.items()]
        compile_seconds[variant], compile_rss_mib[variant] = run_measured(
            command)

    for level in OPT_LEVELS:
        compile_tfmc(level, "%s_O%d" % (key, level), ["-O%d" % level])
    modes = [m for m in args.quantize.split(",") if m]
    # ONNX Runtime's own quantized form of the model, per mode: its dynamic
    # int8 graph, or its 4-bit MatMulNBits graph for int4-weights.
    peers = {}
    for mode in modes:
        kind = peer_kind(mode)
        if kind == "fp32":
            continue  # the model itself, timed in every round anyway
        script = ("quantize_ort_nbits.py" if kind == "int4"
                  else "quantize_ort_dynamic.py")
        path = model.replace(".onnx", "_ort_%s.onnx" % kind)
        if kind not in peers and not os.path.exists(path):
            run(["/usr/bin/python3", os.path.join(ROOT, "scripts", script),
                 model, path])
        peers[kind] = path
    for mode in modes:
        compile_tfmc(mode, "%s_O3_%s" % (key, mode),
                     ["-O3", "--quantize=" + mode])

    graph = onnx.load(model, load_external_data=False).graph
    flags = []
    for name, data in compare_with_ort.make_inputs(graph, shapes, 0).items():
        path = os.path.join(model_work, "%s.npy" % name)
        np.save(path, data)
        flags += ["--input", "%s=%s" % (name, path)]

    # Run counts (bench/measure.py's rule), sized on the -O3 executable and
    # the same for all four.
    out = run([exes[3], "--quiet", "--bench", "3", "--warmup", "1",
               "--num-threads", str(args.threads)] + flags)
    runs, warmup = measure.run_counts(
        float(re.search(r"median ([0-9.]+) ms", out).group(1)), args.runs,
        args.warmup)

    def time_ort(path):
        out = run(["node", os.path.join(ROOT, "scripts", "ort_run.mjs"),
                   path, "--bench", str(runs), "--warmup",
                   str(warmup), "--threads", str(args.threads)] + flags)
        return json.loads(out.strip().splitlines()[-1])

    variants = OPT_LEVELS + tuple(modes)
    tfm_medians = {variant: [] for variant in variants}
    tfm_rss = {variant: [] for variant in variants}
    ort_medians, ort_rss = [], []
    peer_medians = {kind: [] for kind in peers}
    for _ in range(args.rounds):
        for variant in variants:
            out = run([exes[variant], "--quiet", "--bench", str(runs),
                       "--warmup", str(warmup), "--num-threads",
                       str(args.threads)] + flags)
            tfm_medians[variant].append(float(re.search(
                r"median ([0-9.]+) ms", out).group(1)))
            tfm_rss[variant].append(float(re.search(
                r"peak RSS: ([0-9.]+) MiB", out).group(1)))
        stats = time_ort(model)
        ort_medians.append(stats["median_ms"])
        ort_rss.append(stats["peak_rss_mib"])
        for kind, path in peers.items():
            peer_medians[kind].append(time_ort(path)["median_ms"])
    def quantized_row(mode):
        ms = statistics.median(tfm_medians[mode])
        kind = peer_kind(mode)
        peer = statistics.median(ort_medians if kind == "fp32"
                                 else peer_medians[kind])
        return {"ms": ms, "over_O3": ms / o3, "over_ort": ms / ort,
                "peer": "ORT " + peer_kind(mode), "peer_ms": peer,
                "over_peer": ms / peer, "compile_s": compile_seconds[mode]}

    o1 = statistics.median(tfm_medians[1])
    o2 = statistics.median(tfm_medians[2])
    o3 = statistics.median(tfm_medians[3])
    ort = statistics.median(ort_medians)
    return {"model": title, "tfmc_O1_ms": o1, "tfmc_O2_ms": o2,
            "tfmc_O3_ms": o3, "ort_ms": ort, "O2_over_O1": o2 / o1,
            "O2_over_ort": o2 / ort, "O3_over_ort": o3 / ort,
            "tfmc_rss_mib": max(tfm_rss[3]), "ort_rss_mib": max(ort_rss),
            "compile_s": {level: compile_seconds[level]
                          for level in OPT_LEVELS},
            "compile_rss_mib": compile_rss_mib[3],
            "quantized": {mode: quantized_row(mode) for mode in modes}}


def peer_kind(mode):
    """ONNX Runtime's form of the model a quantized mode is compared with:
    its int4 or int8 graph, or for the mixed-precision modes the fp32 model
    (ONNX Runtime's CPU provider has no bf16 or f16 matrix products)."""
    if mode in ("bf16", "fp16"):
        return "fp32"
    return "int4" if mode.startswith("int4") else "int8"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default="bert,bert16,minilm,gpt2")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--tfmc", default=os.path.join(ROOT, "build", "bin",
                                                       "tfmc"))
    parser.add_argument("--models-dir",
                        default=os.path.join(ROOT, "build", "models"))
    parser.add_argument("--work", default=os.path.join(ROOT, "build",
                                                       "bench"))
    parser.add_argument("--quantize", default="w8a8-dynamic,bf16",
                        help="comma-separated tfmc --quantize modes also "
                        "timed at -O3 ('' for none)")
    parser.add_argument("--target-cpu",
                        help="tfmc's --target-cpu for every executable (e.g. "
                        "x86-64-v3 to time the AVX2 code on an AVX-512 "
                        "machine; ONNX Runtime still picks its own kernels)")
    parser.add_argument("--json")
    args = parser.parse_args()

    rows = []
    for key in args.models.split(","):
        if key not in MODELS:
            sys.exit("run_bench: unknown model '%s' (known: %s)" %
                     (key, ", ".join(MODELS)))
        print("benchmarking %s ..." % MODELS[key][0], flush=True)
        rows.append(bench_model(key, args, args.work))

    print("\n%d threads, %d rounds (median of round medians), each of at "
          "least %d runs and 0.5 s (warm-up at least %d runs and 0.3 s)" %
          (args.threads, args.rounds, args.runs, args.warmup))
    header = ("model", "-O1 ms", "-O2 ms", "-O3 ms", "ORT ms", "-O2/-O1",
              "-O2/ORT", "-O3/ORT", "-O3 RSS MiB", "ORT RSS MiB",
              "compile -O1/-O2/-O3 s", "compile RSS MiB")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for r in rows:
        compile_s = "/".join("%.1f" % r["compile_s"][level]
                             for level in OPT_LEVELS)
        print("| %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | %.0f "
              "| %.0f | %s | %.0f |" % (
                  r["model"], r["tfmc_O1_ms"], r["tfmc_O2_ms"],
                  r["tfmc_O3_ms"], r["ort_ms"], r["O2_over_O1"],
                  r["O2_over_ort"], r["O3_over_ort"], r["tfmc_rss_mib"],
                  r["ort_rss_mib"], compile_s, r["compile_rss_mib"]))
    if any(r["quantized"] for r in rows):
        print()
        header = ("model", "tfmc -O3 mode", "ms", "ORT peer", "peer ms",
                  "/ tfmc -O3 fp32", "/ ORT fp32", "/ peer", "compile s")
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for r in rows:
            for mode, q in r["quantized"].items():
                print("| %s | %s | %.1f | %s | %.1f | %.2f | %.2f | %.2f | "
                      "%.1f |" % (r["model"], mode, q["ms"], q["peer"],
                                  q["peer_ms"], q["over_O3"], q["over_ort"],
                                  q["over_peer"], q["compile_s"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
