#!/usr/bin/python3
"""Makes a BERT, GPT-2 or LLaMA export whose structured pruning is exact: in every
layer the attention output projection reads nothing from half of the heads
(the rows of its [H*D, E] weight for heads 1, 3, ... are zero; with
--group G, query heads per key/value head, for the query heads of groups
1, 3, ...) and the FFN's last product nothing from half of its channels
(the even rows of its [F, E] weight). Those heads (groups) and channels
then score 0 in tfm-prune (||W_v|| * ||W_o|| and ||W_1|| * ||W_2||), so
pruning half of them removes exactly these, and the pruned model must
compute what ONNX Runtime computes on this model.

    make_prunable.py MODEL OUT --heads H [--group G]
"""

import argparse

import numpy as np
import onnx
from onnx import numpy_helper


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("out")
    parser.add_argument("--heads", type=int, required=True)
    parser.add_argument("--group", type=int, default=1)
    args = parser.parse_args()
    model = onnx.load(args.model)
    inits = {i.name: i for i in model.graph.initializer}
    zeroed = {"attention": 0, "ffn": 0}
    for node in model.graph.node:
        if node.op_type != "MatMul" or node.input[1] not in inits:
            continue
        name = node.name
        kind = ("attention" if name.endswith("/attention_output/MatMul") or
                name.endswith("/attn/o_proj/MatMul") or
                name.endswith("/attn/c_proj/MatMul")
                else "ffn" if name.endswith("/output/MatMul") or
                name.endswith("/down/MatMul") or
                name.endswith("/c_proj/MatMul") else None)
        if kind is None:
            continue
        init = inits[node.input[1]]
        weight = numpy_helper.to_array(init).copy()
        if kind == "attention":
            size = weight.shape[0] // args.heads * args.group
            for group in range(1, args.heads // args.group, 2):
                weight[group * size:(group + 1) * size, :] = 0
        else:
            weight[0::2, :] = 0
        init.CopyFrom(numpy_helper.from_array(weight, init.name))
        zeroed[kind] += 1
    onnx.save(model, args.out)
    print("%s: %d attention outputs, %d FFNs half zeroed" % (
        args.out.split("/")[-1], zeroed["attention"], zeroed["ffn"]))


if __name__ == "__main__":
    main()
