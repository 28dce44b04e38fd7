"""Shape-only tensors: what the fast tracer runs a module's forward code on.

A :class:`SymTensor` has a shape, strides, a dtype and nothing else: no storage, no
dispatcher, no kernel. Each torch operation the forward code applies to one goes to a
shape rule of :mod:`modelmath.frontends.torch_module.shape_rules`, which answers as
torch would (same shape, dtype and strides) or raises :class:`Unsupported` when the
operation, or the case of it, is not one it knows exactly; the caller then traces the
model the slow, general way on the meta device. So a SymTensor never gives an answer
torch would not: it gives torch's answer or none.

A type test on one (``isinstance(x, torch.Tensor)``) is refused too: saying yes lets
torch's C argument parser read it as a real tensor (and crash the process), saying no
sends model code down another branch than a real tensor would. Reading its values
(``bool``, ``item``, iteration) is refused, as on meta.

>>> x = SymTensor((2, 3, 4), torch.float32)
>>> x.shape, x.stride(), x.is_contiguous()
(torch.Size([2, 3, 4]), (12, 4, 1), True)
>>> try:
...     isinstance(x, torch.Tensor)
... except Unsupported as refused:
...     print(refused)
a type test on a traced tensor (isinstance, or a number-typed argument), in <module>
"""

from __future__ import annotations

import dis
import os
import sys
import threading
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn, TypeVar

import torch

Shape = tuple[int, ...]

# The device traced tensors report: meta, under an index of its own. Model code keys
# global caches by device (transformers' lru_cache'd position embeddings): the entries a
# symbolic trace leaves are then never served to a meta pass, the meta tracer's or the
# user's own (each on plain meta), nor to any other device.
_META = torch.device("meta", 1)
_FLOAT_TYPES = (torch.float32, torch.float64, torch.float16, torch.bfloat16)


T = TypeVar("T")


class Unsupported(Exception):
    """The fast tracer does not know this operation, or this case of it, exactly."""


_STRIDES: dict[Shape, Shape] = {}


def contiguous_strides(shape: Sequence[int]) -> Shape:
    """Strides of a fresh tensor of ``shape`` (row-major, as ``torch.empty`` lays it)."""
    found: Shape | None = _STRIDES.get(shape)  # type: ignore[call-overload]
    if found is not None:
        return found
    strides = [1] * len(shape)
    step = 1
    for i in range(len(shape) - 1, -1, -1):
        strides[i] = step
        step *= max(shape[i], 1)
    out = tuple(strides)
    if type(shape) is tuple and len(_STRIDES) < 4096:  # a pure function of the shape
        _STRIDES[shape] = out
    return out


def is_contiguous(shape: Sequence[int], stride: Sequence[int]) -> bool:
    """torch's rule: dimensions of size 1 do not count; an empty tensor is contiguous."""
    expected = 1
    for size, st in zip(reversed(shape), reversed(stride)):
        if size == 0:
            return True
        if size != 1:
            if st != expected:
                return False
            expected *= size
    return True


def dense_layout(shape: Sequence[int], stride: Sequence[int]) -> bool:
    """True when the strides are a permutation of a contiguous layout (non-overlapping and
    dense): an element-wise result then keeps them, as ``torch.empty_like`` does."""
    dims = sorted((st, size) for size, st in zip(shape, stride) if size != 1)
    expected = 1
    for st, size in dims:
        if size == 0:
            return True
        if st != expected:
            return False
        expected *= size
    return True


def _refuse(what: str) -> NoReturn:
    raise Unsupported(what)


