#!/usr/bin/python3
"""Exports BERT-, GPT-2- and LLaMA-style transformers to ONNX with torch.onnx.

The modules are written in plain PyTorch after the Hugging Face reference
implementations, so that the exported graphs have the shapes real exporter
output has: decomposed or fused LayerNorm (opset 14 vs 17), erf GELU (BERT),
tanh GELU and a causal-mask buffer (GPT-2), RMSNorm, rotary embeddings
computed in the graph, SwiGLU and grouped-query attention (LLaMA). Weights
are random with a fixed seed. Batch and sequence are dynamic axes, as in
real exports; compile with --input-shape.

    /usr/bin/python3 scripts/export_models.py --config tiny --out test/Models
    /usr/bin/python3 scripts/export_models.py --config full --out build/models
    /usr/bin/python3 scripts/export_models.py --config demo --opset 17 \
        --out examples/models
    /usr/bin/python3 scripts/export_models.py --config tiny --past \
        --out test/Models

With --past the decoders are exported in their generation form (past keys
and values in, present ones out, as Hugging Face exports them).

Run with Debian's Python (python3-torch 1.13, python3-onnx).
"""

import argparse
import math
import os

import torch
from torch import nn

# Model sizes. "tiny" models are committed as test inputs; "full" ones are
# the benchmark sizes (BERT-base, MiniLM-L6, GPT-2 small, a 4-layer slice of
# LLaMA-style width) and are generated on demand.
CONFIGS = {
    "tiny": {
        "bert": dict(vocab=128, hidden=32, layers=2, heads=4, ffn=64,
                     positions=64, types=2),
        "gpt2": dict(vocab=128, hidden=32, layers=2, heads=4, positions=64),
        "llama": dict(vocab=128, hidden=32, layers=2, heads=4, kv_heads=2,
                      ffn=64, theta=10000.0),
    },
    # The bundled default model of `make demo` (examples/models/): a small
    # GPT-2-style decoder, 0.9M parameters.
    "demo": {
        "gpt2": dict(vocab=512, hidden=128, layers=4, heads=4, positions=128),
    },
    "full": {
        "bert": dict(vocab=30522, hidden=768, layers=12, heads=12, ffn=3072,
                     positions=512, types=2),
        "minilm": dict(vocab=30522, hidden=384, layers=6, heads=12, ffn=1536,
                       positions=512, types=2),
        "gpt2": dict(vocab=50257, hidden=768, layers=12, heads=12,
                     positions=1024),
        "llama": dict(vocab=32000, hidden=2048, layers=4, heads=32,
                      kv_heads=8, ffn=5632, theta=10000.0),
    },
}


# ----------------------------------------------------------------------------
# BERT
# ----------------------------------------------------------------------------


class BertSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads, self.head_dim = c["heads"], c["hidden"] // c["heads"]
        self.query = nn.Linear(c["hidden"], c["hidden"])
        self.key = nn.Linear(c["hidden"], c["hidden"])
        self.value = nn.Linear(c["hidden"], c["hidden"])

    def split(self, x):
        b, s, _ = x.shape
        return x.view(b, s, self.heads, self.head_dim).permute(0, 2, 1, 3)

    def forward(self, x, mask):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), \
            self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2))
        scores = scores / math.sqrt(self.head_dim) + mask
        probs = torch.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return ctx.view(ctx.shape[0], ctx.shape[1], -1)


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = BertSelfAttention(c)
        self.attention_output = nn.Linear(c["hidden"], c["hidden"])
        self.attention_norm = nn.LayerNorm(c["hidden"], eps=1e-12)
        self.intermediate = nn.Linear(c["hidden"], c["ffn"])
        self.gelu = nn.GELU()
        self.output = nn.Linear(c["ffn"], c["hidden"])
        self.output_norm = nn.LayerNorm(c["hidden"], eps=1e-12)

    def forward(self, x, mask):
        a = self.attention_norm(
            self.attention_output(self.attention(x, mask)) + x)
        return self.output_norm(self.output(self.gelu(self.intermediate(a))) + a)


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word = nn.Embedding(c["vocab"], c["hidden"])
        self.position = nn.Embedding(c["positions"], c["hidden"])
        self.token_type = nn.Embedding(c["types"], c["hidden"])
        self.norm = nn.LayerNorm(c["hidden"], eps=1e-12)
        self.layers = nn.ModuleList(BertLayer(c) for _ in range(c["layers"]))

    def forward(self, input_ids, attention_mask):
        seq = input_ids.shape[1]
        positions = torch.arange(seq, dtype=torch.long).unsqueeze(0)
        types = torch.zeros_like(input_ids)
        x = self.norm(self.word(input_ids) + self.position(positions) +
                      self.token_type(types))
        mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, mask)
        return x


