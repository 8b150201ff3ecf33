#!/usr/bin/python3
"""tfmc's int8-weight linears against its fp32 ones, interleaved.

Compiles one BERT-base FFN linear (128 x 768 -> 3072, bias, GELU) with
f32 weights and with `--quantize=int8-weights`, at -O2 and -O3, and times
them in interleaved rounds with tfm-run (medians); prints each median and
the int8/fp32 ratio per level. Ratios, not milliseconds, are the figure:
both run in the same rounds on the same machine.

    quant_bench.py --tfmc build/bin/tfmc --tfm-run build/bin/tfm-run \\
        --work /tmp/quant-bench [--rounds 3]
"""

import argparse
import os
import re
import subprocess
import sys

import numpy as np

from measure import run_counts

M, K, N = 128, 768, 3072


def write_model(path):
    rng = np.random.RandomState(0)
    w = (rng.standard_normal([N, K]) / np.sqrt(K)).astype(np.float32)
    b = rng.standard_normal([N]).astype(np.float32)

    def blob(name, array):
        # Resource blobs: a 4-byte alignment header (64), then the bytes.
        return '      %s: "0x40000000%s"' % (name, array.tobytes().hex())

    x, wt, bt, y = ("tensor<%dx%dxf32>" % (M, K), "tensor<%dx%dxf32>" % (N, K),
                    "tensor<%dxf32>" % N, "tensor<%dx%dxf32>" % (M, N))
    with open(path, "w") as f:
        f.write("""func.func @ffn(%%x: %s {tfm.name = "x"}) -> (%s {tfm.name = "out"}) {
  %%w = tfm.constant dense_resource<w> : %s
  %%b = tfm.constant dense_resource<b> : %s
  %%y = tfm.linear %%x, %%w, %%b activation = gelu : (%s, %s, %s) -> %s
  return %%y : %s
}
{-#
  dialect_resources: {
    builtin: {
%s,
%s
    }
  }
#-}
""" % (x, y, wt, bt, x, wt, bt, y, y, blob("w", w), blob("b", b)))


def median_ms(tfm_run, library, runs, warmup):
    out = subprocess.run([tfm_run, library, "--bench", str(runs), "--warmup",
                          str(warmup)], capture_output=True, text=True,
                         check=True).stdout
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tfmc", required=True)
    parser.add_argument("--tfm-run", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    source = os.path.join(args.work, "ffn.mlir")
    write_model(source)
    variants = []
    for level in ("-O2", "-O3"):
        for mode in ("none", "int8-weights"):
            library = os.path.join(args.work, "ffn%s_%s.so" % (level, mode))
            subprocess.run([args.tfmc, source, level, "--quantize=" + mode,
                            "--emit=lib", "-o", library], check=True)
            variants.append((level, mode, library))
    times = {v: [] for v in variants}
    estimate = median_ms(args.tfm_run, variants[0][2], 5, 2)
    runs, warmup = run_counts(estimate, 20, 3)
    for _ in range(args.rounds):
        for variant in variants:
            times[variant].append(
                median_ms(args.tfm_run, variant[2], runs, warmup))
    print("FFN linear %dx%d -> %d, GELU; medians of %d runs, %d rounds (ms)"
          % (M, K, N, runs, args.rounds))
    for level in ("-O2", "-O3"):
        fp32 = [times[v] for v in variants if v[:2] == (level, "none")][0]
        int8 = [times[v] for v in variants
                if v[:2] == (level, "int8-weights")][0]
        print("%s fp32 %s  int8-weights %s  ratio %.2f" % (
            level, " / ".join("%.3f" % t for t in fp32),
            " / ".join("%.3f" % t for t in int8),
            float(np.median(int8) / np.median(fp32))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
