"""The cost registry: one cost rule per op, keyed by the same op names as the shape rules.

>>> import modelmath.costs
>>> find_cost("Conv2D") is not None, find_cost("NoSuchLayer")
(True, None)
"""

from __future__ import annotations

from collections.abc import Callable

from modelmath.costs.base import CostCall, OpCost

CostRule = Callable[[CostCall], OpCost]

_COSTS: dict[str, CostRule] = {}


class DuplicateCostError(RuntimeError):
    """Two cost rules claim the same op name: a programming error, caught at import."""


def cost(*op_names: str) -> Callable[[CostRule], CostRule]:
    """Register a cost rule for each of ``op_names``; a name already taken is refused."""

    def register(fn: CostRule) -> CostRule:
        for op in op_names:
            if op in _COSTS:
                raise DuplicateCostError(
                    f"op {op!r} already has cost rule {_COSTS[op].__qualname__}; "
                    f"{fn.__qualname__} cannot take it too"
                )
            _COSTS[op] = fn
        return fn

    return register


def find_cost(op: str) -> CostRule | None:
    """The cost rule for ``op``, or ``None`` when modelmath has no cost formula for it."""
    return _COSTS.get(op)


def known_cost_ops() -> list[str]:
    """Every op name that has a cost rule, sorted."""
    return sorted(_COSTS)
