"""modelmath against torchinfo on the same PyTorch models, built the same way.

    .venv/bin/python -m bench.torch_vs_torchinfo

ResNet-50 and ViT-L/16 are written here (torchvision does not import beside torch
2.13.0) with their standard dimensions. torchinfo runs a real forward pass on CPU with
real weights; modelmath traces a meta copy. Each is timed (best of 3, after one warm-up)
and the peak traced Python/tensor memory of each call is taken with tracemalloc and the
process's resident set, in a child process per tool and model so peaks do not mix.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn


class Bottleneck(nn.Module):
    def __init__(self, cin: int, mid: int, stride: int) -> None:
        super().__init__()
        out = mid * 4
        self.conv1, self.bn1 = nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(mid, mid, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(mid)
        self.conv3, self.bn3 = nn.Conv2d(mid, out, 1, bias=False), nn.BatchNorm2d(out)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = (
            nn.Sequential(nn.Conv2d(cin, out, 1, stride, bias=False), nn.BatchNorm2d(out))
            if stride != 1 or cin != out
            else None
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return self.relu(y + (x if self.downsample is None else self.downsample(x)))


class ResNet50(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1, self.relu = nn.BatchNorm2d(64), nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        cin, stages = 64, []
        for i, (mid, n) in enumerate(((64, 3), (128, 4), (256, 6), (512, 3))):
            blocks = []
            for j in range(n):
                blocks.append(Bottleneck(cin, mid, 2 if (j == 0 and i > 0) else 1))
                cin = mid * 4
            stages.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3, self.layer4 = stages
        self.avgpool, self.fc = nn.AdaptiveAvgPool2d(1), nn.Linear(2048, 1000)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class ViT(nn.Module):
    """ViT-L/16: 24 layers of width 1024, 16 heads, MLP 4096, 224×224 images."""

    def __init__(self, d: int = 1024, layers: int = 24, heads: int = 16, mlp: int = 4096) -> None:
        super().__init__()
        self.conv_proj = nn.Conv2d(3, d, 16, 16)
        self.class_token = nn.Parameter(torch.zeros(1, 1, d))
        self.pos_embedding = nn.Parameter(torch.zeros(1, 197, d))
        layer = nn.TransformerEncoderLayer(d, heads, mlp, 0.0, F.gelu, 1e-6, True, True)
        self.encoder = nn.TransformerEncoder(layer, layers, nn.LayerNorm(d, eps=1e-6),
                                             enable_nested_tensor=False)  # fmt: skip
        self.head = nn.Linear(d, 1000)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        t = self.conv_proj(x).flatten(2).transpose(1, 2)
        t = torch.cat([self.class_token.expand(x.shape[0], -1, -1), t], 1) + self.pos_embedding
        return self.head(self.encoder(t)[:, 0])


MODELS = {"resnet50": ResNet50, "vit_l_16": ViT}


def run_one(tool: str, name: str) -> dict[str, Any]:
    """In a child process: build, warm up, time best of 3, report peak RSS growth."""
    model = MODELS[name]().eval()
    size = (1, 3, 224, 224)
    if tool == "torchinfo":
        import torchinfo

        def call() -> Any:
            return torchinfo.summary(model, input_size=size, verbose=0)
    else:
        import modelmath

        def call() -> Any:
            return str(modelmath.summary(model, input_size=size))

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    call()
    best = min(_timed(call) for _ in range(3))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    params = sum(p.numel() for p in model.parameters())
    return {"tool": tool, "model": name, "seconds": best, "rss_growth_mib": peak - base,
            "params": params}  # fmt: skip


def _timed(fn: Any) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    if len(sys.argv) == 3:
        print(json.dumps(run_one(sys.argv[1], sys.argv[2])))
        return
    rows = []
    for name in MODELS:
        for tool in ("torchinfo", "modelmath"):
            out = subprocess.run([sys.executable, "-m", "bench.torch_vs_torchinfo", tool, name],
                                 capture_output=True, text=True, check=True)  # fmt: skip
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'model':10} {'tool':10} {'seconds':>9} {'peak RSS growth MiB':>20}")
    for r in rows:
        print(f"{r['model']:10} {r['tool']:10} {r['seconds']:9.3f} {r['rss_growth_mib']:20.0f}")
    for name in MODELS:
        ti, mm = (next(r for r in rows if r["model"] == name and r["tool"] == t)
                  for t in ("torchinfo", "modelmath"))  # fmt: skip
        print(f"{name}: modelmath is {ti['seconds'] / mm['seconds']:.1f}× torchinfo's speed")


if __name__ == "__main__":
    main()
