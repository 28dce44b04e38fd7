"""Padding, instance norm, PReLU, shrink activations, bilinear, pixel shuffle, distances.

Shape rules registered into :data:`HANDLERS` (see the package docstring).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch
import torch.nn.functional as F

from modelmath.frontends.torch_module.records import AtenOp
from modelmath.frontends.torch_module.shape_rules.base import (
    _MISSING,
    HANDLERS,
    Handler,
    _bind,
    _broadcast,
    _channels_last,
    _channels_last_strides,
    _contiguous_float,
    _float_input,
    _ints,
    _new,
    _prod,
    _refuse_odd_contiguous,
    _register,
    _size_one_axes_row_major,
    _sym,
    _wrap,
)
from modelmath.frontends.torch_module.shape_rules.elementwise import (
    _activation_like,
    _like,
    _softmax,
    _unary,
)
from modelmath.frontends.torch_module.shape_rules.norm import _vector
from modelmath.frontends.torch_module.shape_rules.pooling import _adaptive, _pool
from modelmath.frontends.torch_module.symbolic import (
    SymTensor,
    Unsupported,
)

_PAD_RANKS = {1: (2, 3), 2: (3, 4), 3: (4, 5)}  # padded axes → input ranks torch pads so


@_register(F.pad, torch._C._nn.pad)
def _pad(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, pad, mode, value = _bind(
        args, kwargs, ("input", "pad", "mode", "value"), (_MISSING, _MISSING, "constant", None)
    )
    x = _sym(x)
    if not isinstance(pad, (tuple, list, torch.Size)) or len(pad) % 2:
        raise Unsupported("padding that is not pairs of ints")
    pads = _ints(pad, len(pad), "pad") if pad else ()
    n = len(pads) // 2
    if not 0 < n <= x.dim() or 0 in x._shape:
        raise Unsupported("padding of more axes than the input has, or of an empty tensor")
    if min(pads) < 0 and (mode != "constant" or max(pads) <= 0 or not _cropped(x, pads)):
        # A negative constant pad crops its side (RWKV's time shift, (0, 0, 1, -1)). With
        # no positive pad at all, torch returns a clone of the cropped view, laid out as
        # clone lays out a view: not followed.
        raise Unsupported("negative padding other than a crop beside a pad")
    # Constant padding makes the result in the input's suggested memory format:
    # channels-last stays so (a row-major input too, when axes of size 1 make it look
    # channels-last), any other layout becomes row-major. The other modes' kernels make
    # a row-major result of any layout (held to torch over transposed, gapped, permuted
    # and channels-last inputs of each rank).
    channels_last = mode == "constant" and _channels_last(x._shape, x._stride)
    shape = list(x._shape)
    if mode == "constant":
        if value is not None and type(value) not in (bool, int, float):
            raise Unsupported("a padding value that is not a number")
    elif mode in ("reflect", "replicate", "circular"):
        if value is not None or x.dim() not in _PAD_RANKS.get(n, ()):
            raise Unsupported(f"{mode} padding of this rank or with a value")
        if not x.dtype.is_floating_point:
            raise Unsupported(f"{mode} padding of a non-float tensor")
        for i in range(n):
            size = shape[-1 - i]
            left, right = pads[2 * i], pads[2 * i + 1]
            if (mode == "reflect" and max(left, right) >= size) or (
                mode == "circular" and max(left, right) > size
            ):
                raise Unsupported(f"{mode} padding wider than the input")
    else:
        raise Unsupported(f"padding mode {mode!r}")
    if mode == "constant" and not any(pads):
        # No padding at all: torch returns a clone, laid out as clone lays out its input
        # (the layout fuzz: im2col's decomposition pads by zeros; the rule answered a
        # fresh row-major tensor)
        return HANDLERS[torch.clone]((x,), {}, aten)
    for i in range(n):
        shape[-1 - i] += pads[2 * i] + pads[2 * i + 1]
    if channels_last:
        return SymTensor(shape, x.dtype, _channels_last_strides(tuple(shape)))
    return _new(shape, x.dtype)


def _cropped(x: SymTensor, pads: Sequence[int]) -> bool:
    """Every padded axis keeps some of its elements once its negative pads crop it, and
    has some after padding (torch refuses an empty one)."""
    for i in range(len(pads) // 2):
        size, left, right = x._shape[-1 - i], pads[2 * i], pads[2 * i + 1]
        if size + min(left, 0) + min(right, 0) <= 0 or size + left + right <= 0:
            return False
    return True


@_register(F.instance_norm)
def _instance_norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    names = (
        "input", "running_mean", "running_var", "weight", "bias", "use_input_stats",
        "momentum", "eps",
    )  # fmt: skip
    x, mean, var, w, b, use_stats, _momentum, _eps = _bind(
        args, kwargs, names, (_MISSING, None, None, None, None, True, 0.1, 1e-5)
    )
    x = _refuse_odd_contiguous(_float_input(x), "instance norm")
    if x.dim() < 3 or 0 in x._shape or not isinstance(use_stats, bool):
        raise Unsupported("instance norm of an input without spatial axes")
    for t in (mean, var, w, b):
        _vector(t, x._shape[1], x.dtype)
    if use_stats and _prod(x._shape[2:]) == 1:
        raise Unsupported("instance norm over one spatial element")
    if not use_stats and (mean is None or var is None):
        raise Unsupported("instance norm without statistics")
    return _new(x._shape, x.dtype)  # torch normalizes a row-major view (or copy)


@_register(torch.prelu)  # F.prelu is torch.prelu
def _prelu(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, w = _bind(args, kwargs, ("input", "weight"), (_MISSING, _MISSING))
    x, w = _float_input(x), _sym(w)
    if w.dtype != x.dtype or w.dim() != 1 or x.dim() < 2:
        raise Unsupported("PReLU weight of another dtype or rank")
    if w._shape[0] not in (1, x._shape[1]):
        raise Unsupported("PReLU weight of another size than the channels")
    return _like(x)


def _shrink(clamps: bool) -> Handler:
    """softshrink and hardshrink (whose kernel lays out as the clamping ones do, see
    _activation_like)."""

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        x, lambd = _bind(args, kwargs, ("input", "lambd"), (_MISSING, 0.5))
        if not isinstance(lambd, (int, float)) or isinstance(lambd, bool) or lambd < 0:
            raise Unsupported("a shrink threshold below 0")  # softshrink refuses it
        return _activation_like(_float_input(x), clamps=clamps)

    return handler


HANDLERS[F.softshrink] = _shrink(clamps=False)
HANDLERS[F.hardshrink] = _shrink(clamps=True)


@_register(torch.bilinear)  # F.bilinear is torch.bilinear
def _bilinear(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    names = ("input1", "input2", "weight", "bias")
    x1, x2, w, b = _bind(args, kwargs, names, (_MISSING, _MISSING, _MISSING, None))
    x1, x2, w = _sym(x1), _sym(x2), _sym(w)
    if not x1.dtype.is_floating_point or len({x1.dtype, x2.dtype, w.dtype}) != 1:
        raise Unsupported("bilinear of mixed or non-float dtypes")
    if (
        x1.dim() < 2
        or x1._shape[:-1] != x2._shape[:-1]
        or w._shape[1:]
        != (
            x1._shape[-1],
            x2._shape[-1],
        )
    ):
        raise Unsupported("bilinear of mismatched sizes")
    if 0 in x1._shape or 0 in x2._shape or 0 in w._shape:
        raise Unsupported("bilinear of an empty tensor")
    _vector(b, w._shape[0], x1.dtype)
    # no contraction torch counts: it runs aten._trilinear
    return _new((*x1._shape[:-1], w._shape[0]), x1.dtype)


def _with_indices(inner: Handler, names: Sequence[str], defaults: Sequence[Any]) -> Handler:
    """F.max_pool2d_with_indices and kin: the pooling rule, always with the indices."""

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        bound = _bind(args, kwargs, names, defaults)
        bound[-1] = True  # torch ignores return_indices here
        return inner(bound, {}, aten)

    return handler


_MAX_NAMES = ("input", "kernel_size", "stride", "padding", "dilation", "ceil_mode",
              "return_indices")  # fmt: skip
for _nd in (1, 2, 3):
    HANDLERS[getattr(F, f"max_pool{_nd}d_with_indices")] = _with_indices(
        _pool(_nd, "max"), _MAX_NAMES, (_MISSING, _MISSING, None, 0, 1, False, False)
    )
    HANDLERS[getattr(F, f"adaptive_max_pool{_nd}d_with_indices")] = _with_indices(
        _adaptive(_nd, "max"), ("input", "output_size", "return_indices"),
        (_MISSING, _MISSING, False),
    )  # fmt: skip


# Its kernel lays out axes of size 1 with odd strides as the clamping ones do (the layout
# fuzz: a half (4, 5, 1, 4) of strides (20, 1, 100, 5)): such inputs are refused.
HANDLERS[F.threshold] = _unary(
    ("input", "threshold", "value", "inplace"), (_MISSING, _MISSING, _MISSING, False),
    inplace_at=3, clamps=True,
)  # fmt: skip
HANDLERS[F.softmin] = _softmax


@_register(F.glu)
def _glu(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    x, dim = _bind(args, kwargs, ("input", "dim"), (_MISSING, -1))
    x = _contiguous_float(x, "GLU")
    if x.dim() == 0:
        raise Unsupported("GLU of a 0-d tensor")
    dim = _wrap(dim, x.dim())
    if x._shape[dim] % 2:
        raise Unsupported("GLU over an odd size")
    shape = list(x._shape)
    shape[dim] //= 2
    return _new(shape, x.dtype)


def _pixel_shuffle(up: bool) -> Handler:
    names = ("input", "upscale_factor" if up else "downscale_factor")

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        x, r = _bind(args, kwargs, names, (_MISSING, _MISSING))
        x = _contiguous_float(x, "pixel shuffle")
        if not isinstance(r, int) or isinstance(r, bool) or r < 1 or x.dim() < 3:
            raise Unsupported("a shuffle factor that is not a positive int")
        *lead, c, h, w = x._shape
        if up:
            if c % (r * r):
                raise Unsupported("channels the shuffle factor does not divide")
            return _new((*lead, c // (r * r), h * r, w * r), x.dtype)
        if h % r or w % r:
            raise Unsupported("a size the unshuffle factor does not divide")
        return _new((*lead, c * r * r, h // r, w // r), x.dtype)

    return handler


HANDLERS[F.pixel_shuffle] = _pixel_shuffle(up=True)
HANDLERS[F.pixel_unshuffle] = _pixel_shuffle(up=False)


@_register(F.cosine_similarity)
def _cosine(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    a, b, dim, eps = _bind(args, kwargs, ("x1", "x2", "dim", "eps"), (_MISSING, _MISSING, 1, 1e-8))
    a, b = _contiguous_float(a, "cosine similarity"), _contiguous_float(b, "cosine similarity")
    if a.dtype != b.dtype or not isinstance(eps, (int, float)):
        raise Unsupported("cosine similarity of mixed dtypes")
    shape = _broadcast(a._shape, b._shape)
    dim = _wrap(dim, len(shape))
    return _new(shape[:dim] + shape[dim + 1 :], a.dtype)


@_register(F.pairwise_distance)
def _pairwise(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    a, b, p, eps, keepdim = _bind(
        args, kwargs, ("x1", "x2", "p", "eps", "keepdim"), (_MISSING, _MISSING, 2.0, 1e-6, False)
    )
    a, b = _contiguous_float(a, "pairwise distance"), _contiguous_float(b, "pairwise distance")
    if a.dtype != b.dtype or a.dim() != 2 or b.dim() != 2 or not isinstance(keepdim, bool):
        raise Unsupported("pairwise distance of other than matrices of one dtype")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (p, eps)):
        raise Unsupported("pairwise distance settings that are not numbers")
    shape = _broadcast(a._shape, b._shape)
    return _new((shape[0], 1) if keepdim else shape[:1], a.dtype)


@_register(torch._C._set_grad_enabled)
def _set_grad_enabled(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """``torch.no_grad()`` in forward code (a sinusoidal embedding made under no_grad)
    reaches the trace as this call: done, as it would be. Grad turned on
    (``torch.enable_grad()``) is refused: the trace runs under no_grad, and the rules
    follow it (a computed tensor never requires grad, which torch's matmul reads)."""
    (mode,) = _bind(args, kwargs, ("mode",), (_MISSING,))
    if not isinstance(mode, bool):
        raise Unsupported("set_grad_enabled with a mode that is not a bool")
    if mode:
        raise Unsupported("grad turned on in forward code")
    torch._C._set_grad_enabled(mode)


@_register(torch.tril, torch.triu, torch.Tensor.tril, torch.Tensor.triu)
def _triangle(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """The lower or upper triangle of the last two axes (a causal mask): a new row-major
    tensor of the input's shape and dtype, as torch's tril and triu make it."""
    x, diagonal = _bind(args, kwargs, ("input", "diagonal"), (_MISSING, 0))
    x = _size_one_axes_row_major(_sym(x), "a triangle")
    if x.dim() < 2 or type(diagonal) is not int:
        raise Unsupported("a triangle of fewer than 2 axes, or by a diagonal not an int")
    return _new(x._shape, x.dtype)