# Code of torch's whose type tests a traced tensor answers as a real one would: recurrent
# layers ask ``isinstance(input, PackedSequence)`` (False either way) and, in
# flatten_parameters, ``isinstance(w, Tensor)`` only to return early (a no-op off CUDA
# either way): the true class; ``torch.is_tensor`` asks nothing else: torch.Tensor.
_TORCH_SITES = {
    (torch.nn.modules.rnn.__file__, "forward"): "own",
    (torch.nn.modules.rnn.__file__, "flatten_parameters"): "own",
    (torch.__file__, "is_tensor"): "tensor",
    # A cache's tensors marked for CUDA graphs (transformers' caches, at creation): it asks
    # whether the object is a tensor, then tags it (a slot of SymTensor's).
    (os.path.join(os.path.dirname(torch.__file__), "_dynamo", "decorators.py"),
     "mark_static_address"): "tensor",
    # isinstance(x, nn.Parameter): is it a tensor, then its _is_param flag, then the class.
    (torch.nn.parameter.__file__, "__instancecheck__"): "tensor",
    # A tensor set as a module's attribute in forward code: is it a Parameter, a Module, a
    # tensor (for a buffer's name)? A real tensor's answers.
    (torch.nn.modules.module.__file__, "__setattr__"): "tensor",
    # A buffer registered in forward code: is it a tensor (else a TypeError)? A real one's
    # answer; its other type tests ask of the module and the name.
    (torch.nn.modules.module.__file__, "register_buffer"): "tensor",
}
# Functions of a model zoo, by the end of their file's path and their name, whose type
# tests ask only whether the object is a tensor (or an array of another library): answered
# as a real tensor answers them. transformers' output classes ask ``is_tensor`` of their
# first field, which tries NumPy's array class, then torch's Tensor.
_ZOO_SITES: dict[tuple[str, str], str] = {
    ("transformers/utils/generic.py", "is_numpy_array"): "own",
    ("transformers/utils/generic.py", "is_torch_tensor"): "tensor",
    # Its type tests ask whether the mask is a tensor (or a BlockMask), the cache a paged
    # one, the query offset a tensor: a real tensor's answer, for each.
    ("transformers/masking_utils.py", "_preprocess_mask_arguments"): "tensor",
    # An output class's fields checked after is_tensor of the first: whether it is a dict,
    # an iterator of (key, value) pairs, a tuple or list; a tensor is none of them.
    ("transformers/utils/generic.py", "ModelOutput.__post_init__"): "tensor",
    # The forward hook that records the outputs asked for (output_hidden_states, ...):
    # whether a layer's output is a tuple, to pick one of it; a tensor is not.
    ("transformers/utils/output_capturing.py",
     "install_output_capuring_hook.<locals>.output_capturing_hook"): "tensor",
}  # fmt: skip
# T5's feed-forward blocks and the models' copies of them ask only whether the output
# projection's weight is a tensor (a quantized one may not be): a parameter is.
_WEIGHT_IS_TENSOR = {
    "t5": ("T5DenseActDense", "T5DenseGatedActDense"),
    "mt5": ("MT5DenseActDense", "MT5DenseGatedActDense"),
    "umt5": ("UMT5DenseActDense", "UMT5DenseGatedActDense"),
    "longt5": ("LongT5DenseActDense",),
    "pop2piano": ("Pop2PianoDenseActDense", "Pop2PianoDenseGatedActDense"),
    "udop": ("UdopDenseActDense", "UdopDenseGatedActDense"),
    "switch_transformers": ("SwitchTransformersDenseActDense",),
    "pix2struct": ("Pix2StructTextDenseGatedActDense",),
    "nllb_moe": ("NllbMoeDenseActDense",),
    "seamless_m4t_v2": ("SeamlessM4Tv2FeedForwardNetwork",),
}
_ZOO_SITES.update(
    ((f"transformers/models/{model}/modeling_{model}.py", f"{cls}.forward"), "tensor")
    for model, classes in _WEIGHT_IS_TENSOR.items()
    for cls in classes
)
# Functions whose type tests on a traced tensor ask only whether it is a dict, a tuple, a
# list or a BlockMask (an attention mask given per layer type, a layer's output, tensors
# to pool one by one, a flex mask): a real tensor is none of them, and neither is a
# traced tensor of its own class.
_ZOO_SITES.update(
    ((f"transformers/models/{model}/modeling_{model}.py", function), "own")
    for model, function in (
        ("blenderbot", "BlenderbotDecoder.forward"),
        ("doge", "DogeAttention.prepare_dynamic_mask"),
        ("funnel", "FunnelAttentionStructure.stride_pool"),  # a tensor, or a tuple of them?
        ("funnel", "FunnelAttentionStructure.pool_tensor"),
        # is the attention mask already a dictionary of masks by layer type?
        ("gemma4", "Gemma4Model.forward"),
        ("gemma4_unified", "Gemma4UnifiedModel.forward"),
        ("diffusion_gemma", "DiffusionGemmaEncoderModel.forward"),
        ("diffusion_gemma", "DiffusionGemmaEncoderTextModel.forward"),
        ("recurrent_gemma", "RecurrentGemmaModel.forward"),
    )
)
# DeepSeek V4's attention asks only whether its mask is a tensor: a real one is.
_ZOO_SITES[
    ("transformers/models/deepseek_v4/modeling_deepseek_v4.py", "DeepseekV4Attention.forward")
] = "tensor"
# Python code that may make a type test itself names one of these (or matches a class
# pattern).
_TYPE_TEST_NAMES = frozenset({"isinstance", "issubclass", "__class__", "getattr"})
_MATCH_CLASS = dis.opmap.get("MATCH_CLASS", -1)
_ANSWERS: dict[types.CodeType, str] = {}  # code → "own", "tensor" or "refuse"


