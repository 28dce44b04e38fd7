"""The cost figures a Summary carries when they are asked for: frozen data, no text.

>>> from modelmath.expr import Num, Quantity
>>> CostOptions(batch=8).optimizer
'adam'
"""

from __future__ import annotations

from dataclasses import dataclass

from modelmath.expr import Expr, Quantity

OPTIMIZERS = {"sgd": 0, "momentum": 1, "adam": 2}  # state slots per trained parameter
COST_COLUMNS = ("macs", "flops", "memory", "rf")
COLUMNS = ("shape", "params", *COST_COLUMNS)


@dataclass(frozen=True)
class CostOptions:
    """What to count with: the batch size (where the model leaves it free) and optimizer."""

    batch: int = 1
    optimizer: str = "adam"


@dataclass(frozen=True)
class AxisField:
    """Receptive field of one spatial axis: size r, jump j (effective stride) and start
    (centre of the first output's field, in input pixels; pixel i has centre i)."""

    axis: str  # "height", "width", "length", …
    size: Expr
    jump: Expr
    start: Expr
    merged: bool = False  # the largest of several merging branches


@dataclass(frozen=True)
class LayerCosts:
    """One row's compute and memory. ``macs``/``flops`` are None without a cost formula."""

    macs: Quantity | None
    flops: Quantity | None
    elementwise: Quantity | None
    activation_bytes: Quantity | None  # the outputs of every call, for the batch
    param_bytes: Quantity
    receptive_field: tuple[AxisField, ...] = ()
    note: str = ""  # why macs is None


@dataclass(frozen=True)
class CostTotals:
    """Totals of the whole model, and the training memory estimate term by term."""

    options: CostOptions
    macs: Quantity
    flops: Quantity
    param_bytes: Quantity  # P
    gradient_bytes: Quantity  # G: one gradient per trainable parameter
    optimizer_bytes: Quantity  # O: optimizer state slots per trainable parameter
    activation_bytes: Quantity  # A: every layer output, kept for the backward pass
    training_bytes: Quantity  # P + G + O + A
    complete: bool = True  # False when some layer has no cost formula
    missing: tuple[str, ...] = ()  # ops without a cost formula
