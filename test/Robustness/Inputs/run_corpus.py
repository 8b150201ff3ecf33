"""Runs tfmc on every case of a corpus written by make_corpus.py and checks
that it does what the case says: a clean error, or right outputs.

    run_corpus.py CORPUS_DIR --tfmc PATH [--timeout S] [--only NAME...]

A crash (a signal, an exit status other than 0 or 1, an LLVM fatal error or
a sanitizer report), a hang (past --timeout), a missing or different
message and a wrong output are each a failure. Prints one line per case and
"corpus: N cases, N ok, N failed"; exits 1 when any failed.
"""

import argparse
import json
import os
import re
import subprocess
import sys

import numpy as np

# Signs of a crash that an exit status of 1 can hide.
CRASH_MARKERS = ("Stack dump", "LLVM ERROR", "PLEASE submit a bug report",
                 "Assertion", "ERROR: AddressSanitizer", "runtime error:",
                 "ERROR: LeakSanitizer", "terminate called")


class Failure(Exception):
    pass


def run(cmd, timeout, cwd=None):
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                              errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failure("hang: %s ran past %d s" % (os.path.basename(cmd[0]),
                                                   timeout))
    output = proc.stdout + proc.stderr
    if proc.returncode < 0 or proc.returncode > 1 or any(
            marker in output for marker in CRASH_MARKERS):
        raise Failure("crash: %s exited %d:\n%s" % (
            os.path.basename(cmd[0]), proc.returncode, output[-2000:]))
    return proc.returncode, output


def expect_error(code, output, pattern, what):
    if code != 1:
        raise Failure("%s succeeded; expected an error matching %r" %
                      (what, pattern))
    if not re.search(pattern, output):
        raise Failure("%s's error does not match %r:\n%s" %
                      (what, pattern, output[-2000:]))


def same(actual, expected):
    if actual.shape != expected.shape or actual.dtype != expected.dtype:
        return False
    if np.issubdtype(expected.dtype, np.floating):
        return bool(np.all((actual == expected) |
                           (np.isnan(actual) & np.isnan(expected))))
    return bool(np.array_equal(actual, expected))


def check_case(case, corpus, tfmc, timeout):
    folder = os.path.join(corpus, case["name"])
    model = os.path.join(folder, case["model"])
    exe = os.path.join(folder, "model.exe")
    kind = case["kind"]
    if kind == "error":
        code, output = run([tfmc, model, "-o", exe] + case["args"], timeout)
        expect_error(code, output, case["expect"], "tfmc")
        return
    levels = case["levels"] if kind == "run" else [2]
    for level in levels:
        code, output = run([tfmc, model, "-O%d" % level, "-o", exe] +
                           case["args"], timeout)
        if code != 0:
            raise Failure("tfmc -O%d failed:\n%s" % (level, output[-2000:]))
        if kind == "run_error":
            code, output = run([exe] + case["exe_args"], timeout, cwd=folder)
            expect_error(code, output, case["expect"], "the executable")
            continue
        outdir = os.path.join(folder, "out%d" % level)
        args = [exe, "--quiet", "--output-dir", outdir]
        for name in case["inputs"]:
            args += ["--input", "%s=%s.npy" % (name, name)]
        code, output = run(args, timeout, cwd=folder)
        if code != 0:
            raise Failure("the executable (-O%d) failed:\n%s" %
                          (level, output[-2000:]))
        for name in case["outputs"]:
            expected = np.load(os.path.join(folder, "expected", name + ".npy"))
            actual = np.load(os.path.join(outdir, name + ".npy"))
            if not same(actual, expected):
                raise Failure("-O%d output '%s' is %s %s, expected %s %s" % (
                    level, name, actual.dtype, actual.tolist(),
                    expected.dtype, expected.tolist()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--tfmc", required=True)
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    with open(os.path.join(args.corpus, "cases.json")) as f:
        cases = json.load(f)
    if args.only:
        cases = [c for c in cases if c["name"] in args.only]
    failed = 0
    for case in cases:
        try:
            check_case(case, args.corpus, args.tfmc, args.timeout)
            print("ok    %-28s %s" % (case["name"], case["kind"]))
        except Failure as failure:
            failed += 1
            print("FAIL  %-28s %s: %s" % (case["name"], case["kind"],
                                          failure))
    print("corpus: %d cases, %d ok, %d failed" %
          (len(cases), len(cases) - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