# ----------------------------------------------------------------------------
# GPT-2
# ----------------------------------------------------------------------------


class Gpt2Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads, self.head_dim = c["heads"], c["hidden"] // c["heads"]
        # GPT-2's Conv1D: one merged QKV projection.
        self.c_attn = nn.Linear(c["hidden"], 3 * c["hidden"])
        self.c_proj = nn.Linear(c["hidden"], c["hidden"])
        n = c["positions"]
        self.register_buffer("bias", torch.tril(
            torch.ones(n, n, dtype=torch.bool)).view(1, 1, n, n))

    def split(self, x):
        b, s, _ = x.shape
        return x.view(b, s, self.heads, self.head_dim).permute(0, 2, 1, 3)

    def forward(self, x, past=None, mask=None):
        q, k, v = self.c_attn(x).split(x.shape[-1], dim=2)
        q, k, v = self.split(q), self.split(k), self.split(v)
        if past is not None:
            # The cache as Hugging Face's GPT-2 keeps it: keys and values
            # of earlier tokens, appended to along the sequence.
            k = torch.cat((past[0], k), dim=-2)
            v = torch.cat((past[1], v), dim=-2)
        present = (k, v)
        w = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        q_len, k_len = q.shape[-2], k.shape[-2]
        causal = self.bias[:, :, k_len - q_len:k_len, :k_len]
        w = torch.where(causal, w, torch.tensor(torch.finfo(w.dtype).min))
        if mask is not None:
            w = w + mask
        ctx = torch.matmul(torch.softmax(w, dim=-1), v)
        ctx = ctx.permute(0, 2, 1, 3).contiguous()
        return self.c_proj(ctx.view(ctx.shape[0], ctx.shape[1], -1)), present


class Gpt2Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1 = nn.LayerNorm(c["hidden"], eps=1e-5)
        self.attn = Gpt2Attention(c)
        self.ln_2 = nn.LayerNorm(c["hidden"], eps=1e-5)
        self.c_fc = nn.Linear(c["hidden"], 4 * c["hidden"])
        self.act = nn.GELU(approximate="tanh")
        self.c_proj = nn.Linear(4 * c["hidden"], c["hidden"])

    def forward(self, x, past=None, mask=None):
        a, present = self.attn(self.ln_1(x), past, mask)
        x = x + a
        return x + self.c_proj(self.act(self.c_fc(self.ln_2(x)))), present


