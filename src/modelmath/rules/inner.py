"""Layers whose config holds another layer's config (Bidirectional, TimeDistributed, RNN
cells, SpectralNormalization, Pipeline): read the inner config and run its rule.

>>> from modelmath.rules.base import LayerCall
>>> outer = LayerCall("td", "TimeDistributed", {"layer": {"class_name": "Dense",
...     "config": {"name": "dense", "units": 4}}}, ((None, 5, 3),))
>>> op, cfg = inner_config(outer, "layer")
>>> run_inner(outer, op, cfg, ((None, 3),)).outputs[0].values
(None, 4)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modelmath.graph import Shape
from modelmath.rules.base import LayerCall, RuleResult, Weight
from modelmath.rules.registry import find_rule


def inner_config(ctx: LayerCall, key: str) -> tuple[str, Mapping[str, Any]]:
    """(class name, config) of the layer serialized under ``ctx.config[key]``."""
    return as_layer(ctx, ctx.config.get(key), key)


def as_layer(ctx: LayerCall, raw: Any, what: str) -> tuple[str, Mapping[str, Any]]:
    """(class name, config) of one serialized layer: ``{"class_name": …, "config": {…}}``."""
    if isinstance(raw, Mapping) and isinstance(raw.get("class_name"), str):
        cfg = raw.get("config")
        return str(raw["class_name"]), cfg if isinstance(cfg, Mapping) else {}
    raise ctx.error(f"needs the config of the layer it wraps in `{what}`", received=repr(raw)[:80])


def run_inner(
    ctx: LayerCall, op: str, config: Mapping[str, Any], inputs: tuple[Shape, ...]
) -> RuleResult:
    """The inner layer's rule on ``inputs``; its weights named ``inner/weight`` and frozen
    when the inner layer says ``trainable: false`` (Keras freezes them the same way)."""
    rule = find_rule(op)
    if rule is None:
        raise ctx.error(
            f"wraps a {op}, for which modelmath has no formula",
            fix="See docs/coverage.md for the layers modelmath can summarize",
        )
    name = str(config.get("name") or op.lower())
    result = rule(LayerCall(f"{ctx.name}/{name}", op, config, inputs, ctx.framework))
    frozen = config.get("trainable") is False
    weights = tuple(
        Weight(f"{name}/{w.name}", w.shape, w.trainable and not frozen, w.meaning, w.dtype)
        for w in result.weights
    )
    return RuleResult(result.outputs, weights, result.params_why)
