"""A 70-billion-parameter decoder summarized from its dimensions, on the meta device.

    .venv/bin/python -m bench.torch_70b

Builds a Llama-2-70B-shaped decoder (d=8192, 80 layers, 64 query heads sharing 8 key/value
heads, SwiGLU MLP of 28672, vocabulary 32000) directly on the meta device, then times
``modelmath.summary`` and reports the process's peak resident memory before and after:
the summary allocates no weights or activations, so the peak does not grow with the model.
Also built from real weights would need 280 GB (float32): this machine cannot hold it.
"""

from __future__ import annotations

import resource
import time

import torch
import torch.nn.functional as F
from torch import nn

import modelmath


class Attention(nn.Module):
    def __init__(self, d: int, heads: int, kv_heads: int) -> None:
        super().__init__()
        self.h, self.kv, self.hd = heads, kv_heads, d // heads
        self.q_proj = nn.Linear(d, d, bias=False)
        self.k_proj = nn.Linear(d, kv_heads * self.hd, bias=False)
        self.v_proj = nn.Linear(d, kv_heads * self.hd, bias=False)
        self.o_proj = nn.Linear(d, d, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, t, d = x.shape
        q = self.q_proj(x).view(n, t, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(n, t, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(n, t, self.kv, self.hd).transpose(1, 2)
        k = k.repeat_interleave(self.h // self.kv, 1)
        v = v.repeat_interleave(self.h // self.kv, 1)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.o_proj(y.transpose(1, 2).reshape(n, t, d))


class Block(nn.Module):
    def __init__(self, d: int, heads: int, kv_heads: int, ffn: int) -> None:
        super().__init__()
        self.input_norm, self.post_norm = nn.RMSNorm(d), nn.RMSNorm(d)
        self.attn = Attention(d, heads, kv_heads)
        self.gate = nn.Linear(d, ffn, bias=False)
        self.up = nn.Linear(d, ffn, bias=False)
        self.down = nn.Linear(ffn, d, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.input_norm(x))
        h = self.post_norm(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Decoder(nn.Module):
    def __init__(self, vocab: int, d: int, layers: int, heads: int, kv: int, ffn: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(Block(d, heads, kv, ffn) for _ in range(layers))
        self.norm = nn.RMSNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.embed(ids)
        for layer in self.layers:
            x = layer(x)
        return self.lm_head(self.norm(x))


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    start = peak_mib()
    t0 = time.perf_counter()
    with torch.device("meta"):
        model = Decoder(32000, 8192, 80, 64, 8, 28672)
    built = time.perf_counter() - t0
    params = sum(p.numel() for p in model.parameters())
    before = peak_mib()
    t0 = time.perf_counter()
    s = modelmath.summary(model, input_size=(1, 4096), dtypes=[torch.long], depth=2)
    elapsed = time.perf_counter() - t0
    text = str(s)
    after = peak_mib()
    print(text[:2000])
    print(f"parameters (torch): {params:,}   (modelmath): {int(s.totals.params.value):,}")
    print(f"MACs for 4096 tokens: {int(s.totals.macs.value):,}")
    print(f"build on meta {built:.2f} s; summary {elapsed:.2f} s; rows {len(s.rows)}")
    print(f"peak RSS: {start:.0f} MiB at start, {before:.0f} MiB after building, "
          f"{after:.0f} MiB after the summary")  # fmt: skip


if __name__ == "__main__":
    main()
