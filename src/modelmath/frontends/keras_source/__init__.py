"""Keras scripts read as text (never executed) → Graphs. Being built: see issue 3."""

from __future__ import annotations

from modelmath.errors import InputFileError
from modelmath.graph import Graph, Shape


def graphs_from_source(
    text: str, filename: str, *, input_shape: Shape | None = None, model_name: str | None = None
) -> list[Graph]:
    """The models the script builds, in the order their summary() is called."""
    raise InputFileError("reading Keras scripts is not available yet", where=filename)
