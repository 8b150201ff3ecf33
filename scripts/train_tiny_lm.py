#!/usr/bin/python3
"""Trains tfmc's accuracy model: a small byte-level GPT on English prose
from a Debian package, exported to ONNX for the quantization accuracy
table (bench/quant_accuracy.py).

Corpus: the license texts of Debian's base-files package
(/usr/share/common-licenses, on every Debian system). Training uses every
text except the held-out ones (HELD_OUT), which are the evaluation set.
Model: 4 pre-norm decoder layers, d_model 128, 4 heads, FFN 512 (GELU),
bytes as tokens (vocabulary 256), learned positions, a context of 128,
the output projection tied to the token embedding; about 0.85 M
parameters. Seeded and single-threaded-deterministic: the same machine
gives the same weights.

    /usr/bin/python3 scripts/train_tiny_lm.py --out test/Models/tinylm_bytes.onnx

Run with Debian's Python (python3-torch 1.13, python3-onnx). Takes about
ten minutes on two cores.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
from torch import nn

CORPUS_DIR = "/usr/share/common-licenses"
HELD_OUT = ("Apache-2.0", "MPL-2.0")
CONTEXT = 128


def corpus_files():
    names = sorted(n for n in os.listdir(CORPUS_DIR)
                   if not os.path.islink(os.path.join(CORPUS_DIR, n)))
    train = [n for n in names if n not in HELD_OUT]
    return train, list(HELD_OUT)


def read_bytes(names):
    data = b""
    for name in names:
        with open(os.path.join(CORPUS_DIR, name), "rb") as f:
            data += f.read() + b"\n"
    return np.frombuffer(data, dtype=np.uint8).astype(np.int64)


class Block(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.up = nn.Linear(d, ffn)
        self.down = nn.Linear(ffn, d)

    def forward(self, x, mask):
        b, t, d = x.shape
        h = self.heads
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=-1)
        q = q.view(b, t, h, d // h).transpose(1, 2)
        k = k.view(b, t, h, d // h).transpose(1, 2)
        v = v.view(b, t, h, d // h).transpose(1, 2)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d // h)
        scores = scores + mask[:t, :t]
        attn = torch.matmul(torch.softmax(scores, dim=-1), v)
        x = x + self.proj(attn.transpose(1, 2).reshape(b, t, d))
        return x + self.down(nn.functional.gelu(self.up(self.ln2(x))))


class TinyLM(nn.Module):
    def __init__(self, layers=4, d=128, heads=4, ffn=512):
        super().__init__()
        self.embed = nn.Embedding(256, d)
        nn.init.normal_(self.embed.weight, std=0.02)
        self.pos = nn.Parameter(torch.zeros(CONTEXT, d))
        self.blocks = nn.ModuleList(Block(d, heads, ffn)
                                    for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        mask = torch.full((CONTEXT, CONTEXT), -1e4).triu(1)
        self.register_buffer("mask", mask)

    def forward(self, ids):
        t = ids.shape[1]
        x = self.embed(ids) + self.pos[:t]
        for block in self.blocks:
            x = block(x, self.mask)
        # The output projection is the token embedding (tied).
        return torch.matmul(self.ln(x), self.embed.weight.t())


def batches(data, rng, batch):
    starts = rng.randint(0, len(data) - CONTEXT - 1, size=batch)
    x = np.stack([data[s:s + CONTEXT] for s in starts])
    y = np.stack([data[s + 1:s + CONTEXT + 1] for s in starts])
    return torch.from_numpy(x), torch.from_numpy(y)


def evaluate(model, data):
    """Mean next-byte cross entropy (nats) over non-overlapping windows."""
    windows = (len(data) - 1) // CONTEXT
    x = torch.from_numpy(np.stack(
        [data[i * CONTEXT:(i + 1) * CONTEXT] for i in range(windows)]))
    y = torch.from_numpy(np.stack(
        [data[i * CONTEXT + 1:(i + 1) * CONTEXT + 1] for i in range(windows)]))
    with torch.no_grad():
        logits = model(x)
    return nn.functional.cross_entropy(logits.reshape(-1, 256),
                                       y.reshape(-1)).item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    rng = np.random.RandomState(args.seed)
    train_names, eval_names = corpus_files()
    train, held_out = read_bytes(train_names), read_bytes(eval_names)
    model = TinyLM()
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    begin = time.time()
    for step in range(args.steps):
        lr = args.lr * 0.5 * (1 + math.cos(math.pi * step / args.steps))
        for group in opt.param_groups:
            group["lr"] = lr
        x, y = batches(train, rng, args.batch)
        loss = nn.functional.cross_entropy(model(x).reshape(-1, 256),
                                           y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == args.steps - 1:
            print("step %d loss %.3f (%.0f s)" % (step, loss.item(),
                                                   time.time() - begin),
                  flush=True)
    model.eval()
    held_out_loss = evaluate(model, held_out)
    print("held-out: %.4f nats/byte, perplexity %.3f" % (
        held_out_loss, math.exp(held_out_loss)))
    torch.onnx.export(model, torch.zeros(1, CONTEXT, dtype=torch.int64),
                      args.out, input_names=["input_ids"],
                      output_names=["logits"], opset_version=17,
                      dynamic_axes={"input_ids": {0: "batch"},
                                    "logits": {0: "batch"}})
    info = {"params": params, "steps": args.steps, "batch": args.batch,
            "lr": args.lr, "seed": args.seed, "context": CONTEXT,
            "train_files": train_names, "held_out_files": eval_names,
            "train_bytes": int(len(train)),
            "held_out_bytes": int(len(held_out)),
            "held_out_nats_per_byte": held_out_loss,
            "torch": torch.__version__,
            "seconds": round(time.time() - begin)}
    with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
        json.dump(info, f, indent=2)
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
