"""Replays inputs through a tool and checks that each gives a clean result.

    replay.py DIR --tool PATH [ARGS...]

Runs `PATH FILE ARGS...` for every file in DIR; the tool must exit 0 or 1
without a crash signature (a signal, an LLVM fatal error, a sanitizer
report) within 60 s. Prints "replay: N inputs, N clean" and exits 1
otherwise.
"""

import os
import subprocess
import sys

MARKERS = ("Stack dump", "LLVM ERROR", "PLEASE submit a bug report",
           "ERROR: AddressSanitizer", "runtime error:")


def main():
    folder, tool, extra = sys.argv[1], sys.argv[3], sys.argv[4:]
    assert sys.argv[2] == "--tool"
    files = sorted(os.listdir(folder))
    bad = 0
    for name in files:
        path = os.path.join(folder, name)
        try:
            proc = subprocess.run([tool, path] + extra, capture_output=True,
                                  text=True, errors="replace", timeout=60)
            output = proc.stdout + proc.stderr
            clean = proc.returncode in (0, 1) and not any(
                m in output for m in MARKERS)
        except subprocess.TimeoutExpired:
            output, clean = "timed out", False
        if not clean:
            bad += 1
            print("NOT CLEAN %s:\n%s" % (name, output[-2000:]))
    print("replay: %d inputs, %d clean" % (len(files), len(files) - bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
