#!/usr/bin/python3
"""Makes a model's MatMul weights block-sparse, as a pruned export would
be: in every constant [K, N] MatMul weight whose N is a multiple of 16,
the blocks of 16 output features x 1 input feature with the smallest RMS
become zero, the given fraction of them (ties in order). With --n-m N:M,
each output feature keeps the N largest weights of every M consecutive
input features instead (2:4 pruning's pattern; K a multiple of M).

    make_block_sparse.py MODEL OUT [--sparsity 0.9 | --n-m 2:4]
"""

import argparse

import numpy as np
import onnx
from onnx import numpy_helper

WIDTH = 16


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("out")
    parser.add_argument("--sparsity", type=float, default=0.9)
    parser.add_argument("--n-m", help="N:M instead of blocks, e.g. 2:4")
    args = parser.parse_args()
    if args.n_m:
        kept, group = (int(v) for v in args.n_m.split(":"))
    model = onnx.load(args.model)
    inits = {i.name: i for i in model.graph.initializer}
    count = 0
    for node in model.graph.node:
        if node.op_type != "MatMul" or node.input[1] not in inits:
            continue
        init = inits[node.input[1]]
        weight = numpy_helper.to_array(init).copy()
        if weight.ndim != 2 or weight.shape[1] % WIDTH != 0:
            continue
        k, n = weight.shape
        if args.n_m:
            if k % group != 0:
                continue
            groups = weight.reshape(k // group, group, n)
            order = np.argsort(np.abs(groups), axis=1, kind="stable")
            np.put_along_axis(groups, order[:, :group - kept, :], 0, axis=1)
            init.CopyFrom(numpy_helper.from_array(groups.reshape(k, n),
                                                  init.name))
            count += 1
            continue
        blocks = weight.reshape(k, n // WIDTH, WIDTH)
        rms = np.sqrt((blocks.astype(np.float64) ** 2).mean(axis=2))
        order = np.argsort(rms.reshape(-1), kind="stable")
        zero = order[:int(args.sparsity * order.size)]
        blocks.reshape(-1, WIDTH)[zero] = 0
        init.CopyFrom(numpy_helper.from_array(blocks.reshape(k, n),
                                              init.name))
        count += 1
    onnx.save(model, args.out)
    print("%s: %d weights %s" % (args.out.split("/")[-1], count,
                                 args.n_m or "block-sparse"))


if __name__ == "__main__":
    main()
