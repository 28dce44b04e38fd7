"""modelmath: model summaries where every number shows its formula.

>>> import modelmath
>>> s = modelmath.summary("examples/seed_config.json")  # doctest: +SKIP
>>> s.row("conv2d").params.value                        # doctest: +SKIP
448
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from modelmath.errors import ModelMathError

if TYPE_CHECKING:
    from modelmath.model_summary import Summary

__version__ = "0.1.0"
__all__ = ["ModelMathError", "Summary", "summaries", "summary"]


def summaries(
    model: Any,
    *,
    input_shape: Sequence[int | None] | None = None,
    model_name: str | None = None,
) -> list[Summary]:
    """Every model in ``model``: a Python script may build several (in the order their
    ``summary()`` is called); other inputs hold one.

    >>> import modelmath
    >>> cfg = {"class_name": "Sequential", "config": {"name": "s", "layers": [
    ...     {"class_name": "Dense", "config": {"name": "dense", "units": 2}}]}}
    >>> [s.name for s in modelmath.summaries(cfg, input_shape=(4,))]
    ['s']
    """
    from modelmath.analysis import analyze
    from modelmath.frontends import load_graphs

    shape = None if input_shape is None else tuple(input_shape)
    out = []
    for graph in load_graphs(model, input_shape=shape, model_name=model_name):
        try:
            out.append(analyze(graph))
        except ModelMathError as err:
            raise err.with_context(graph.source or f"model '{graph.name}'") from None
    return out


def summary(
    model: Any,
    *,
    input_shape: Sequence[int | None] | None = None,
    model_name: str | None = None,
) -> Summary:
    """The explained summary of ``model``.

    ``model`` is a live Keras 3 model, a model config dict, or the path of a `.keras`
    archive, a config JSON file or a Keras script (read as text, never run; the first
    model it summarizes, or the one named ``model_name``). ``input_shape`` (without the
    batch axis) completes a Sequential model that was given none.

    >>> import modelmath
    >>> cfg = {"class_name": "Sequential", "config": {"name": "s", "layers": [
    ...     {"class_name": "Dense", "config": {"name": "dense", "units": 2}}]}}
    >>> modelmath.summary(cfg, input_shape=(4,)).totals.total.value
    10
    """
    found = summaries(model, input_shape=input_shape, model_name=model_name)
    return found[0]


def __getattr__(name: str) -> Any:
    # Summary is imported lazily so that `import modelmath` stays light.
    if name == "Summary":
        from modelmath.model_summary import Summary

        return Summary
    raise AttributeError(f"module 'modelmath' has no attribute {name!r}")
