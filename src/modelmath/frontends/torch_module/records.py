"""What a traced forward pass leaves behind: plain data, no framework objects.

A :class:`ModuleCall` is one call of one module, with the shapes it took and returned,
the functional operations it ran itself (not inside a child module), and its child
calls: the module hierarchy as it executed.

>>> t = TensorInfo((2, 3), "float32")
>>> tree_shapes({"x": t, "y": [t, None]})
{'x': (2, 3), 'y': [(2, 3), None]}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Union

from modelmath.fastinit import fast_frozen_init

Shape = tuple[int, ...]


@fast_frozen_init
@dataclass(frozen=True)
class TensorInfo:
    """A tensor as a summary needs it: shape and dtype."""

    shape: Shape
    dtype: str


# A nested structure of tensors as a module takes or returns it; non-tensors become None.
Tree = Union[TensorInfo, tuple["Tree", ...], list["Tree"], dict[str, "Tree"], None]  # noqa: UP007


def tree_shapes(tree: Tree) -> Any:
    """The same structure with each tensor replaced by its shape tuple."""
    if isinstance(tree, TensorInfo):
        return tree.shape
    if isinstance(tree, tuple):
        return tuple(tree_shapes(t) for t in tree)
    if isinstance(tree, list):
        return [tree_shapes(t) for t in tree]
    if isinstance(tree, dict):
        return {k: tree_shapes(v) for k, v in tree.items()}
    return None


def tree_tensors(tree: Tree) -> Iterator[TensorInfo]:
    """Every tensor of ``tree``, in order."""
    if isinstance(tree, TensorInfo):
        yield tree
    elif isinstance(tree, (tuple, list)):
        for t in tree:
            yield from tree_tensors(t)
    elif isinstance(tree, dict):
        for v in tree.values():
            yield from tree_tensors(v)


@fast_frozen_init
@dataclass(frozen=True)
class TensorSlot:
    """One parameter or buffer of a module, by its local name."""

    name: str  # local name, e.g. "weight"
    shape: Shape
    dtype: str
    requires_grad: bool
    owner: str  # qualified name where it is counted: its first name in the model
    is_buffer: bool = False
    persistent: bool = True  # buffers: saved in the state_dict

    @property
    def numel(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n


@fast_frozen_init
@dataclass(frozen=True)
class AtenOp:
    """One contraction the dispatcher ran (mm, addmm, bmm, baddbmm, convolution)."""

    op: str  # "mm", "bmm", "convolution", …
    inputs: tuple[Shape, ...]
    output: Shape
    config: Mapping[str, Any] = field(default_factory=dict)  # convolution: stride, groups, …


@dataclass
class FunctionCall:
    """A functional operation called in a module's own forward code (torch.matmul, @,
    F.scaled_dot_product_attention, torch.cat, view, einsum, …), with the contractions
    it dispatched to."""

    name: str  # "torch.matmul", "Tensor.__matmul__", "F.scaled_dot_product_attention"
    inputs: tuple[Shape, ...]
    outputs: tuple[Shape, ...]
    aten: list[AtenOp] = field(default_factory=list)
    args: Mapping[str, Any] = field(default_factory=dict)  # small non-tensor arguments


@dataclass
class ModuleCall:
    """One call of one module during the traced forward pass."""

    path: str  # qualified name in the model ("" for the model itself)
    op: str  # class name, e.g. "Conv2d"
    module_id: int
    depth: int
    call_index: int  # 0 for the module's first call, 1 for its second, …
    config: Mapping[str, Any]
    params: tuple[TensorSlot, ...]  # the module's own parameters (not its children's)
    buffers: tuple[TensorSlot, ...]
    is_leaf: bool  # has no child modules
    class_module: str = ""  # where the class is defined, e.g. "torch.nn.modules.conv"
    bases: tuple[str, ...] = ()  # torch.nn classes it derives from, nearest first
    options: Mapping[str, Any] = field(default_factory=dict)  # non-tensor keyword arguments
    inputs: Tree = None
    outputs: Tree = None
    functions: list[FunctionCall] = field(default_factory=list)
    children: list[ModuleCall] = field(default_factory=list)
    own_forward: bool = False  # a subclass of a torch.nn layer that replaces its forward
    # The symbolic tracer's replays: the call whose record this one copies onto its own
    # modules (same structure, settings, shapes and inputs; see fast_trace). Not compared:
    # it says how the record was made, not what it records.
    replay_of: ModuleCall | None = field(default=None, compare=False, repr=False)

    def walk(self) -> Iterator[ModuleCall]:
        """This call and every call below it, in execution order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ModuleTrace:
    """The whole traced pass: the root call and the model's unique tensors."""

    root: ModuleCall
    model_name: str
    inputs: Tree
    parameters: tuple[TensorSlot, ...]  # every unique parameter, under its first name
    buffers: tuple[TensorSlot, ...]
    uncalled: tuple[ModuleCall, ...] = ()  # modules the forward pass never ran
    traced_by: str = "meta"  # "symbolic" (shape rules) or "meta" (torch's meta kernels)
    notes: tuple[str, ...] = ()  # what the trace did that the user should know
