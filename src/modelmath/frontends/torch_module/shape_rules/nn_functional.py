"""More shape rules of ``torch.nn.functional`` operations (resampling and the like),
registered into :data:`~modelmath.frontends.torch_module.shape_rules.HANDLERS`.

>>> import torch
>>> import torch.nn.functional as F
>>> HANDLERS[F.interpolate]((SymTensor((1, 3, 5, 5), torch.float32),),
...     {"scale_factor": 1.5, "mode": "bilinear"}, []).shape
torch.Size([1, 3, 7, 7])
"""

from __future__ import annotations

import functools
import math
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
    _channels_last,
    _channels_last_strides,
    _contiguous_float,
    _float_input,
    _ints,
    _register,
    _sym,
)
from modelmath.frontends.torch_module.shape_rules.elementwise import (
    _HALF,
    _unary,
)
from modelmath.frontends.torch_module.shape_rules.pooling import _pool_size
from modelmath.frontends.torch_module.symbolic import (
    SymTensor,
    Unsupported,
    contiguous_strides,
    is_contiguous,
)

# -- resampling -------------------------------------------------------------------------

# The spatial rank each interpolating mode needs (None: any of 1, 2, 3).
_MODES: dict[str, int | None] = {
    "nearest": None,
    "nearest-exact": None,
    "area": None,
    "linear": 1,
    "bilinear": 2,
    "bicubic": 2,
    "trilinear": 3,
}


# The modes that interpolate (the others pick or pool input values).
_INTERPOLATING = ("linear", "bilinear", "bicubic", "trilinear")