class Gpt2(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.wte = nn.Embedding(c["vocab"], c["hidden"])
        self.wpe = nn.Embedding(c["positions"], c["hidden"])
        self.blocks = nn.ModuleList(Gpt2Block(c) for _ in range(c["layers"]))
        self.ln_f = nn.LayerNorm(c["hidden"], eps=1e-5)

    def forward(self, input_ids):
        positions = torch.arange(input_ids.shape[1], dtype=torch.long)
        x = self.wte(input_ids) + self.wpe(positions)
        for block in self.blocks:
            x, _ = block(x)
        # The LM head is tied to the token embedding.
        return torch.matmul(self.ln_f(x), self.wte.weight.t())


class Gpt2WithPast(Gpt2):
    """GPT-2 as Hugging Face exports it for generation: attention mask and
    position ids as inputs, past keys/values in, present ones out."""

    def forward(self, input_ids, attention_mask, position_ids, *past):
        x = self.wte(input_ids) + self.wpe(position_ids)
        dtype = x.dtype
        mask = (1.0 - attention_mask[:, None, None, :].to(dtype)) * \
            torch.finfo(dtype).min
        presents = []
        for i, block in enumerate(self.blocks):
            x, present = block(x, (past[2 * i], past[2 * i + 1]), mask)
            presents += present
        logits = torch.matmul(self.ln_f(x), self.wte.weight.t())
        return (logits, *presents)


# ----------------------------------------------------------------------------
# LLaMA
# ----------------------------------------------------------------------------


class RmsNorm(nn.Module):
    def __init__(self, hidden, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden) +
                                   0.1 * torch.randn(hidden))
        self.eps = eps

    def forward(self, x):
        variance = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(variance + self.eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class LlamaAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads, self.kv_heads = c["heads"], c["kv_heads"]
        self.head_dim = c["hidden"] // c["heads"]
        self.q_proj = nn.Linear(c["hidden"], self.heads * self.head_dim,
                                bias=False)
        self.k_proj = nn.Linear(c["hidden"], self.kv_heads * self.head_dim,
                                bias=False)
        self.v_proj = nn.Linear(c["hidden"], self.kv_heads * self.head_dim,
                                bias=False)
        self.o_proj = nn.Linear(self.heads * self.head_dim, c["hidden"],
                                bias=False)

    def forward(self, x, cos, sin, mask, past=None):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.kv_heads,
                                self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.kv_heads,
                                self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past is not None:
            # The cache holds rotated keys of the KV heads, before the
            # repeat for grouped-query attention.
            k = torch.cat((past[0], k), dim=2)
            v = torch.cat((past[1], v), dim=2)
        present = (k, v)
        s = k.shape[2]
        # Grouped-query attention: repeat each KV head for its query heads.
        rep = self.heads // self.kv_heads
        k = k[:, :, None, :, :].expand(b, self.kv_heads, rep, s,
                                       self.head_dim).reshape(
                                           b, self.heads, s, self.head_dim)
        v = v[:, :, None, :, :].expand(b, self.kv_heads, rep, s,
                                       self.head_dim).reshape(
                                           b, self.heads, s, self.head_dim)
        w = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        w = torch.softmax(w + mask, dim=-1)
        ctx = torch.matmul(w, v).transpose(1, 2).reshape(b, q.shape[2], -1)
        return self.o_proj(ctx), present


class LlamaLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.input_norm = RmsNorm(c["hidden"])
        self.attn = LlamaAttention(c)
        self.post_norm = RmsNorm(c["hidden"])
        self.gate = nn.Linear(c["hidden"], c["ffn"], bias=False)
        self.up = nn.Linear(c["hidden"], c["ffn"], bias=False)
        self.down = nn.Linear(c["ffn"], c["hidden"], bias=False)

    def forward(self, x, cos, sin, mask, past=None):
        a, present = self.attn(self.input_norm(x), cos, sin, mask, past)
        x = x + a
        h = self.post_norm(x)
        return (x + self.down(nn.functional.silu(self.gate(h)) * self.up(h)),
                present)


class Llama(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed = nn.Embedding(c["vocab"], c["hidden"])
        self.layers = nn.ModuleList(LlamaLayer(c) for _ in range(c["layers"]))
        self.norm = RmsNorm(c["hidden"])
        self.lm_head = nn.Linear(c["hidden"], c["vocab"], bias=False)
        head_dim = c["hidden"] // c["heads"]
        inv_freq = 1.0 / (c["theta"] ** (
            torch.arange(0, head_dim, 2).float() / head_dim))
        self.register_buffer("inv_freq", inv_freq)

    def forward(self, input_ids):
        s = input_ids.shape[1]
        # Rotary tables from positions, in the graph as exporters leave them.
        t = torch.arange(s, dtype=torch.float32)
        freqs = t[:, None] * self.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        mask = torch.full((s, s), float("-inf")).triu(1)
        x = self.embed(input_ids)
        for layer in self.layers:
            x, _ = layer(x, cos, sin, mask)
        return self.lm_head(self.norm(x))


class LlamaWithPast(Llama):
    """LLaMA as exported for generation: attention mask and position ids as
    inputs (rotary tables gathered by position), past keys/values of the KV
    heads in, present ones out."""

    def forward(self, input_ids, attention_mask, position_ids, *past):
        s = input_ids.shape[1]
        total = attention_mask.shape[1]
        freqs = position_ids[:, :, None].float() * self.inv_freq[None, None]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[:, None], emb.sin()[:, None]
        # Causal over the cache (query i sits at total - s + i) and padding
        # from the attention mask, as one additive mask.
        rows = torch.arange(s)[:, None] + (total - s)
        cols = torch.arange(total)[None, :]
        keep = (cols <= rows)[None, None] & \
            attention_mask[:, None, None, :].bool()
        mask = torch.where(keep, torch.tensor(0.0),
                           torch.tensor(torch.finfo(torch.float32).min))
        x = self.embed(input_ids)
        presents = []
        for i, layer in enumerate(self.layers):
            x, present = layer(x, cos, sin, mask, (past[2 * i], past[2 * i + 1]))
            presents += present
        return (self.lm_head(self.norm(x)), *presents)


# ----------------------------------------------------------------------------
# Export
# ----------------------------------------------------------------------------

FAMILIES = {
    "bert": (Bert, ["input_ids", "attention_mask"], "last_hidden_state"),
    "minilm": (Bert, ["input_ids", "attention_mask"], "last_hidden_state"),
    "gpt2": (Gpt2, ["input_ids"], "logits"),
    "llama": (Llama, ["input_ids"], "logits"),
}


PAST_FAMILIES = {"gpt2": Gpt2WithPast, "llama": LlamaWithPast}


def export_with_past(family, config, c, opset, out):
    """The generation form: input_ids, attention_mask, position_ids and
    past_key_values.{i}.key/value in; logits and present.{i}.key/value out,
    with the dynamic axes (batch, sequence, past_sequence, total_sequence)
    that Hugging Face exports declare."""
    # Room for a prompt and 64 new tokens in the tiny GPT-2's position table.
    if "positions" in c:
        c = dict(c, positions=max(c["positions"], 128))
    torch.manual_seed(0)
    model = PAST_FAMILIES[family](c).eval()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.LayerNorm):
                m.weight.add_(0.1 * torch.randn_like(m.weight))
                m.bias.add_(0.1 * torch.randn_like(m.bias))
    kv_heads = c.get("kv_heads", c["heads"])
    head_dim = c["hidden"] // c["heads"]
    past_len, seq = 5, 3
    inputs = ["input_ids", "attention_mask", "position_ids"]
    outputs = ["logits"]
    args = [torch.randint(0, c["vocab"], (1, seq)),
            torch.ones(1, past_len + seq, dtype=torch.long),
            torch.arange(past_len, past_len + seq)[None]]
    dynamic = {"input_ids": {0: "batch", 1: "sequence"},
               "attention_mask": {0: "batch", 1: "total_sequence"},
               "position_ids": {0: "batch", 1: "sequence"},
               "logits": {0: "batch", 1: "sequence"}}
    for i in range(c["layers"]):
        for kind in ("key", "value"):
            name = "past_key_values.%d.%s" % (i, kind)
            inputs.append(name)
            args.append(torch.randn(1, kv_heads, past_len, head_dim))
            dynamic[name] = {0: "batch", 2: "past_sequence"}
            name = "present.%d.%s" % (i, kind)
            outputs.append(name)
            dynamic[name] = {0: "batch", 2: "total_sequence"}
    path = os.path.join(out, "%s_%s_past_opset%d.onnx" %
                        (family, config, opset))
    with torch.no_grad():
        torch.onnx.export(model, tuple(args), path, opset_version=opset,
                          input_names=inputs, output_names=outputs,
                          dynamic_axes=dynamic, do_constant_folding=True)
    print(path)


def export(family, config, c, opset, out):
    cls, inputs, output = FAMILIES[family]
    torch.manual_seed(0)
    model = cls(c).eval()
    # LayerNorms start at identity; give them weights a test can see.
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.LayerNorm):
                m.weight.add_(0.1 * torch.randn_like(m.weight))
                m.bias.add_(0.1 * torch.randn_like(m.bias))
    example_ids = torch.randint(0, c["vocab"], (1, 8))
    args = (example_ids,)
    if len(inputs) == 2:
        args += (torch.ones(1, 8, dtype=torch.long),)
    dynamic = {name: {0: "batch", 1: "sequence"} for name in inputs}
    dynamic[output] = {0: "batch", 1: "sequence"}
    path = os.path.join(out, "%s_%s_opset%d.onnx" % (family, config, opset))
    with torch.no_grad():
        torch.onnx.export(model, args, path, opset_version=opset,
                          input_names=inputs, output_names=[output],
                          dynamic_axes=dynamic, do_constant_folding=True)
    print(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", choices=sorted(CONFIGS), default="tiny")
    parser.add_argument("--out", required=True)
    parser.add_argument("--family", action="append",
                        help="export only these families (repeatable)")
    parser.add_argument("--opset", type=int, action="append",
                        help="opsets to export (default: 14 and 17)")
    parser.add_argument("--past", action="store_true",
                        help="export the decoders (gpt2, llama) in their "
                        "generation form, with past keys and values")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for family, c in sorted(CONFIGS[args.config].items()):
        if args.family and family not in args.family:
            continue
        for opset in args.opset or [14, 17]:
            if args.past:
                if family in PAST_FAMILIES:
                    export_with_past(family, args.config, c, opset, args.out)
            else:
                export(family, args.config, c, opset, args.out)


if __name__ == "__main__":
    main()
