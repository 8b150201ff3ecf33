#!/usr/bin/python3
"""The accuracy of tfmc's pruning methods on the project's trained model.

Compiles the byte-level language model of scripts/train_tiny_lm.py
(test/Models/tinylm_bytes.onnx) with each --prune method at 50, 70 and 90 %
(n-m at 2:4, 4:8, 1:4 and 1:8: 50, 50, 75 and 87.5 %; heads of 4 per
layer: 2, 2 and 3 of them), with no fine-tuning after pruning, runs each
on the held-out text and prints the table of bench/quant_accuracy.py:
cross entropy, perplexity, its increase over tfmc's unpruned fp32 model,
top-1 agreement and the largest logit difference. With --check: pruning
at 0 % must change nothing, and magnitude at 50 % and 2:4 must stay under
loose ceilings (+50 % and +120 % perplexity, against +37 % and +90 %
measured) that pruning the wrong weights would break by far.

    prune_accuracy.py --tfmc build/bin/tfmc --tfm-run build/bin/tfm-run \\
        --work /tmp/prune-accuracy [--check]
"""

import sys

from quant_accuracy import evaluate, parse_args

MODES = [("fp32", [], None),
         ("magnitude 0 %", ["--prune=magnitude", "--prune-sparsity=0"], 0.0)]
for sparsity in (0.5, 0.7, 0.9):
    percent = "%d %%" % round(100 * sparsity)
    ceiling = 0.5 if sparsity == 0.5 else None
    MODES += [
        ("magnitude " + percent,
         ["--prune=magnitude", "--prune-sparsity=%g" % sparsity], ceiling),
        ("magnitude global " + percent,
         ["--prune=magnitude", "--prune-global",
          "--prune-sparsity=%g" % sparsity], None),
        ("block 1x16 " + percent,
         ["--prune=block", "--prune-block=1x16",
          "--prune-sparsity=%g" % sparsity], None),
        ("block 4x4 " + percent,
         ["--prune=block", "--prune-block=4x4",
          "--prune-sparsity=%g" % sparsity], None),
        ("ffn-channels " + percent,
         ["--prune=ffn-channels", "--prune-sparsity=%g" % sparsity], None),
        ("heads " + percent,
         ["--prune=heads", "--prune-sparsity=%g" % sparsity], None),
    ]
for n, m, ceiling in ((2, 4, 1.2), (4, 8, None), (1, 4, None), (1, 8, None)):
    MODES.append(("n-m %d:%d" % (n, m),
                  ["--prune=n-m", "--prune-n-m=%d:%d" % (n, m)], ceiling))


def main():
    args = parse_args(__doc__)
    failures = evaluate(args, MODES)
    return 1 if args.check and failures else 0


if __name__ == "__main__":
    sys.exit(main())