def known_site(code: types.CodeType, sites: Mapping[tuple[str, str], T]) -> T | None:
    """The entry of ``sites`` for the function of ``code``, found by the end of its file's
    path and its qualified name (``"transformers/utils/generic.py", "is_torch_tensor"``):
    a known function of a model zoo, wherever the zoo is installed. None for any other."""
    path = code.co_filename.replace("\\", "/")
    name = getattr(code, "co_qualname", code.co_name)
    for (end, qualname), value in sites.items():
        if name == qualname and path.endswith(end):
            return value
    return None


def _answer_for(code: types.CodeType) -> str:
    """How a type test on a traced tensor is answered when ``code`` is the Python code
    nearest to it: "own" (its true class), "tensor" (torch.Tensor) or "refuse".

    Code that makes no type test itself (it names no isinstance, issubclass, getattr or
    ``__class__``, and matches no class pattern) cannot be asking: the question comes from
    C code it called, in practice torch's argument parser trying a number-typed slot of an
    overload (``torch.pow(x, 3.0)`` tries ``pow(Scalar, Tensor)`` first). The true class is
    the safe answer there: the parser then takes the object as a ``__torch_function__``
    argument, as that protocol is designed, where claiming torch.Tensor crashes it.
    """
    known = _ANSWERS.get(code)
    if known is not None:
        return known
    found = _TORCH_SITES.get((code.co_filename, code.co_name))
    if found is None:
        found = known_site(code, _ZOO_SITES)
    if found is None:
        asks = _TYPE_TEST_NAMES.intersection(code.co_names) or _MATCH_CLASS in code.co_code[::2]
        found = "refuse" if asks else "own"
    if len(_ANSWERS) < 4096:
        _ANSWERS[code] = found
    return found


