"""Receptive fields against brute force: in small random conv/pool networks built in Keras
(run on the CPU), perturb one input pixel at a time and see which outputs change.

All weights and inputs are positive, so the network is monotone: a large increase of one
pixel strictly increases every output whose field contains it (through max pooling too,
the perturbation being far larger than any other value), and changes no other output.
For each layer, every output position whose field lies inside the input must be changed
by exactly the pixels from start + o·j − (r − 1)/2 to start + o·j + (r − 1)/2 at its ends
(dilated kernels leave holes inside; the ends are what r describes). Where branches merge,
modelmath shows the largest field: that window must lie within the changed pixels.
"""

from __future__ import annotations

import json
import random
from typing import Any

import numpy as np
import pytest

import modelmath

SEEDS = list(range(24))
PERTURBATION = 1e5


def _layer(L: Any, rng: random.Random, rank: int) -> Any:
    conv = L.Conv1D if rank == 1 else L.Conv2D
    kind = rng.choice(["conv", "conv", "conv", "pool", "depthwise", "pad", "crop", "relu"])
    padding = rng.choice(["valid", "same"])
    if kind == "conv":
        return (
            conv(
                rng.randint(1, 3),
                rng.randint(1, 4),
                strides=rng.choice([1, 1, 2]),
                dilation_rate=1,
                padding=padding,
            )
            if rng.random() < 0.6
            else conv(rng.randint(1, 3), rng.randint(2, 3), dilation_rate=2, padding=padding)
        )
    if kind == "pool":
        pool = rng.choice(
            [L.MaxPooling1D, L.AveragePooling1D]
            if rank == 1
            else [L.MaxPooling2D, L.AveragePooling2D]
        )
        return pool(rng.choice([2, 3]), strides=rng.choice([None, 1, 2]), padding=padding)
    if kind == "depthwise":
        dw = L.DepthwiseConv1D if rank == 1 else L.DepthwiseConv2D
        return dw(rng.randint(2, 4), strides=rng.choice([1, 2]), padding=padding)
    if kind == "pad":
        return (L.ZeroPadding1D if rank == 1 else L.ZeroPadding2D)(rng.randint(1, 2))
    if kind == "crop":
        return (L.Cropping1D if rank == 1 else L.Cropping2D)(1)
    return L.ReLU()


def random_network(keras: Any, seed: int) -> tuple[Any, list[str]]:
    """A chain of 3–6 window layers, sometimes with two branches merged by Add."""
    rng = random.Random(seed)
    L = keras.layers
    rank = 1 if seed % 4 == 3 else 2
    size = (40,) if rank == 1 else (26, 23)
    inp = keras.Input((*size, 1))
    x, names = inp, []
    for i in range(rng.randint(3, 6)):
        if i == 2 and rng.random() < 0.4:  # two 'same' branches, merged
            conv = L.Conv1D if rank == 1 else L.Conv2D
            a = conv(2, rng.choice([1, 3, 5]), padding="same")(x)
            b = conv(2, rng.choice([2, 3]), padding="same", dilation_rate=rng.choice([1, 2]))(x)
            x = L.Add()([a, b])
            names.append(x._keras_history[0].name)
            continue
        for _ in range(10):
            layer = _layer(L, rng, rank)
            try:
                y = layer(x)
            except Exception:
                continue
            if all(d is not None and d >= 3 for d in y.shape[1:-1]):
                x = y
                names.append(layer.name)
                break
    return keras.Model(inp, [keras.Model(inp, x).get_layer(n).output for n in names]), names


def _positive_weights(model: Any) -> None:
    rng = np.random.default_rng(0)
    for w in model.weights:
        w.assign(np.abs(rng.normal(size=w.shape)).astype("float32") + 0.05)


def _changed_spans(model: Any, shape: tuple[int, ...]) -> list[np.ndarray]:
    """For each output, a boolean array [output position…, input pixel…]: changed or not."""
    base = np.random.default_rng(1).uniform(1, 2, size=shape).astype("float32")
    pixels = int(np.prod(shape))
    batch = np.repeat(base[None], pixels + 1, axis=0)
    for p in range(pixels):
        batch[(p + 1, *np.unravel_index(p, shape))] += PERTURBATION
    outs = model(batch[..., None])
    outs = outs if isinstance(outs, (list, tuple)) else [outs]
    spans = []
    for out in outs:
        y = np.asarray(out.detach().cpu()).max(axis=-1)  # any channel
        changed = np.abs(y[1:] - y[:1]) > 1e-3 * (1 + np.abs(y[:1]))
        # [pixel, out positions…] → [out positions…, pixel…]
        changed = changed.reshape(pixels, *y.shape[1:])
        spans.append(np.moveaxis(changed, 0, -1).reshape(*y.shape[1:], *shape))
    return spans


@pytest.mark.parametrize("seed", SEEDS)
def test_receptive_fields_match_brute_force(keras, seed: int) -> None:
    with keras.device("cpu"):
        model, names = random_network(keras, seed)
        _positive_weights(model)
        shape = tuple(model.inputs[0].shape[1:-1])
        spans = _changed_spans(model, shape)
    summary = modelmath.summary(json.loads(model.to_json()), columns=["rf"])
    checked, margin = 0, 0
    for name, changed in zip(names, spans):
        # Cropping(1) drops a pixel on each side: a field reaching it is truncated there.
        margin += name.startswith("cropping")
        fields = summary.row(name).costs.receptive_field  # type: ignore[union-attr]
        assert len(fields) == len(shape), f"seed {seed}: {name} has no field"
        rank = len(shape)
        for out_pos in np.ndindex(*changed.shape[:rank]):
            windows = []
            for f, o in zip(fields, out_pos):
                centre = f.start.value + o * f.jump.value
                lo, hi = centre - (f.size.value - 1) / 2, centre + (f.size.value - 1) / 2
                windows.append((lo, hi))
            hit = np.argwhere(changed[out_pos])
            for axis, (lo, hi) in enumerate(windows):
                if hit.size and not fields[axis].merged:  # never wider than the field
                    assert lo <= hit[:, axis].min() and hit[:, axis].max() <= hi, seed
            if any(lo < margin or hi > shape[a] - 1 - margin for a, (lo, hi) in enumerate(windows)):
                continue  # the field reaches into padding or cropping: truncated there
            assert hit.size, f"seed {seed}: {name}{out_pos} changed by no pixel"
            for axis, (lo, hi) in enumerate(windows):
                first, last = hit[:, axis].min(), hit[:, axis].max()
                if fields[axis].merged:
                    assert first <= lo and hi <= last, f"seed {seed}: {name}{out_pos} axis {axis}"
                else:
                    assert (first, last) == (lo, hi), f"seed {seed}: {name}{out_pos} axis {axis}"
            checked += 1
    assert checked, f"seed {seed}: no output position with a field inside the input"
