"""Whole models: every keras.applications model's total MACs equal FlopCounterMode's count
of the real Keras model's forward pass (torch backend, weights and input on the meta
device: no memory, no arithmetic); costs hang together on a summary; the API and CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from checks import recompute
from keras_oracle import application_names, build_application

import modelmath
from modelmath.cli import main
from modelmath.model_summary import Summary

SEED = Path(__file__).parents[2] / "examples" / "seed.keras"
SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "json-schema.json").read_text())


def cost_exprs(s: Summary) -> list[Any]:
    out = []
    for r in s.rows:
        c = r.costs
        assert c is not None, r.name
        out += [q.expr for q in (c.macs, c.flops, c.elementwise, c.activation_bytes) if q]
        out.append(c.param_bytes.expr)
        out += [e for f in c.receptive_field for e in (f.size, f.jump, f.start)]
    t = s.costs
    assert t is not None
    out += [
        q.expr
        for q in (t.macs, t.flops, t.param_bytes, t.gradient_bytes, t.optimizer_bytes,
                  t.activation_bytes, t.training_bytes)
    ]  # fmt: skip
    return out


def assert_consistent(s: Summary) -> None:
    """Every derived value evaluates to its number; FLOPs = 2·MACs + E; totals = Σ rows."""
    for expr in cost_exprs(s):
        for node in expr.walk():
            assert recompute(node) == node.value, node
    t = s.costs
    assert t is not None
    costs = [r.costs for r in s.rows if r.costs is not None]
    for c in costs:
        if c.macs is not None and c.flops is not None and c.elementwise is not None:
            assert c.flops.value == 2 * c.macs.value + c.elementwise.value
    if t.complete:
        assert t.macs.value == sum(c.macs.value for c in costs if c.macs)
        assert t.flops.value == 2 * t.macs.value + sum(
            c.elementwise.value for c in costs if c.elementwise
        )
    assert t.training_bytes.value == sum(
        q.value for q in (t.param_bytes, t.gradient_bytes, t.optimizer_bytes, t.activation_bytes)
    )


def _torch_macs(model: Any, batch: int) -> int:
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    shapes = [(batch, *t.shape[1:]) for t in model.inputs]
    xs = [torch.empty(s, device="meta") for s in shapes]
    with torch.no_grad(), FlopCounterMode(display=False) as mode:
        model(xs if len(xs) > 1 else xs[0], training=False)
    return int(mode.get_total_flops()) // 2


@pytest.mark.parametrize("name", application_names())
def test_application_macs_equal_flop_counter(keras, name: str) -> None:
    if name.startswith("NASNet"):
        pytest.skip("Keras does not build NASNet on the torch backend (a Keras limitation)")
    model = build_application(name)
    if any(d is None for d in model.inputs[0].shape[1:]):
        # MobileNetV3 leaves its image size free; counting needs one (so does torch).
        model = getattr(keras.applications, name)(weights=None, input_shape=(224, 224, 3))
    s = modelmath.summary(json.loads(model.to_json()), batch=2)
    assert s.costs is not None and s.costs.complete, s.costs and s.costs.missing
    assert s.costs.macs.value == _torch_macs(model, 2), name
    assert_consistent(s)


def test_free_sizes_are_not_guessed(keras) -> None:
    """A free image size leaves MACs unknown ('?', with the reason), never guessed."""
    inp = keras.Input((None, None, 3))
    model = keras.Model(inp, keras.layers.Conv2D(2, 3)(inp))
    s = modelmath.summary(json.loads(model.to_json()), columns=["macs"])
    conv = s.row("conv2d").costs
    assert conv is not None and conv.macs is None and "known height" in conv.note
    assert s.costs is not None and not s.costs.complete and s.costs.missing == ("Conv2D",)


def test_default_summary_counts_nothing() -> None:
    """The default summary stays as fast as before: no costs unless asked for."""
    s = modelmath.summary(SEED)
    assert s.costs is None and all(r.costs is None for r in s.rows)


def test_seed_costs_by_hand() -> None:
    s = modelmath.summary(SEED, columns=["shape", "params", "macs", "flops"], batch=4)
    conv = s.row("conv2d").costs
    assert conv is not None and conv.macs is not None and conv.flops is not None
    assert conv.macs.value == 4 * 148 * 148 * 3 * 3 * 3 * 16
    # bias add + relu per output element
    assert conv.flops.value == 2 * conv.macs.value + 2 * 4 * 148 * 148 * 16
    assert [f.size.value for f in conv.receptive_field] == [3, 3]
    pool = s.row("max_pooling2d_2").costs
    assert pool is not None and [(f.size.value, f.jump.value) for f in pool.receptive_field] == [
        (22, 8),
        (22, 8),
    ]
    assert s.columns == ("shape", "params", "macs", "flops")
    assert_consistent(s)


@pytest.mark.parametrize(("optimizer", "slots"), [("sgd", 0), ("momentum", 1), ("adam", 2)])
def test_training_estimate_terms(optimizer: str, slots: int) -> None:
    s = modelmath.summary(SEED, optimizer=optimizer)
    t = s.costs
    assert t is not None
    params = 9_494_561 * 4
    assert (t.param_bytes.value, t.gradient_bytes.value) == (params, params)
    assert t.optimizer_bytes.value == slots * params
    acts = sum(
        r.costs.activation_bytes.value for r in s.rows if r.costs and r.costs.activation_bytes
    )
    assert t.activation_bytes.value == acts


def test_mixed_precision_bytes(keras) -> None:
    """mixed_float16: float32 variables (4 bytes), float16 activations (2 bytes)."""
    L = keras.layers
    inp = keras.Input((8, 8, 3))
    x = L.Conv2D(4, 3, dtype="mixed_float16")(inp)
    out = L.Dense(2, dtype="mixed_float16")(x)
    model = keras.Model(inp, out)
    s = modelmath.summary(json.loads(model.to_json()), batch=3)
    conv = s.row("conv2d").costs
    assert conv is not None and conv.activation_bytes is not None
    assert conv.param_bytes.value == (3 * 3 * 3 * 4 + 4) * 4
    assert conv.activation_bytes.value == 3 * 6 * 6 * 4 * 2
    assert s.row(s.rows[0].name).costs.activation_bytes.value == 3 * 8 * 8 * 3 * 4  # type: ignore[union-attr]


def test_shared_layer_counts_every_call_and_nested_model_sums(keras) -> None:
    L = keras.layers
    inner_in = keras.Input((6,))
    inner = keras.Model(inner_in, L.Dense(3)(inner_in), name="inner")
    a, b = keras.Input((6,)), keras.Input((6,))
    shared = L.Dense(6, name="shared")
    merged = L.Add()([shared(a), shared(b)])
    model = keras.Model([a, b], inner(merged))
    s = modelmath.summary(json.loads(model.to_json()), batch=1)
    row = s.row("shared").costs
    assert row is not None and row.macs is not None
    assert row.macs.value == 2 * 6 * 6  # two calls
    nested = s.row("inner").costs
    assert nested is not None and nested.macs is not None and nested.macs.value == 6 * 3
    assert_consistent(s)


def test_cli_cost_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SEED), "--columns", "macs,flops,memory,rf", "--batch", "2",
                 "--optimizer", "sgd", "--width", "200"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "MACs" in out and "FLOPs" in out and "Receptive field" in out
    assert "18,925,056" in out  # conv2d at batch 2
    assert "Total MACs: 128,256,512 (batch 2)" in out
    assert "Training memory estimate (sgd, batch 2)" in out and "KiB" in out


def test_cli_no_explain_notes_keras_units(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SEED), "--columns", "shape,params,macs", "--no-explain"]) == 0
    out = capsys.readouterr().out
    assert "(36.22 MB)" in out and "writes MB for the same 2**20 bytes" in out


def test_cli_explain_covers_costs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SEED), "--explain", "conv2d_1"]) == 0
    out = capsys.readouterr().out
    assert "MACs = N·H_out·W_out·K_h·K_w·C_in·F = 1·72·72·3·3·16·32 = 23887872" in out
    assert "FLOPs = 2·M + E" in out
    assert "r_out = r_in + (k − 1)·d·j_in = 4 + (3 − 1)·1·2 = 8" in out


@pytest.mark.parametrize("args", [["--columns", "shape,nope"], ["--batch", "0"]])
def test_cli_bad_cost_options(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SEED), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("modelmath: error:") and err.count("\n") == 1


def test_json_with_costs_validates() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="validates docs/json-schema.json")
    from modelmath.renderers.json_data import render_json

    s = modelmath.summary(SEED, columns=["shape", "params", "macs", "flops", "memory", "rf"])
    doc = render_json([s])
    jsonschema.validate(doc, SCHEMA)
    conv = doc["models"][0]["rows"][1]["costs"]
    assert conv["macs"]["value"] == 9_462_528
    assert conv["macs"]["text"] == "N·H_out·W_out·K_h·K_w·C_in·F"
    assert doc["models"][0]["costs"]["training_bytes"]["text"] == "P + G + S + A"


AUGMENTATION_ARGS = {
    "RandomBrightness": {"factor": 0.2}, "RandomColorDegeneration": {"factor": 0.2},
    "RandomContrast": {"factor": 0.2}, "RandomHue": {"factor": 0.2},
    "RandomRotation": {"factor": 0.2}, "RandomSaturation": {"factor": 0.2},
    "RandomSharpness": {"factor": 0.2}, "RandomZoom": {"height_factor": 0.2},
    "RandomTranslation": {"height_factor": 0.2, "width_factor": 0.2},
}  # fmt: skip

# Real arithmetic on the CPU, in a child process (these tests keep Keras on the meta device).
_CHANGED_AT_INFERENCE = """
import json, sys
import numpy as np, keras
args = json.loads(sys.argv[1])
image = np.random.default_rng(0).random((2, 12, 12, 3)).astype("float32")
changed = [op for op, kw in args.items()
           if not np.array_equal(np.asarray(getattr(keras.layers, op)(**kw)(image, training=False)),
                                 image)]