class SymTensor:
    """A tensor known by its shape, strides and dtype only."""

    # (_dynamo_static_input_type: the tag torch._dynamo.mark_static_address sets)
    __slots__ = (
        "__weakref__", "_dynamo_static_input_type", "_shape", "_stride", "dtype", "requires_grad"
    )  # fmt: skip

    device = _META
    is_meta = True
    is_cuda = False
    is_sparse = False
    is_nested = False
    is_quantized = False
    layout = torch.strided
    _is_param = False

    def __init__(
        self,
        shape: Sequence[int],
        dtype: torch.dtype,
        stride: Sequence[int] | None = None,
        requires_grad: bool = False,
    ) -> None:
        self._shape: Shape = shape if type(shape) is tuple else tuple(shape)
        self._stride: Shape = contiguous_strides(self._shape) if stride is None else tuple(stride)
        self.dtype = dtype
        self.requires_grad = requires_grad

    # ``isinstance(x, C)`` for a class C other than its own reads ``__class__``, and so does
    # torch's C argument parser when it tries a number-typed slot of an overload
    # (``torch.pow(x, 3.0)`` tries ``pow(Scalar, Tensor)`` first): claiming to be a
    # torch.Tensor there makes the parser read this object as one, and the process
    # crashes. Not claiming it makes model code that tests ``isinstance(x, torch.Tensor)``
    # take another branch than it would on a real tensor. So the answer depends on who
    # asks (see _answer_for): the true class to C code called by Python code that makes
    # no type test itself, and in torch's and a model zoo's code known to ask only what
    # it can be told (_TORCH_SITES, _ZOO_SITES); elsewhere the question is refused, the
    # trace gives up and the meta tracer runs instead. The trace-equality tests run
    # through each of these.
    @property  # type: ignore[misc]
    def __class__(self) -> type:
        code = sys._getframe(1).f_code
        answer = _answer_for(code)
        if answer == "own":
            return type(self)
        if answer == "tensor":
            return torch.Tensor
        # Where it asked: the reason a model stays on the meta tracer, for who looks.
        where = getattr(code, "co_qualname", code.co_name)
        _refuse(
            f"a type test on a traced tensor (isinstance, or a number-typed argument), in {where}"
        )

    @classmethod
    def __torch_function__(
        cls,
        func: Callable[..., Any],
        types: Any,
        args: Sequence[Any] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> Any:
        dispatch = _active.dispatch
        if dispatch is None:  # escaped from its trace: as the meta tensor it stands for
            return func(*_as_meta(tuple(args)), **_as_meta(dict(kwargs or {})))
        return dispatch(func, tuple(args), dict(kwargs or {}))

    # -- what can be read without running anything -------------------------------------
    @property
    def shape(self) -> torch.Size:
        return torch.Size(self._shape)

    def size(self, dim: int | None = None) -> Any:
        if dim is None:
            return torch.Size(self._shape)
        return self._shape[_dim(dim, len(self._shape))]

    def stride(self, dim: int | None = None) -> Any:
        if dim is None:
            return self._stride
        return self._stride[_dim(dim, len(self._shape))]

    def dim(self) -> int:
        return len(self._shape)

    ndimension = dim

    @property
    def T(self) -> SymTensor:
        """``x.T``: a view with the axes reversed, of a tensor of at most 2 axes (torch's
        function mode sees it as a getter, which the tracers leave out of the record)."""
        if len(self._shape) > 2:
            _refuse(".T of a tensor of more than 2 axes (deprecated by torch)")
        return view_of(self, self._shape[::-1], self._stride[::-1])

    @property
    def ndim(self) -> int:
        return len(self._shape)

    def numel(self) -> int:
        n = 1
        for d in self._shape:
            n *= d
        return n

    nelement = numel

    def __len__(self) -> int:
        if not self._shape:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    def is_contiguous(self, memory_format: Any = torch.contiguous_format) -> bool:
        if memory_format is not torch.contiguous_format:
            _refuse(f"is_contiguous({memory_format})")
        return is_contiguous(self._shape, self._stride)

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def is_complex(self) -> bool:
        return self.dtype.is_complex

    def element_size(self) -> int:
        return self.dtype.itemsize

    def get_device(self) -> int:
        return -1

    # -- reading values is what a shape cannot do --------------------------------------
    def __bool__(self) -> bool:
        _refuse("the value of a tensor (bool)")

    def __int__(self) -> int:
        _refuse("the value of a tensor (int)")

    def __float__(self) -> float:
        _refuse("the value of a tensor (float)")

    def __index__(self) -> int:
        _refuse("the value of a tensor (index)")

    def item(self) -> Any:
        _refuse("the value of a tensor (item)")

    def tolist(self) -> Any:
        _refuse("the value of a tensor (tolist)")

    def numpy(self) -> Any:
        _refuse("the value of a tensor (numpy)")

    def __array__(self, *args: Any) -> Any:
        _refuse("the value of a tensor (numpy)")

    def __repr__(self) -> str:
        # The meta tensor's it stands for: where a record writes a value's repr (an
        # option holding tensors in a dictionary), both tracers write the same text.
        with torch._C.DisableTorchFunction():
            return repr(_as_meta(self))

    __hash__ = object.__hash__


class SymParameter(SymTensor):
    """A parameter's stand-in: ``isinstance(p, nn.Parameter)`` holds too."""

    __slots__ = ()
    _is_param = True


def _as_meta(obj: Any) -> Any:
    """``obj`` with each SymTensor replaced by an empty meta tensor of its shape, strides
    and dtype. Model code may keep a traced tensor past its trace (transformers caches
    position embeddings in functools.lru_cache); where a cache is keyed by device, the
    device of its own (``_META``) keeps it from any other pass, and where one is not, the
    pass it reaches computes what the meta tensor the symbolic rules described would."""
    kind = type(obj)
    if kind is SymTensor or kind is SymParameter:
        meta = torch.empty_strided(obj._shape, obj._stride, dtype=obj.dtype, device="meta")
        if kind is SymParameter:
            return torch.nn.Parameter(meta, requires_grad=obj.requires_grad)
        return meta.requires_grad_(obj.requires_grad) if obj.requires_grad else meta
    if kind in (list, tuple):
        return kind(_as_meta(v) for v in obj)
    if kind is dict:
        return {k: _as_meta(v) for k, v in obj.items()}
    return obj


def view_of(x: SymTensor, shape: Sequence[int], stride: Sequence[int]) -> SymTensor:
    """A view of ``x``: its dtype, and its requires_grad (a view of a parameter requires
    grad, under no_grad too, which torch's matmul reads to decide how to fold)."""
    return SymTensor(shape, x.dtype, stride, x.requires_grad)


def _dim(dim: int, ndim: int) -> int:
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(f"Dimension out of range (got {dim} for {ndim} dimensions)")
    return dim % max(ndim, 1)


# Tensor methods and operators, each routed through the active trace like a torch function.
# The func given is torch's own (Tensor.view, Tensor.__add__), so a recorded call carries
# the name torch's mode would have shown.
_Dispatch = Callable[[Callable[..., Any], tuple[Any, ...], dict[str, Any]], Any]


class _Active(threading.local):
    """The trace running in this thread: two threads may trace two models at once."""

    dispatch: _Dispatch | None = None


_active = _Active()


def set_dispatch(fn: _Dispatch | None) -> None:
    """Install (or with None remove) the function tensor methods are routed to, for the
    calling thread."""
    _active.dispatch = fn


def _method(func: Callable[..., Any]) -> Callable[..., Any]:
    def method(self: SymTensor, *args: Any, **kwargs: Any) -> Any:
        dispatch = _active.dispatch
        if dispatch is None:  # escaped from its trace: as the meta tensor it stands for
            return func(*_as_meta((self, *args)), **_as_meta(kwargs))
        return dispatch(func, (self, *args), kwargs)

    method.__name__ = func.__name__
    return method


METHODS = (
    "view", "reshape", "flatten", "permute", "transpose", "unsqueeze", "squeeze",
    "contiguous", "expand", "expand_as", "view_as", "reshape_as", "t", "matmul", "mm",
    "bmm", "relu", "relu_", "sigmoid", "tanh", "softmax", "add", "add_", "sub", "sub_",
    "mul", "mul_", "div", "div_", "mean", "sum", "chunk", "split", "type_as", "to",
    "float", "half", "double", "__add__", "__radd__", "__iadd__", "__sub__", "__rsub__",
    "__isub__", "__mul__", "__rmul__", "__imul__", "__truediv__", "__itruediv__",
    "__matmul__", "__rmatmul__", "__neg__", "__getitem__", "__eq__", "__ne__", "__lt__",
    "__le__", "__gt__", "__ge__", "__iter__", "unflatten", "unbind", "repeat_interleave",
    "log_softmax", "topk", "gather", "bfloat16", "long", "int", "bool", "pow", "__pow__",
    "tril", "triu", "norm", "outer", "ger", "prod",
    "__rpow__", "rsqrt", "sqrt", "exp", "log", "log1p", "expm1", "cos", "sin", "tan", "erf",
    "reciprocal", "abs", "__abs__", "eq", "ne", "lt", "le", "gt", "ge", "where", "minimum",
    "maximum", "min", "max", "neg", "square", "clamp", "clip", "cumsum", "clone", "addmm",
    "type", "new_empty", "new_zeros", "new_ones", "new_full", "index_select", "argmax",
    "repeat", "tile", "__and__", "__or__", "__xor__", "__rand__", "__ror__", "__rxor__",
    "__iand__", "__ior__", "__ixor__", "__invert__", "bitwise_and", "bitwise_or",
    "bitwise_xor", "bitwise_not", "logical_and", "logical_or", "logical_not", "detach",
    "copy_", "scatter", "scatter_", "masked_fill", "masked_fill_", "__setitem__",
    "logsumexp", "__rtruediv__", "baddbmm", "clamp_min", "clamp_max", "unfold", "floor",
    "ceil", "trunc", "all", "any", "sort", "argsort", "exp2", "log2", "log10", "acos", "asin",
    "atan", "cosh", "sinh", "acosh", "asinh", "atanh", "erfc", "erfinv", "lgamma", "digamma",
    "i0", "sinc", "deg2rad", "rad2deg", "frac", "requires_grad_", "var", "std",
)  # fmt: skip

for _name in METHODS:
    setattr(SymTensor, _name, _method(getattr(torch.Tensor, _name)))
# Operators torch's function mode reports under another function's name: ``a @ b``
# reaches it as Tensor.matmul (what the meta tracer records), not as Tensor.__matmul__.
_REPORTED_AS = {"__matmul__": torch.Tensor.matmul}
for _name, _func in _REPORTED_AS.items():
    setattr(SymTensor, _name, _method(_func))


def _as_torch_passes(func: Callable[..., Any], signature: Callable[..., Any]) -> Callable[..., Any]:
    """A method that torch writes in Python (torch/_tensor.py), whose call reaches a
    function mode with its arguments as that Python passes them (``x.split(32, 1)`` as
    ``Tensor.split(x, 32, dim=1)``), not as the caller wrote them: ``signature`` takes the
    call's arguments and gives the (positional, keyword) pair torch's code passes."""

    def method(self: SymTensor, *args: Any, **kwargs: Any) -> Any:
        positional, keywords = signature(self, *args, **kwargs)
        dispatch = _active.dispatch
        if dispatch is None:
            return func(*_as_meta(positional), **_as_meta(keywords))
        return dispatch(func, positional, keywords)

    method.__name__ = func.__name__
    return method


def _split_args(self: Any, split_size: Any, dim: Any = 0) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return (self, split_size), {"dim": dim}


def _norm_args(
    self: Any, p: Any = "fro", dim: Any = None, keepdim: Any = False, dtype: Any = None
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return (self,), {"p": p, "dim": dim, "keepdim": keepdim, "dtype": dtype}


def _unflatten_args(self: Any, dim: Any, sizes: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return (self, dim, sizes), {}


for _name, _signature in (
    ("split", _split_args), ("norm", _norm_args), ("unflatten", _unflatten_args)
):  # fmt: skip
    setattr(SymTensor, _name, _as_torch_passes(getattr(torch.Tensor, _name), _signature))
SymTensor.__hash__ = object.__hash__  # type: ignore[assignment]  # __eq__ above unsets it

__all__ = [
    "SymParameter",
    "SymTensor",
    "Unsupported",
    "contiguous_strides",
    "dense_layout",
    "is_contiguous",
    "set_dispatch",
]
