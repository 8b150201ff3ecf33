#!/usr/bin/python3
"""Writes the PTX of every `gpu.binary` in an MLIR file to OUT/NAME.ptx.

The kernels of `tfm-opt --tfm-gpu-pipeline` (format=isa) are `gpu.binary` ops holding
PTX text (`assembly = "..."`, MLIR string escapes); this unescapes each
and writes it beside the others, so that `ptxas` can assemble them:

    extract_ptx.py KERNELS.mlir OUT_DIR

Prints one line per kernel written; exits non-zero when there is none.
"""

import os
import re
import sys


def unescape(text):
    """MLIR string literal escapes: \\XX (hex), \\\\, \\", \\n, \\t."""
    out = bytearray()
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode()
            i += 1
            continue
        nxt = text[i + 1]
        if nxt in "\\\"":
            out += nxt.encode()
            i += 2
        elif nxt == "n":
            out += b"\n"
            i += 2
        elif nxt == "t":
            out += b"\t"
            i += 2
        else:
            out.append(int(text[i + 1:i + 3], 16))
            i += 3
    return out.decode()


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract_ptx.py KERNELS.mlir OUT_DIR")
    with open(sys.argv[1]) as f:
        source = f.read()
    os.makedirs(sys.argv[2], exist_ok=True)
    pattern = re.compile(
        r'gpu\.binary @([A-Za-z0-9_]+)\s*\[#gpu\.object<.*?'
        r'assembly = "((?:[^"\\]|\\.)*)"', re.S)
    count = 0
    for name, body in pattern.findall(source):
        path = os.path.join(sys.argv[2], name + ".ptx")
        with open(path, "w") as f:
            f.write(unescape(body))
        print("%s: %s" % (name, path))
        count += 1
    if count == 0:
        sys.exit("extract_ptx.py: no gpu.binary with PTX in " + sys.argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