print(json.dumps(changed))
"""


def test_augmentations_cost_nothing_at_inference(keras) -> None:
    """The tutorial pattern: random augmentations in front of a CNN. Keras returns the
    input unchanged from each of them at inference (checked on real data), so their MACs
    and FLOPs are 0 and they leave the receptive field alone."""
    import os
    import subprocess
    import sys

    from modelmath.costs.elementwise import AUGMENTATIONS

    ops = {op: AUGMENTATION_ARGS.get(op, {}) for op in AUGMENTATIONS}
    env = os.environ | {"KERAS_BACKEND": "torch", "KERAS_TORCH_DEVICE": "cpu"}
    done = subprocess.run(
        [sys.executable, "-c", _CHANGED_AT_INFERENCE, json.dumps(ops)],
        env=env, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    L = keras.layers
    inp = keras.Input((12, 12, 3))
    x = inp
    for op, kwargs in ops.items():
        x = getattr(L, op)(**kwargs)(x)
    model = keras.Model(inp, L.Conv2D(2, 3, name="conv")(x))
    s = modelmath.summary(json.loads(model.to_json()), columns=["macs", "flops", "rf"])
    assert s.costs is not None and s.costs.complete
    for row in s.rows[1:-1]:
        assert row.costs is not None and row.costs.macs is not None and row.costs.flops is not None
        assert (row.costs.macs.value, row.costs.flops.value) == (0, 0), row.op
    conv = s.row("conv").costs
    assert conv is not None and [f.size.value for f in conv.receptive_field] == [3, 3]
