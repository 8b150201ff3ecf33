#!/usr/bin/python3
"""Writes the seed corpus of tfm-fuzz-onnx into a folder.

    fuzz_seeds.py OUT_DIR

Seeds, each a file: the project's test and demo models, every model of
ONNX's backend node tests (libonnx-testdata), the malformed-model corpus
(test/Robustness), and each case of the ONNX text tests under
test/Frontend (split at '// -----'), so that both the protobuf and the text
parser are reached. Prints the number written.
"""

import glob
import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds = set()

    def add(data):
        name = hashlib.sha1(data).hexdigest()
        if name not in seeds:
            seeds.add(name)
            with open(os.path.join(out, name), "wb") as f:
                f.write(data)

    models = glob.glob(os.path.join(ROOT, "test", "Models", "*.onnx"))
    models += glob.glob(os.path.join(ROOT, "examples", "models", "*.onnx"))
    models += glob.glob("/usr/share/libonnx-testdata/data/node/*/model.onnx")
    corpus = os.path.join(out, "..", "malformed")
    subprocess.run([sys.executable, os.path.join(
        ROOT, "test", "Robustness", "Inputs", "make_corpus.py"), corpus],
        check=True, stdout=subprocess.DEVNULL)
    models += glob.glob(os.path.join(corpus, "**", "model.onnx"),
                        recursive=True)
    for path in models:
        with open(path, "rb") as f:
            add(f.read())
    for path in glob.glob(os.path.join(ROOT, "test", "Frontend", "Onnx",
                                       "*.onnxtxt")):
        with open(path, "rb") as f:
            for case in f.read().split(b"// -----"):
                add(case)
    print("fuzz seeds: %d in %s" % (len(seeds), out))


if __name__ == "__main__":
    main()
