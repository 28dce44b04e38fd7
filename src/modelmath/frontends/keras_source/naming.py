"""Automatic names exactly as Keras 3 gives them: ``conv2d``, ``conv2d_1``, …

Keras keeps one counter per snake_case prefix for the whole session, shared by layers,
operations (``x + y`` is ``add``) and models; building a Sequential model also uses up an
``input_layer`` and a ``functional`` name each time it (re)builds. Some layers create
inner layers when first called, which use up names the user never sees.

>>> n = Namer()
>>> n.auto("Conv2D"), n.auto("Conv2D"), n.auto("MaxPooling2D")
('conv2d', 'conv2d_1', 'max_pooling2d')
"""

from __future__ import annotations

import re
from collections import defaultdict

# Layers that construct inner layers (with automatic names) when they are first called.
# tests/source/test_naming.py checks this table against real Keras.
BUILD_NAMES: dict[str, tuple[str, ...]] = {
    "MultiHeadAttention": ("softmax", "dropout"),
    "GroupQueryAttention": ("softmax", "dropout"),
    "GroupedQueryAttention": ("softmax", "dropout"),
}


def snake_case(name: str) -> str:
    """Keras's ``to_snake_case``: ``MaxPooling2D`` → ``max_pooling2d``.

    >>> snake_case("MaxPooling2D"), snake_case("LSTM"), snake_case("MyCNNModel")
    ('max_pooling2d', 'lstm', 'my_cnn_model')
    """
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


class Namer:
    """Keras's ``uniquify``: the first ``dense`` is bare, then ``dense_1``, ``dense_2``, …"""

    def __init__(self) -> None:
        self.counts: defaultdict[str, int] = defaultdict(int)

    def unique(self, prefix: str) -> str:
        count = self.counts[prefix]
        self.counts[prefix] += 1
        return f"{prefix}_{count}" if count else prefix

    def auto(self, class_name: str) -> str:
        return self.unique(snake_case(class_name))

    def clear(self) -> None:
        """``keras.backend.clear_session()`` starts every counter again."""
        self.counts.clear()