def _decomposed(x: SymTensor, sizes: Sequence[int], mode: str, aten: list[AtenOp]) -> SymTensor:
    """An interpolating mode's result for an input with axes of size 1 that is not
    row-major: on meta torch runs its decomposition (``_upsample_linear``,
    ``upsample_bicubic2d_default``), whose index and element-wise steps lay such axes out
    their own way before its final ``contiguous()`` (the layout fuzz: (2, 1, 2, 1) of
    strides (1, 7, 2, 7), bilinear ×2 → strides (8, 16, 2, 1)). Those steps are run here by
    their own rules, on tensors of the shapes and layouts the decomposition makes (its
    source indices and weights: fresh, row-major), so the answer is theirs or none. A
    row-major input (9,919 of 9,919 sampled) and one without axes of size 1 (the fuzz) come
    out row-major without them. Half precision, which it computes in float32 and casts
    back, is refused."""
    if x.dtype in _HALF:
        raise Unsupported("interpolate of a half-precision input with odd axes of size 1")
    nd = len(sizes)
    # Axis k's source indices and weights: shape (size_k, 1, ..., 1), up to the last axis.
    shapes = [(n, *(1,) * (nd - 1 - k)) for k, n in enumerate(sizes)]
    add, mul = HANDLERS[torch.add], HANDLERS[torch.mul]
    index = HANDLERS[torch.Tensor.__getitem__]
    where = (slice(None), slice(None), *(SymTensor(sh, torch.int64) for sh in shapes))

    def load() -> SymTensor:  # aten._unsafe_index(input, [None, None, *indices])
        return index((x, where), {}, aten)  # type: ignore[no-any-return]

    def weight(k: int) -> SymTensor:
        return SymTensor(shapes[k], x.dtype)

    if mode == "bicubic":  # a sum over 4 x 4 loads, by x's weights, then by y's
        rows = []
        for _ in range(4):
            terms = [mul((load(), weight(1)), {}, aten) for _ in range(4)]
            rows.append(functools.reduce(lambda a, b: add((a, b), {}, aten), terms))
        terms = [mul((r, weight(0)), {}, aten) for r in rows]
        result = functools.reduce(lambda a, b: add((a, b), {}, aten), terms)
    else:  # 2^nd loads, paired off axis by axis from the last: v1 + (v2 - v1) * w
        vs = [load() for _ in range(2**nd)]
        for k in reversed(range(nd)):
            vs = [
                add((v1, mul((HANDLERS[torch.sub]((v2, v1), {}, aten), weight(k)), {}, aten)),
                    {}, aten)
                for v1, v2 in zip(vs[::2], vs[1::2])
            ]  # fmt: skip
        result = vs[0]
    return HANDLERS[torch.Tensor.contiguous]((result,), {}, aten)  # type: ignore[no-any-return]


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@_register(F.interpolate)
def _interpolate(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    names = (
        "input",
        "size",
        "scale_factor",
        "mode",
        "align_corners",
        "recompute_scale_factor",
        "antialias",
    )
    defaults = (_MISSING, None, None, "nearest", None, None, False)
    x_, size, scale, mode, align, recompute, antialias = _bind(args, kwargs, names, defaults)
    x = _float_input(x_)
    nd = x.dim() - 2
    if mode not in _MODES or not 1 <= nd <= 3 or _MODES[mode] not in (None, nd):
        raise Unsupported(f"interpolate mode {mode!r} of a {x.dim()}-d input")
    if mode in ("nearest", "nearest-exact", "area") and align is not None:
        raise Unsupported("align_corners with a mode that does not interpolate")
    if align is not None and not isinstance(align, bool):
        raise Unsupported("align_corners that is not a bool")
    if not isinstance(antialias, bool) or (antialias and mode not in ("bilinear", "bicubic")):
        raise Unsupported("antialias outside bilinear and bicubic")
    if recompute not in (None, True, False) or (size is None) == (scale is None):
        raise Unsupported("interpolate needs one of size and scale_factor")
    if 0 in x._shape:
        raise Unsupported("interpolate of an empty input")
    spatial = x._shape[2:]
    if size is not None:
        if recompute:
            raise Unsupported("recompute_scale_factor with an explicit size")
        sizes = list(size) if isinstance(size, (list, tuple)) else [size] * nd
        if len(sizes) != nd or not all(
            isinstance(s, int) and not isinstance(s, bool) for s in sizes
        ):
            raise Unsupported(f"interpolate size={size!r}")
    else:
        scales = list(scale) if isinstance(scale, (list, tuple)) else [scale] * nd
        if len(scales) != nd or not all(_number(s) and 0 < s < math.inf for s in scales):
            raise Unsupported(f"interpolate scale_factor={scale!r}")
        # Python (recompute_scale_factor, area) and ATen both floor the product in doubles
        sizes = [math.floor(n * float(s)) for n, s in zip(spatial, scales)]
    if min(sizes) < 1:
        raise Unsupported("interpolate to an empty size")
    if mode == "area":  # torch pools adaptively to the size
        return HANDLERS[getattr(F, f"adaptive_avg_pool{nd}d")]((x, sizes), {}, aten)
    shape = (*x._shape[:2], *sizes)
    # The upsampling kernels lay the result out in the input's suggest_memory_format(), some
    # by a fresh tensor's .contiguous(format), some by .to(format) or a strided output;
    # those agree unless axes of size 1 make the layout ambiguous, which is refused.
    if not _channels_last(x._shape, x._stride):
        if mode in _INTERPOLATING and 1 in x._shape and x._stride != contiguous_strides(x._shape):
            return _decomposed(x, sizes, mode, aten)
        return SymTensor(shape, x.dtype)
    if min(shape[1:]) > 1 and x._stride == _channels_last_strides(x._shape):
        return SymTensor(shape, x.dtype, _channels_last_strides(shape))
    raise Unsupported("interpolate of an input whose memory format is ambiguous")


# -- power pooling, local response norm, rrelu ------------------------------------------


def _lp_pool(nd: int) -> Handler:
    names = ("input", "norm_type", "kernel_size", "stride", "ceil_mode")
    defaults = (_MISSING, _MISSING, _MISSING, None, False)

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        x_, p, kernel, stride, ceil = _bind(args, kwargs, names, defaults)
        x = _contiguous_float(x_, "power pooling")
        if not _number(p) or p == 0 or math.isnan(p):
            raise Unsupported(f"power pooling of norm {p!r}")
        # lp_pool1d multiplies by kernel_size itself, which only an int allows
        if nd == 1 and not (isinstance(kernel, int) and not isinstance(kernel, bool)):
            raise Unsupported("lp_pool1d kernel_size that is not an int")
        _ints(kernel, nd, "kernel_size")
        # ±inf pools the absolute values by their maximum, any other norm by their mean
        kind = "max" if math.isinf(p) else "avg"
        pool = HANDLERS[getattr(F, f"{kind}_pool{nd}d")]
        out = pool((x, kernel, stride, 0), {"ceil_mode": ceil}, aten)
        return SymTensor(out._shape, x.dtype)

    return handler


HANDLERS[F.lp_pool1d] = _lp_pool(1)
HANDLERS[F.lp_pool2d] = _lp_pool(2)


@_register(F.local_response_norm)
def _local_response_norm(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    names = ("input", "size", "alpha", "beta", "k")
    x_, size, *constants = _bind(args, kwargs, names, (_MISSING, _MISSING, 1e-4, 0.75, 1.0))
    x = _contiguous_float(x_, "local response norm")
    if x.dim() < 3 or not (isinstance(size, int) and not isinstance(size, bool) and size >= 1):
        raise Unsupported("local response norm of a matrix or a size that is not a size")
    if not all(_number(v) for v in constants):
        raise Unsupported("local response norm settings that are not numbers")
    return SymTensor(x._shape, x.dtype)


@_register(F.grid_sample)
def _grid_sample(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """F.grid_sample of a float (N, C, H, W) or (N, C, D, H, W) input at a grid (N, H_o,
    W_o, 2) (or (N, D_o, H_o, W_o, 3)) of its dtype: (N, C, H_o, W_o), a fresh row-major
    tensor whatever the layouts (RT-DETR's deformable attention). Bicubic only in 2-d."""
    names = ("input", "grid", "mode", "padding_mode", "align_corners")
    x, grid, mode, padding_mode, align = _bind(
        args, kwargs, names, (_MISSING, _MISSING, "bilinear", "zeros", None)
    )
    x, grid = _float_input(x), _sym(grid)
    nd = x.dim() - 2
    if nd not in (2, 3) or grid.dim() != x.dim() or grid.dtype != x.dtype:
        raise Unsupported("grid_sample of other than a 4-d or 5-d input and a grid alike")
    if grid._shape[0] != x._shape[0] or grid._shape[-1] != nd or 0 in x._shape:
        raise Unsupported("a grid of another batch or coordinates")
    if mode not in ("bilinear", "nearest", "bicubic") or (mode == "bicubic" and nd != 2):
        raise Unsupported(f"grid_sample mode {mode!r}")
    if padding_mode not in ("zeros", "border", "reflection") or align not in (None, False, True):
        raise Unsupported("grid_sample padding or alignment settings")
    return SymTensor((*x._shape[:2], *grid._shape[1:-1]), x.dtype)


@_register(F.unfold)
def _unfold(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """F.unfold (im2col) of a float (N, C, H, W) or (C, H, W) input: every sliding block's
    values in a column, (N, C·K_h·K_w, L) with L blocks, a fresh row-major tensor whatever
    the input's layout (Depth Pro's patches). Blocks that do not fit, settings that are
    not sizes, and empty inputs are refused (torch raises on the first)."""
    names = ("input", "kernel_size", "dilation", "padding", "stride")
    bound = _bind(args, kwargs, names, (_MISSING, _MISSING, 1, 0, 1))
    x, kernel, dilation, padding, stride = _sym(bound[0]), *bound[1:]
    if x.dim() not in (3, 4) or 0 in x._shape or not x.dtype.is_floating_point:
        raise Unsupported("unfold of other than a non-empty float (N,) C, H, W tensor")
    settings = (kernel, dilation, padding, stride)
    if any(isinstance(v, (tuple, list)) and len(v) != 2 for v in settings):
        raise Unsupported("unfold settings that are not pairs")  # torch takes no [k]
    k, d = _ints(kernel, 2, "kernel_size"), _ints(dilation, 2, "dilation")
    p, s = _ints(padding, 2, "padding"), _ints(stride, 2, "stride")
    if min(k) < 1 or min(d) < 1 or min(s) < 1 or min(p) < 0:
        raise Unsupported("unfold settings out of range")
    blocks = [  # as many as a pooling window of these settings has positions
        _pool_size(size, ker, step, pad, dil, False)
        for size, ker, dil, pad, step in zip(x._shape[-2:], k, d, p, s)
    ]
    if min(blocks) < 1:
        raise Unsupported("unfold blocks larger than the padded input")
    shape = (*x._shape[:-3], x._shape[-3] * k[0] * k[1], blocks[0] * blocks[1])
    if is_contiguous(x._shape, x._stride):
        return SymTensor(shape, x.dtype)
    # On meta torch runs its decomposition, whose steps lay out what a non-contiguous input
    # gives them (the layout fuzz: one in six such inputs came out not row-major): run
    # here by their own rules. Contiguous inputs came out row-major (313 of 313).
    return _unfold_steps(x, k, p, blocks, aten)


def _unfold_steps(
    x: SymTensor, k: Sequence[int], p: Sequence[int], blocks: Sequence[int],
    aten: list[AtenOp],
) -> SymTensor:  # fmt: skip
    """F.unfold as torch's ``im2col`` decomposition runs it: the input padded (by zeros
    too), indexed by each block's rows (k_h, L_h, 1, 1) and columns (k_w, L_w), the axes
    permuted to (N, C, k_h, k_w, L_h, L_w) and reshaped to (N, C·k_h·k_w, L). (Dilation
    and stride change the indices' values and the block counts, not these layouts.)"""
    batched = x.dim() == 4
    if not batched:
        x = HANDLERS[torch.unsqueeze]((x, 0), {}, aten)
    padded = HANDLERS[F.pad]((x, (p[1], p[1], p[0], p[0])), {}, aten)
    rows = SymTensor((k[0], blocks[0], 1, 1), torch.int64, (blocks[0], 1, 1, 1))
    columns = SymTensor((k[1], blocks[1]), torch.int64)
    picked = HANDLERS[torch.Tensor.__getitem__](
        (padded, (slice(None), slice(None), rows, columns)), {}, aten
    )
    picked = HANDLERS[torch.Tensor.permute]((picked, 0, 1, 2, 4, 3, 5), {}, aten)
    n, c = x._shape[:2]
    out = HANDLERS[torch.reshape]((picked, (n, c * k[0] * k[1], blocks[0] * blocks[1])), {}, aten)
    return out if batched else HANDLERS[torch.squeeze]((out, 0), {}, aten)  # type: ignore[no-any-return]


@_register(F.mse_loss)
def _mse_loss(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
    """F.mse_loss of two float tensors of one shape and dtype: a 0-d tensor for the
    'mean' and 'sum' reductions, else their element-wise result as torch's steps lay it
    out (DAC's codebook loss; held to torch over the op tests' layouts). Targets
    of another shape (broadcast, with torch's warning), the legacy size_average/reduce
    and a weight are refused."""
    names = ("input", "target", "size_average", "reduce", "reduction", "weight")
    x, y, size_average, reduce, reduction, weight = _bind(
        args, kwargs, names, (_MISSING, _MISSING, None, None, "mean", None)
    )
    x, y = _float_input(x), _float_input(y)
    if size_average is not None or reduce is not None or weight is not None:
        raise Unsupported("mse_loss with size_average, reduce or a weight")
    if x._shape != y._shape or x.dtype != y.dtype:
        raise Unsupported("mse_loss of tensors of two shapes or dtypes")
    if reduction in ("mean", "sum"):
        return SymTensor((), x.dtype)
    if reduction != "none":
        raise Unsupported(f"mse_loss reduction {reduction!r}")
    # torch's decomposition, (input - target) ** 2, by those operations' own rules: its
    # steps lay out axes of size 1 their own way (the layout fuzz: (1, 1, 3, 1) of strides
    # (1, 1, 1, 1) stays so, where a fresh row-major answer was wrong).
    difference = HANDLERS[torch.sub]((x, y), {}, aten)
    return HANDLERS[torch.pow]((difference, 2), {}, aten)


HANDLERS[F.rrelu] = _unary(
    ("input", "lower", "upper", "training", "inplace"),
    (_MISSING, 1.0 / 8, 1.0 / 3, False, False),
    inplace_at=4,
)


__all__: list[str] = []
