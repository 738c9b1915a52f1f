#!/usr/bin/env python3
"""PyTorch reference for `pst-lab bench train --compare-torch`: the lab's reference configuration
(preset tiny: 2 layers, width 128, 4 heads, GELU x*sigmoid(1.702x), dropout 0.1, tied embeddings;
batch 16, context 64, vocabulary 64, AdamW with clipping) trained on the same synthetic tokens,
on the CPU with a given number of threads. Prints one JSON object. See docs/methods.md
("Compute backends")."""
import argparse
import json
import math
import re
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d)
        self.c_fc = nn.Linear(d, 4 * d)
        self.c_proj2 = nn.Linear(4 * d, d)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        b, t, d = x.shape
        h = self.heads
        q, k, v = self.c_attn(self.ln_1(x)).split(d, dim=2)
        q, k, v = (z.view(b, t, h, d // h).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(d // h)
        mask = torch.triu(torch.ones(t, t, dtype=torch.bool), 1)
        att = self.drop(F.softmax(att.masked_fill(mask, float("-inf")), dim=-1))
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.drop(self.c_proj(y))
        u = self.c_fc(self.ln_2(x))
        return x + self.drop(self.c_proj2(u * torch.sigmoid(1.702 * u)))


class Gpt(nn.Module):
    def __init__(self, vocab, context, layers, d, heads, dropout):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(context, d)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(d, heads, dropout) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)

    def forward(self, ids):
        t = ids.shape[1]
        x = self.drop(self.wte(ids) + self.wpe(torch.arange(t)))
        for blk in self.blocks:
            x = blk(x)
        return self.ln_f(x) @ self.wte.weight.T


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--context", type=int, default=64)
    ap.add_argument("--vocab", type=int, default=64)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(7)
    model = Gpt(a.vocab, a.context, 2, 128, 4, 0.1)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.1)
    # The lab's synthetic pattern: next token = previous + 1 (mod V), random start per sequence.
    start = torch.randint(0, a.vocab, (a.batch, 1))
    pos = torch.arange(a.context).unsqueeze(0)
    ids = (start + pos) % a.vocab
    targets = (start + pos + 1) % a.vocab

    def step():
        logits = model(ids)
        loss = F.cross_entropy(logits.reshape(-1, a.vocab), targets.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    sec = time.perf_counter() - t0
    tokens = a.steps * a.batch * a.context
    # The BLAS behind the matmuls decides most of the figure (Debian's python3-torch uses the
    # reference BLAS, pip's wheels MKL/oneDNN): say which, and the plain matmul rate it gives.
    blas = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    x = torch.randn(1024, 1024)
    x @ x
    t1 = time.perf_counter()
    for _ in range(5):
        x @ x
    matmul = 5 * 2 * 1024 ** 3 / (time.perf_counter() - t1) / 1e9
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "steps": a.steps,
        "trainTokensPerSec": tokens / sec,
        "msPerStep": 1000 * sec / a.steps,
        "blas": blas.group(1) if blas else None,
        "matmulGflops": matmul,
    }))


if __name__ == "__main__":
    main()
