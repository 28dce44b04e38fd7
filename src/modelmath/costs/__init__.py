"""Compute and memory: MACs, FLOPs, bytes and receptive fields, each a derived value.

Importing this package registers every cost rule (one module per op family). Nothing
here runs unless costs are asked for (``columns``, ``batch``, ``optimizer`` or
``--explain``), so the default summary stays as fast as before.
"""

from modelmath.costs import (  # noqa: F401  (imported for their registrations)
    attention,
    conv,
    dense,
    elementwise,
    norm,
    pooling,
    recurrent,
)
from modelmath.costs.base import CostCall, OpCost
from modelmath.costs.data import (
    COLUMNS,
    COST_COLUMNS,
    OPTIMIZERS,
    AxisField,
    CostOptions,
    CostTotals,
    LayerCosts,
)
from modelmath.costs.registry import cost, find_cost, known_cost_ops

__all__ = [
    "COLUMNS",
    "COST_COLUMNS",
    "OPTIMIZERS",
    "AxisField",
    "CostCall",
    "CostOptions",
    "CostTotals",
    "LayerCosts",
    "OpCost",
    "cost",
    "find_cost",
    "known_cost_ops",
]
