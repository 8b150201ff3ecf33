#!/usr/bin/python3
"""The accuracy of tfmc's quantization modes on the project's trained model.

Compiles the byte-level language model that scripts/train_tiny_lm.py
trained (test/Models/tinylm_bytes.onnx) with each --quantize mode
(w8a8-static calibrated on windows of the training text), runs
every compiled model on the held-out text (the windows of 128 bytes of the
license texts the training left out) and reports, per mode: the next-byte
cross entropy (nats per byte) and perplexity, the perplexity's increase
relative to tfmc's fp32 model, the agreement of the top-1 prediction with
fp32's, and the largest logit difference. With --check, exits non-zero
when a mode misses its target (W8A8, bf16 and fp16: perplexity +0.5 % at
most; int4 in blocks of 32: +3 %).

    quant_accuracy.py --tfmc build/bin/tfmc --tfm-run build/bin/tfm-run \\
        --work /tmp/quant-accuracy [--check]
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "test", "Models", "tinylm_bytes.onnx")
CORPUS_DIR = "/usr/share/common-licenses"
CONTEXT = 128

# (name, tfmc flags, target relative perplexity increase or None)
MODES = [
    ("fp32", [], None),
    ("int8-weights", ["--quantize=int8-weights"], 0.005),
    ("w8a8-dynamic", ["--quantize=w8a8-dynamic"], 0.005),
    ("w8a8-static", ["--quantize=w8a8-static", "--calibrate={calibration}"],
     0.005),
    ("bf16", ["--quantize=bf16"], 0.005),
    ("fp16", ["--quantize=fp16"], 0.005),
    ("int4-weights b32", ["--quantize=int4-weights",
                          "--quantize-block-size=32"], 0.03),
    ("int4-weights b128", ["--quantize=int4-weights",
                           "--quantize-block-size=128"], None),
]


def text_windows(model, files="held_out_files", count=None):
    """Windows of CONTEXT bytes of the model's held-out (or training)
    texts, and the bytes that follow each; the first `count` only."""
    with open(os.path.splitext(model)[0] + ".json") as f:
        info = json.load(f)
    data = b""
    for name in info[files]:
        with open(os.path.join(CORPUS_DIR, name), "rb") as f:
            data += f.read() + b"\n"
    data = np.frombuffer(data, dtype=np.uint8).astype(np.int64)
    windows = (len(data) - 1) // CONTEXT
    if count is not None:
        windows = min(windows, count)
    ids = np.stack([data[i * CONTEXT:(i + 1) * CONTEXT]
                    for i in range(windows)])
    targets = np.stack([data[i * CONTEXT + 1:(i + 1) * CONTEXT + 1]
                        for i in range(windows)])
    return ids, targets


def cross_entropy(logits, targets):
    logits = logits.astype(np.float64)
    peak = logits.max(axis=-1, keepdims=True)
    log_z = np.log(np.exp(logits - peak).sum(axis=-1)) + peak[..., 0]
    picked = np.take_along_axis(logits, targets[..., None], axis=-1)[..., 0]
    return float((log_z - picked).mean())


def parse_args(doc):
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--tfmc", required=True)
    parser.add_argument("--tfm-run", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--model", default=MODEL)
    parser.add_argument("--tfmc-arg", action="append", default=[],
                        help="extra tfmc flag for every mode (repeatable)")
    parser.add_argument("--check", action="store_true",
                        help="fail when a mode misses its target")
    return parser.parse_args()


def evaluate(args, modes):
    """Compiles and runs the model in each of `modes` ((name, tfmc flags,
    target relative perplexity increase or None), fp32 first) on the
    held-out text and prints the table; the number of missed targets."""
    os.makedirs(args.work, exist_ok=True)
    ids, targets = text_windows(args.model)
    ids_path = os.path.join(args.work, "input_ids.npy")
    np.save(ids_path, ids)
    # w8a8-static calibrates on training text, as many windows as the
    # compiled input holds.
    calibration = os.path.join(args.work, "calibration")
    os.makedirs(calibration, exist_ok=True)
    train_ids, _ = text_windows(args.model, "train_files", ids.shape[0])
    np.save(os.path.join(calibration, "input_ids.npy"), train_ids)
    results = []
    for name, flags, target in modes:
        tag = name.replace(" ", "_").replace(":", "-")
        library = os.path.join(args.work, tag + ".so")
        subprocess.run([args.tfmc, args.model, "-O3", "--emit=lib", "-o",
                        library, "--input-shape=input_ids=%dx%d" % ids.shape]
                       + [f.format(calibration=calibration) for f in flags]
                       + args.tfmc_arg, check=True)
        out_dir = os.path.join(args.work, tag)
        subprocess.run([args.tfm_run, library, "--input",
                        "input_ids=" + ids_path, "--output-dir", out_dir],
                       check=True, stdout=subprocess.DEVNULL)
        logits = np.load(os.path.join(out_dir, "logits.npy"))
        results.append((name, target, logits, cross_entropy(logits, targets)))
    base_logits, base_loss = results[0][2], results[0][3]
    base_top1 = base_logits.argmax(axis=-1)
    print("Held-out text: %d windows of %d bytes (%s)" % (
        ids.shape[0], CONTEXT, os.path.basename(args.model)))
    print("| mode | nats/byte | perplexity | vs fp32 | top-1 = fp32 | "
          "max |logit diff| | target |")
    print("|---|---|---|---|---|---|---|")
    failures = 0
    for name, target, logits, loss in results:
        increase = np.exp(loss) / np.exp(base_loss) - 1
        agree = float((logits.argmax(axis=-1) == base_top1).mean())
        diff = float(np.abs(logits - base_logits).max())
        verdict = ""
        if target is not None:
            ok = increase <= target
            verdict = "%s (<= %+.1f %%)" % ("ok" if ok else "MISSED",
                                             100 * target)
            failures += not ok
        print("| %s | %.4f | %.4f | %+.3f %% | %.4f | %.3g | %s |" % (
            name, loss, np.exp(loss), 100 * increase, agree, diff, verdict))
    if args.check and failures:
        print("%d mode(s) missed their target" % failures)
    return failures


def main():
    args = parse_args(__doc__)
    failures = evaluate(args, MODES)
    return 1 if args.check and failures else 0


if __name__ == "__main__":
    sys.exit(main())
