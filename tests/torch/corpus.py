"""Architectures written for the PyTorch tests: small, so the real forward runs on CPU.

Each entry is ``name → () -> (model, inputs)``: a freshly built model with real weights
and example inputs (a list of tensors) for its forward pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

Case = tuple[nn.Module, list[Any]]
CORPUS: dict[str, Callable[[], Case]] = {}


def case(fn: Callable[[], Case]) -> Callable[[], Case]:
    CORPUS[fn.__name__] = fn
    return fn


def img(c: int = 3, s: int = 32, n: int = 2) -> torch.Tensor:
    return torch.randn(n, c, s, s)


def ids(n: int = 2, t: int = 12, v: int = 50) -> torch.Tensor:
    return torch.randint(0, v, (n, t))


# -- CNNs -------------------------------------------------------------------------------
class BasicBlock(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = (
            nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
            if stride != 1 or cin != cout
            else nn.Identity()
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(y)) + self.down(x))


class Bottleneck(nn.Module):
    def __init__(self, cin: int, mid: int, stride: int = 1) -> None:
        super().__init__()
        cout = mid * 4
        self.conv1, self.bn1 = nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(mid, mid, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(mid)
        self.conv3, self.bn3 = nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        return self.relu(self.bn3(self.conv3(y)) + self.down(x))


class ResNet(nn.Module):
    def __init__(self, block: str = "basic", widths: tuple[int, ...] = (8, 16, 32)) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv2d(3, 8, 7, 2, 3, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
            nn.MaxPool2d(3, 2, 1),
        )  # fmt: skip
        layers: list[nn.Module] = []
        cin = 8
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            if block == "basic":
                layers.append(nn.Sequential(BasicBlock(cin, w, stride), BasicBlock(w, w)))
                cin = w
            else:
                layers.append(nn.Sequential(Bottleneck(cin, w, stride)))
                cin = w * 4
        self.layers = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(cin, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(self.pool(self.layers(self.stem(x))), 1))


@case
def resnet_basic() -> Case:
    return ResNet("basic"), [img()]


@case
def resnet_bottleneck() -> Case:
    return ResNet("bottleneck", (4, 8)), [img(s=40)]


@case
def vgg() -> Case:
    cfg = [8, "M", 16, "M", 32, 32, "M"]
    layers: list[nn.Module] = []
    c = 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(c, int(v), 3, padding=1), nn.ReLU(inplace=True)]
            c = int(v)
    model = nn.Sequential(
        nn.Sequential(*layers), nn.AdaptiveAvgPool2d((2, 2)), nn.Flatten(),
        nn.Linear(32 * 4, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 10),
    )  # fmt: skip
    return model, [img()]


class InvertedResidual(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int, expand: int) -> None:
        super().__init__()
        hid = cin * expand
        self.use_res = stride == 1 and cin == cout
        self.block = nn.Sequential(
            nn.Conv2d(cin, hid, 1, bias=False), nn.BatchNorm2d(hid), nn.ReLU6(inplace=True),
            nn.Conv2d(hid, hid, 3, stride, 1, groups=hid, bias=False), nn.BatchNorm2d(hid),
            nn.ReLU6(inplace=True), nn.Conv2d(hid, cout, 1, bias=False), nn.BatchNorm2d(cout),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.block(x) if self.use_res else self.block(x)


@case
def mobilenet_v2() -> Case:
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU6(),
        InvertedResidual(8, 8, 1, 1), InvertedResidual(8, 12, 2, 6),
        InvertedResidual(12, 12, 1, 6), InvertedResidual(12, 16, 2, 6),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(16, 10),
    )  # fmt: skip
    return model, [img()]


class SqueezeExcite(nn.Module):
    def __init__(self, c: int, r: int = 4) -> None:
        super().__init__()
        self.fc1, self.fc2 = nn.Conv2d(c, c // r, 1), nn.Conv2d(c // r, c, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = F.adaptive_avg_pool2d(x, 1)
        return x * torch.sigmoid(self.fc2(F.silu(self.fc1(s))))


class MBConv(nn.Module):
    def __init__(self, cin: int, cout: int, k: int, stride: int) -> None:
        super().__init__()
        hid = cin * 4
        self.expand = nn.Sequential(
            nn.Conv2d(cin, hid, 1, bias=False), nn.BatchNorm2d(hid), nn.SiLU()
        )
        self.dw = nn.Sequential(
            nn.Conv2d(hid, hid, k, stride, k // 2, groups=hid, bias=False),
            nn.BatchNorm2d(hid), nn.SiLU(),
        )  # fmt: skip
        self.se = SqueezeExcite(hid)
        self.project = nn.Sequential(nn.Conv2d(hid, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.res = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.project(self.se(self.dw(self.expand(x))))
        return x + y if self.res else y


@case
def efficientnet() -> Case:
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.SiLU(),
        MBConv(8, 8, 3, 1), MBConv(8, 16, 5, 2), MBConv(16, 16, 5, 1),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10),
    )  # fmt: skip
    return model, [img()]


class UNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()

        def block(a: int, b: int) -> nn.Sequential:
            return nn.Sequential(
                nn.Conv2d(a, b, 3, padding=1), nn.BatchNorm2d(b), nn.ReLU(),
                nn.Conv2d(b, b, 3, padding=1), nn.ReLU(),
            )  # fmt: skip

        self.enc1, self.enc2, self.mid = block(3, 8), block(8, 16), block(16, 32)
        self.pool = nn.MaxPool2d(2)
        self.up2 = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.dec2 = block(32, 16)
        self.up1 = nn.ConvTranspose2d(16, 8, 2, stride=2)
        self.dec1 = block(16, 8)
        self.out = nn.Conv2d(8, 2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        m = self.mid(self.pool(e2))
        d2 = self.dec2(torch.cat([self.up2(m), e2], dim=1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], dim=1))
        return self.out(d1)


@case
def unet() -> Case:
    return UNet(), [img(s=32)]


@case
def dense_block() -> Case:
    class Dense(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = nn.ModuleList(
                nn.Sequential(
                    nn.BatchNorm2d(8 + 4 * i), nn.ReLU(), nn.Conv2d(8 + 4 * i, 4, 3, padding=1)
                )
                for i in range(3)
            )
            self.trans = nn.Sequential(nn.Conv2d(20, 10, 1), nn.AvgPool2d(2))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            feats = [x]
            for layer in self.layers:
                feats.append(layer(torch.cat(feats, 1)))
            return self.trans(torch.cat(feats, 1))

    return Dense(), [img(c=8, s=16)]


@case
def inception() -> Case:
    class Inception(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.b1 = nn.Conv2d(8, 4, 1)
            self.b2 = nn.Sequential(nn.Conv2d(8, 4, 1), nn.Conv2d(4, 6, 3, padding=1))
            self.b3 = nn.Sequential(nn.Conv2d(8, 2, 1), nn.Conv2d(2, 4, 5, padding=2))
            self.b4 = nn.Sequential(
                nn.AvgPool2d(3, 1, 1, count_include_pad=False), nn.Conv2d(8, 4, 1)
            )

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.cat([self.b1(x), self.b2(x), self.b3(x), self.b4(x)], 1)

    return Inception(), [img(c=8, s=15)]


@case
def convnext_block() -> Case:
    class Block(nn.Module):
        def __init__(self, d: int = 16) -> None:
            super().__init__()
            self.dw = nn.Conv2d(d, d, 7, padding=3, groups=d)
            self.norm = nn.LayerNorm(d)
            self.pw1, self.pw2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
            self.gamma = nn.Parameter(torch.full((d,), 1e-6))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = self.dw(x).permute(0, 2, 3, 1)
            y = self.pw2(F.gelu(self.pw1(self.norm(y)))) * self.gamma
            return x + y.permute(0, 3, 1, 2)

    return nn.Sequential(nn.Conv2d(3, 16, 4, 4), Block(), Block()), [img()]


@case
def conv1d_audio() -> Case:
    model = nn.Sequential(
        nn.Conv1d(1, 8, 9, stride=2, padding=4, padding_mode="reflect"), nn.GroupNorm(2, 8),
        nn.GELU(), nn.Conv1d(8, 8, 3, padding="same", dilation=2), nn.ELU(),
        nn.Conv1d(8, 16, 3, padding="valid", padding_mode="circular"), nn.MaxPool1d(3, 2, 1),
        nn.AvgPool1d(2, ceil_mode=True), nn.LPPool1d(2, 2), nn.AdaptiveMaxPool1d(4),
        nn.Flatten(), nn.Linear(64, 5),
    )  # fmt: skip
    return model, [torch.randn(2, 1, 101)]


@case
def conv3d_video() -> Case:
    model = nn.Sequential(
        nn.Conv3d(3, 8, (3, 5, 5), stride=(1, 2, 2), padding=(1, 2, 2)), nn.BatchNorm3d(8),
        nn.ReLU(), nn.MaxPool3d((1, 2, 2)), nn.Conv3d(8, 8, 3, dilation=2, groups=2),
        nn.InstanceNorm3d(8, affine=True), nn.AvgPool3d(2, ceil_mode=True),
        nn.AdaptiveAvgPool3d((1, 2, None)), nn.Flatten(), nn.Identity(),
    )  # fmt: skip
    return model, [torch.randn(1, 3, 8, 40, 40)]


@case
def conv_transpose_autoencoder() -> Case:
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, 2, 1), nn.LeakyReLU(0.1), nn.Conv2d(8, 16, 3, 2, 1), nn.Tanh(),
        nn.ConvTranspose2d(16, 8, 3, 2, 1, output_padding=1), nn.Hardswish(),
        nn.ConvTranspose2d(8, 4, 3, 2, 1, output_padding=1, groups=4, dilation=1),
        nn.ConvTranspose2d(4, 3, (3, 5), (1, 2), (1, 2), dilation=(1, 2), bias=False),
        nn.Sigmoid(),
    )  # fmt: skip
    return model, [img(s=16)]


@case
def conv_transpose_1d_3d() -> Case:
    class M(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.t1 = nn.ConvTranspose1d(4, 6, 5, stride=3, padding=1, output_padding=2)
            self.t3 = nn.ConvTranspose3d(2, 4, 3, stride=2, padding=1)

        def forward(self, a: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            return self.t1(a), self.t3(b)

    return M(), [torch.randn(2, 4, 9), torch.randn(1, 2, 4, 5, 6)]


@case
def super_resolution() -> Case:
    model = nn.Sequential(
        nn.Conv2d(3, 16, 5, padding=2), nn.PReLU(16), nn.Conv2d(16, 3 * 4, 3, padding=1),
        nn.PixelShuffle(2), nn.PixelUnshuffle(2), nn.PixelShuffle(2),
        nn.Upsample(scale_factor=2, mode="nearest"),
        nn.Upsample(size=(50, 60), mode="bilinear", align_corners=False),
        nn.UpsamplingNearest2d(scale_factor=1.5), nn.ReflectionPad2d((1, 2, 3, 4)),
        nn.ZeroPad2d(1), nn.ReplicationPad2d(2), nn.ConstantPad2d((0, 1, 0, 1), 0.5),
    )  # fmt: skip
    return model, [img(s=12, n=1)]


@case
def pooling_zoo() -> Case:
    class M(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.mp = nn.MaxPool2d(3, 2, 1, return_indices=True)
            self.dilated = nn.MaxPool2d(3, 2, 1, dilation=2)
            self.unpool = nn.MaxUnpool2d(3, 2, 1)
            self.mp_ceil = nn.MaxPool2d(3, 2, ceil_mode=True)
            self.ap = nn.AvgPool2d((3, 2), (2, 1), (1, 0), ceil_mode=True)
            self.lp = nn.LPPool2d(2, 3, 2)
            self.amp = nn.AdaptiveMaxPool2d((3, None), return_indices=True)
            self.frac = nn.FractionalMaxPool2d(2, output_size=(5, 6))

        def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
            y, i = self.mp(x)
            return [self.mp_ceil(x), self.ap(x), self.lp(x), self.amp(x)[0], self.frac(x), y,
                    self.dilated(x),
                    self.unpool(y, i)]  # fmt: skip

    return M(), [img(c=4, s=17, n=1)]


@case
def norm_zoo() -> Case:
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3), nn.GroupNorm(4, 8), nn.InstanceNorm2d(8),
        nn.InstanceNorm2d(8, affine=True, track_running_stats=True), nn.LocalResponseNorm(3),
        nn.BatchNorm2d(8, affine=False), nn.BatchNorm2d(8, track_running_stats=False),
        nn.Flatten(2), nn.LayerNorm(196, elementwise_affine=False), nn.LayerNorm(196, bias=False),
        nn.RMSNorm([8, 196]), nn.BatchNorm1d(8), nn.InstanceNorm1d(8),
    )  # fmt: skip
    return model, [img(s=16)]


@case
def activation_zoo() -> Case:
    acts = [nn.ReLU(), nn.ReLU6(), nn.ELU(), nn.SELU(), nn.CELU(), nn.GELU("tanh"), nn.SiLU(),
            nn.Mish(), nn.Softplus(), nn.Softsign(), nn.Hardtanh(), nn.Hardsigmoid(),
            nn.Tanhshrink(), nn.Softshrink(), nn.Hardshrink(), nn.Threshold(0.1, 0.0),
            nn.LogSigmoid(), nn.Softmax(-1), nn.LogSoftmax(1), nn.Softmin(1), nn.RReLU(),
            nn.PReLU(), nn.Dropout(), nn.AlphaDropout(), nn.Dropout1d(),
            nn.FeatureAlphaDropout()]  # fmt: skip
    model = nn.Sequential(nn.Linear(6, 8), *acts, nn.GLU(-1), nn.Unflatten(1, (2, 2)),
                          nn.Flatten(0, 1))  # fmt: skip
    return model, [torch.randn(3, 6)]


# -- sequence models --------------------------------------------------------------------
@case
def lstm_tagger() -> Case:
    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding(50, 16, padding_idx=0)
            self.lstm = nn.LSTM(16, 12, num_layers=2, bidirectional=True, batch_first=True)
            self.drop = nn.Dropout(0.1)
            self.out = nn.Linear(24, 7)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            h, _ = self.lstm(self.emb(x))
            return F.log_softmax(self.out(self.drop(h)), -1)

    return Tagger(), [ids()]


@case
def lstm_projection() -> Case:
    return nn.LSTM(10, 16, num_layers=3, proj_size=6, dropout=0.0), [torch.randn(7, 2, 10)]


@case
def gru_seq2seq() -> Case:
    class Seq2Seq(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding(40, 8)
            self.enc = nn.GRU(8, 16, batch_first=True)
            self.cell = nn.GRUCell(8, 16)
            self.out = nn.Linear(16, 40)

        def forward(self, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
            _, h = self.enc(self.emb(src))
            h = h[0]
            outs = []
            for t in range(tgt.shape[1]):
                h = self.cell(self.emb(tgt[:, t]), h)
                outs.append(self.out(h))
            return torch.stack(outs, 1)

    return Seq2Seq(), [ids(v=40), ids(t=4, v=40)]


@case
def rnn_cells() -> Case:
    class M(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.rnn = nn.RNN(5, 7, num_layers=2, nonlinearity="relu", bias=False)
            self.lstm_cell = nn.LSTMCell(7, 9)
            self.rnn_cell = nn.RNNCell(9, 3)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y, _ = self.rnn(x)  # unbatched (T, C)
            h, _c = self.lstm_cell(y)
            return self.rnn_cell(h)

    return M(), [torch.randn(6, 5)]


@case
def embedding_bag_classifier() -> Case:
    class M(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bag = nn.EmbeddingBag(100, 16, mode="mean")
            self.bag2 = nn.EmbeddingBag(100, 8, mode="sum", include_last_offset=True)
            self.fc = nn.Linear(16, 3)

        def forward(self, text: torch.Tensor, offsets: torch.Tensor) -> tuple[Any, Any]:
            return self.fc(self.bag(text, offsets)), self.bag2(text, offsets)

    return M(), [torch.randint(0, 100, (20,)), torch.tensor([0, 5, 12])]


@case
def siamese_bilinear() -> Case:
    class M(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.enc = nn.Sequential(nn.Linear(10, 16), nn.Tanh(), nn.Linear(16, 8))
            self.bil = nn.Bilinear(8, 8, 4)
            self.cos = nn.CosineSimilarity(dim=1)
            self.dist = nn.PairwiseDistance(keepdim=True)

        def forward(self, a: torch.Tensor, b: torch.Tensor) -> tuple[Any, Any, Any]:
            x, y = self.enc(a), self.enc(b)  # one encoder, called twice
            return self.bil(x, y), self.cos(x, y), self.dist(x, y)

    return M(), [torch.randn(3, 10), torch.randn(3, 10)]


# -- attention --------------------------------------------------------------------------
class SelfAttention(nn.Module):
    def __init__(self, d: int, heads: int, causal: bool = False, sdpa: bool = True) -> None:
        super().__init__()
        self.h, self.causal, self.sdpa = heads, causal, sdpa
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, t, d = x.shape
        q, k, v = self.qkv(x).view(n, t, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        if self.sdpa:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal)
        else:
            att = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.h)
            y = torch.matmul(att.softmax(-1), v)
        return self.proj(y.transpose(1, 2).reshape(n, t, d))


class GPTBlock(nn.Module):
    def __init__(self, d: int, heads: int) -> None:
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = SelfAttention(d, heads, causal=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, vocab: int = 50, d: int = 16, layers: int = 2, ctx: int = 32) -> None:
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(ctx, d)
        self.blocks = nn.ModuleList(GPTBlock(d, 4) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight  # tied
        self.register_buffer("pos", torch.arange(ctx), persistent=False)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        x = self.wte(idx) + self.wpe(self.pos[: idx.shape[1]])
        for b in self.blocks:
            x = b(x)
        return self.lm_head(self.ln_f(x))


@case
def gpt_tied() -> Case:
    return GPT(), [ids()]


@case
def vit() -> Case:
    class ViT(nn.Module):
        def __init__(self, d: int = 16) -> None:
            super().__init__()
            self.patch = nn.Conv2d(3, d, 8, 8)
            self.cls = nn.Parameter(torch.zeros(1, 1, d))
            self.pos = nn.Parameter(torch.zeros(1, 17, d))
            self.blocks = nn.Sequential(*(GPTBlock(d, 2) for _ in range(2)))
            self.norm, self.head = nn.LayerNorm(d), nn.Linear(d, 10)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            t = self.patch(x).flatten(2).transpose(1, 2)
            t = torch.cat([self.cls.expand(x.shape[0], -1, -1), t], 1) + self.pos
            return self.head(self.norm(self.blocks(t))[:, 0])

    return ViT(), [img(s=32)]


@case
def vit_torch_encoder() -> Case:
    class ViT(nn.Module):
        def __init__(self, d: int = 16) -> None:
            super().__init__()
            self.patch = nn.Conv2d(3, d, 4, 4)
            layer = nn.TransformerEncoderLayer(d, 4, 32, dropout=0.0, batch_first=True,
                                               norm_first=True, activation="gelu")  # fmt: skip
            self.encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(d),
                                                 enable_nested_tensor=False)  # fmt: skip
            self.head = nn.Linear(d, 5)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.head(self.encoder(self.patch(x).flatten(2).transpose(1, 2)).mean(1))

    return ViT(), [img(s=16)]


@case
def swin_windows() -> Case:
    class WindowAttention(nn.Module):
        def __init__(self, d: int = 16, ws: int = 4, heads: int = 2) -> None:
            super().__init__()
            self.ws, self.h = ws, heads
            self.table = nn.Parameter(torch.zeros((2 * ws - 1) ** 2, heads))
            coords = torch.stack(torch.meshgrid(torch.arange(ws), torch.arange(ws), indexing="ij"))
            flat = coords.flatten(1)
            rel = (flat[:, :, None] - flat[:, None, :]).permute(1, 2, 0) + (ws - 1)
            self.register_buffer("index", rel[..., 0] * (2 * ws - 1) + rel[..., 1])
            self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
            self.norm = nn.LayerNorm(d)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            n, hh, ww, c = x.shape
            ws = self.ws
            w = self.norm(x).view(n, hh // ws, ws, ww // ws, ws, c).permute(0, 1, 3, 2, 4, 5)
            w = w.reshape(-1, ws * ws, c)
            b = w.shape[0]
            q, k, v = self.qkv(w).reshape(b, ws * ws, 3, self.h, c // self.h).permute(2, 0, 3, 1, 4)
            bias = self.table[self.index.view(-1)].view(ws * ws, ws * ws, -1).permute(2, 0, 1)
            att = (q @ k.transpose(-2, -1)) * (c // self.h) ** -0.5 + bias.unsqueeze(0)
            y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, ws * ws, c)
            y = self.proj(y).view(n, hh // ws, ww // ws, ws, ws, c).permute(0, 1, 3, 2, 4, 5)
            return x + y.reshape(n, hh, ww, c)

    class Swin(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Conv2d(3, 16, 4, 4)
            self.blocks = nn.Sequential(WindowAttention(), WindowAttention())
            self.head = nn.Linear(16, 10)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            t = self.blocks(self.embed(x).permute(0, 2, 3, 1))
            return self.head(t.mean((1, 2)))

    return Swin(), [img(s=32)]


@case
def bert_encoder() -> Case:
    class Attention(nn.Module):
        def __init__(self, d: int = 16, h: int = 4) -> None:
            super().__init__()
            self.h = h
            self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
            self.ln = nn.LayerNorm(d)

        def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            n, t, d = x.shape

            def split(y: torch.Tensor) -> torch.Tensor:
                return y.view(n, t, self.h, d // self.h).transpose(1, 2)

            q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
            s = torch.einsum("bhqd,bhkd->bhqk", q, k) / math.sqrt(d // self.h)
            s = s + (1.0 - mask[:, None, None, :]) * -1e4
            y = torch.einsum("bhqk,bhkd->bhqd", s.softmax(-1), v)
            return self.ln(x + self.o(y.transpose(1, 2).reshape(n, t, d)))

    class Layer(nn.Module):
        def __init__(self, d: int = 16) -> None:
            super().__init__()
            self.attn = Attention(d)
            self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
            self.ln = nn.LayerNorm(d)

        def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            x = self.attn(x, mask)
            return self.ln(x + self.ff(x))

    class Bert(nn.Module):
        def __init__(self, d: int = 16) -> None:
            super().__init__()
            self.word, self.pos, self.segment = (
                nn.Embedding(60, d),
                nn.Embedding(32, d),
                nn.Embedding(2, d),
            )
            self.ln = nn.LayerNorm(d, eps=1e-12)
            self.layers = nn.ModuleList(Layer(d) for _ in range(2))
            self.pool = nn.Sequential(nn.Linear(d, d), nn.Tanh())

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
            pos = torch.arange(ids.shape[1]).unsqueeze(0)
            x = self.ln(self.word(ids) + self.pos(pos) + self.segment(torch.zeros_like(ids)))
            for layer in self.layers:
                x = layer(x, mask)
            return {"last_hidden_state": x, "pooler_output": self.pool(x[:, 0])}

    return Bert(), [ids(v=60), torch.ones(2, 12)]


@case
def mixture_of_experts() -> Case:
    class MoE(nn.Module):
        def __init__(self, d: int = 16, experts: int = 4, hidden: int = 32, k: int = 2) -> None:
            super().__init__()
            self.k = k
            self.router = nn.Linear(d, experts, bias=False)
            self.w1 = nn.Parameter(torch.randn(experts, d, hidden) * 0.02)
            self.w2 = nn.Parameter(torch.randn(experts, hidden, d) * 0.02)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            n, t, d = x.shape
            flat = x.reshape(-1, d)
            gates = self.router(flat).softmax(-1)
            top, idx = gates.topk(self.k, -1)
            h = F.silu(torch.einsum("nd,edh->neh", flat, self.w1))
            out = torch.einsum("neh,ehd->ned", h, self.w2)
            picked = out.gather(1, idx[..., None].expand(-1, -1, d))
            return (picked * top[..., None]).sum(1).view(n, t, d)

    class Model(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding(50, 16)
            self.attn = SelfAttention(16, 4, sdpa=False)
            self.moe = MoE()
            self.norm = nn.RMSNorm(16)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            h = self.emb(x)
            h = h + self.attn(h)
            return self.norm(h + self.moe(h))

    return Model(), [ids()]


@case
def torch_multihead() -> Case:
    class M(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.self_attn = nn.MultiheadAttention(16, 4)
            self.cross = nn.MultiheadAttention(16, 2, kdim=8, vdim=12, batch_first=True,
                                               add_bias_kv=True, add_zero_attn=True)  # fmt: skip

        def forward(self, x: torch.Tensor, mem_k: torch.Tensor, mem_v: torch.Tensor) -> Any:
            a, w = self.self_attn(x, x, x, average_attn_weights=False)
            b, _ = self.cross(a.transpose(0, 1), mem_k, mem_v, need_weights=False)
            return a, w, b

    return M(), [torch.randn(5, 2, 16), torch.randn(2, 7, 8), torch.randn(2, 7, 12)]


@case
def torch_transformer() -> Case:
    model = nn.Transformer(16, 2, num_encoder_layers=1, num_decoder_layers=2,
                           dim_feedforward=24, dropout=0.0, batch_first=True)  # fmt: skip
    return model, [torch.randn(2, 9, 16), torch.randn(2, 5, 16)]


@case
def mlp_mixer() -> Case:
    class Mixer(nn.Module):
        def __init__(self, tokens: int = 16, d: int = 12) -> None:
            super().__init__()
            self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
            self.tok = nn.Sequential(nn.Linear(tokens, 24), nn.GELU(), nn.Linear(24, tokens))
            self.ch = nn.Sequential(nn.Linear(d, 24), nn.GELU(), nn.Linear(24, d))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            x = x + self.tok(self.ln1(x).transpose(1, 2)).transpose(1, 2)
            return x + self.ch(self.ln2(x))

    model = nn.Sequential(nn.Conv2d(3, 12, 4, 4), nn.Flatten(2), nn.Unflatten(2, (4, 4)),
                          nn.Flatten(2), Transpose(), Mixer(), Mixer())  # fmt: skip
    return model, [img(s=16)]


class Transpose(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.transpose(1, 2)


@case
def frozen_backbone() -> Case:
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))  # fmt: skip
    for p in model[:2].parameters():
        p.requires_grad = False
    return model, [img(s=10)]


@case
def functional_params() -> Case:
    class M(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.kernel = nn.Parameter(torch.randn(8, 3, 3, 3))
            self.w = nn.Parameter(torch.randn(8 * 14 * 14, 4))
            self.register_buffer("scale", torch.ones(1))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = F.conv2d(x, self.kernel, stride=2, padding=1)
            return torch.mm(y.flatten(1), self.w) * self.scale

    return M(), [img(s=28)]


@case
def masks_made_in_forward() -> Case:
    """Masks and positions made in forward without naming a device (they land on the
    CPU beside CPU inputs in a real run): the trace makes them on meta."""

    class M(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed, self.pos = nn.Embedding(50, 16), nn.Embedding(12, 16)
            self.attn = nn.MultiheadAttention(16, 4, batch_first=True)
            self.head = nn.Linear(16, 3)

        def forward(self, ids: torch.Tensor) -> torch.Tensor:
            b, t = ids.shape
            x = self.embed(ids) + self.pos(torch.arange(t))
            padding = torch.zeros(b, t, dtype=torch.bool)
            causal = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
            y, _ = self.attn(x, x, x, key_padding_mask=padding, attn_mask=causal,
                             need_weights=False)  # fmt: skip
            return self.head(y.mean(1))  # type: ignore[no-any-return]

    return M(), [torch.randint(0, 50, (2, 9))]


@case
def parametrized_weights() -> Case:
    """Weights computed by parametrizations (weight norm, spectral norm, orthogonal): the
    parameters are the parametrizations' originals; the computed weight is not one."""
    P = nn.utils.parametrizations
    model = nn.Sequential(
        P.weight_norm(nn.Conv2d(3, 8, 3)),
        nn.ReLU(),
        nn.Flatten(),
        P.spectral_norm(nn.Linear(8 * 6 * 6, 16)),
        P.orthogonal(nn.Linear(16, 16)),
    )
    return model, [img(s=8)]
