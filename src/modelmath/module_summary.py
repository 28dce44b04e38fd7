"""The summary of a module tree (PyTorch): frozen data, no display strings.

Rows follow the module hierarchy as the forward pass ran it, like torchinfo: one
:class:`ModuleRow` per module call, with its depth, nested name, input and output
shapes, its own parameters (a parameter shared or tied with another module is counted
once, where it is defined, and marked where it is reused), buffers apart, and MACs.
Every count is a :class:`~modelmath.expr.Quantity` whose value is evaluated from its
formula. Printing is the renderers' job.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from modelmath.expr import Quantity
from modelmath.fastinit import fast_frozen_init
from modelmath.gcpause import paused_gc
from modelmath.rules.base import OutputShape


class ModuleStatus(Enum):
    """How a row's shapes were obtained."""

    COMPUTED = "computed"  # a rule gave formulas, and they agree with the traced pass
    OBSERVED = "observed"  # a container or custom module: shapes as the pass produced them
    DISAGREES = "disagrees"  # a rule exists but its numbers differ from the pass: observed kept


@fast_frozen_init
@dataclass(frozen=True)
class TensorRow:
    """One parameter or buffer as the row of its module lists it."""

    name: str  # local name ("weight")
    qualified: str  # full name in the model ("layer1.0.conv1.weight")
    shape: tuple[int, ...]
    count: Quantity  # its formula (from the rule, or the product of its shape)
    trainable: bool
    is_buffer: bool
    dtype: str
    counted_at: str  # where it is counted: its own qualified name, or the tied original
    counted_here: bool = True  # False for a tied tensor or a module's repeated call

    @property
    def reused(self) -> bool:
        """True when the tensor is counted elsewhere (tied, or a repeated call)."""
        return not self.counted_here


@fast_frozen_init
@dataclass(frozen=True)
class FunctionRow:
    """A functional operation run in a module's own forward code."""

    name: str  # "torch.matmul", "F.scaled_dot_product_attention", "Tensor.view"
    inputs: tuple[tuple[int, ...], ...]
    outputs: tuple[tuple[int, ...], ...]
    macs: Quantity
    args: dict[str, Any]


@fast_frozen_init
@dataclass(frozen=True)
class ModuleRow:
    """One call of one module."""

    path: str  # nested name ("" for the model itself)
    op: str  # class name
    depth: int
    call_index: int  # > 0: a repeated call of a module already listed
    inputs: Any  # the shapes it took: tuples/lists/dicts of shape tuples
    outputs: Any  # the shapes it returned, the same way
    output_formulas: tuple[OutputShape, ...]  # from the rule, in flattened output order
    params: Quantity  # parameters counted here: its own, not tied or repeated ones
    trainable: Quantity
    non_trainable: Quantity
    params_why: str
    weights: tuple[TensorRow, ...]  # its own parameters (counted here or not)
    buffers: tuple[TensorRow, ...]
    macs: Quantity  # multiply-accumulates of its own work (children excluded)
    subtree_params: Quantity  # itself and every module below it
    subtree_macs: Quantity
    functions: tuple[FunctionRow, ...]
    status: ModuleStatus
    is_leaf: bool
    called: bool = True
    note: str = ""

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1] if self.path else ""


@fast_frozen_init
@dataclass(frozen=True)
class ModuleTotals:
    """Totals over the unique parameters and buffers, and the MACs of the whole pass."""

    params: Quantity
    trainable: Quantity
    non_trainable: Quantity
    buffers: Quantity
    macs: Quantity
    param_bytes: Quantity
    buffer_bytes: Quantity


@dataclass(frozen=True, repr=False)
class ModuleSummary:
    """Explained summary of a PyTorch module traced from shapes alone."""

    name: str
    rows: tuple[ModuleRow, ...]
    totals: ModuleTotals
    inputs: Any  # shapes of the inputs given
    notes: tuple[str, ...] = ()
    depth: int = 3  # rows deeper than this are folded into their parent when shown
    columns: tuple[str, ...] = ("input", "output", "params", "macs")
    framework: str = "torch"
    ascii_only: bool = False  # str() writes plain ASCII (torchinfo's row setting)
    # the rendered tables leave out the rows of modules' later calls (torchinfo's
    # hide_recursive_layers); the rows stay here, and the totals are the same
    hide_reused: bool = False

    def row(self, path: str) -> ModuleRow:
        """The first row of the module called ``path``."""
        for r in self.rows:
            if r.path == path:
                return r
        from modelmath.errors import UsageError

        raise UsageError(f"model '{self.name}' has no module named '{path}'", received=path)

    def __repr__(self) -> str:
        return (
            f"<ModuleSummary of '{self.name}': {len(self.rows)} rows, "
            f"{int(self.totals.params.value):,} params, {int(self.totals.macs.value):,} MACs>"
        )

    # Paused from the first instruction: the summary's objects were made with the
    # collector paused, so its count of new objects is high, and the first allocation with
    # it on would walk every one of them (a fifth of a millisecond on ResNet-50).
    @paused_gc
    def __str__(self) -> str:
        from modelmath.renderers.module_table import render_module_table

        return render_module_table(self, ascii_only=self.ascii_only)

    def _repr_html_(self) -> str:
        from modelmath.renderers.html import notebook_html

        return notebook_html(self)

    def to_json(self) -> dict[str, Any]:
        from modelmath.renderers.module_table import module_summary_json

        return module_summary_json(self)

    def explain(self, name: str, *, ascii_only: bool | None = None) -> str:
        """Every number of module ``name`` (its nested name, or a unique last part of it)
        in a paragraph: sizes, weights, buffers and MACs, each with its formula.

        >>> import torch, modelmath
        >>> s = modelmath.summary(torch.nn.Linear(4, 2), input_size=(1, 4))
        >>> print(s.explain("").splitlines()[0])  # doctest: +NORMALIZE_WHITESPACE
        The model is a Linear module. It takes [1, 4] and gives [1, 2], with 10
        parameters: weight 2 outputs × 4 inputs, + 2 biases.
        """
        from modelmath.renderers.explain_module import explain_module

        ascii_only = self.ascii_only if ascii_only is None else ascii_only
        return explain_module(self, name, ascii_only=ascii_only)
