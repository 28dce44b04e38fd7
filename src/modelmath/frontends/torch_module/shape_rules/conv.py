"""Convolutions and transposed convolutions, 1-d to 3-d.

Shape rules registered into :data:`HANDLERS` (see the package docstring).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import torch

from modelmath.frontends.torch_module.records import AtenOp
from modelmath.frontends.torch_module.shape_rules.base import (
    _MISSING,
    HANDLERS,
    Handler,
    _bind,
    _ints,
    _new,
    _sym,
)
from modelmath.frontends.torch_module.symbolic import (
    Unsupported,
    is_contiguous,
)


@functools.cache
def _meta_conv_is_row_major() -> bool:
    """Whether torch's meta convolution lays its output out row-major whatever the input's
    layout (torch 2.13's kernel does: meta tensors name no backend to pick a memory format
    for; earlier ones kept a channels-last input's format). Asked of torch once, on two
    tiny meta tensors, so that another torch is answered as it behaves; asked only when an
    input is not row-major, since running a meta kernel imports torch's meta registrations
    (a quarter of a second)."""
    x = torch.empty(1, 1, 2, 2, device="meta").permute(0, 3, 1, 2)  # channels-last, 2 wide
    w = torch.empty(1, 2, 1, 1, device="meta")
    gapped = torch.empty(1, 2, 2, 4, device="meta")[..., ::2]
    outs = (torch.conv2d(x, w), torch.conv2d(gapped, w))
    return all(o.is_contiguous() for o in outs)



def _conv(nd: int, transposed: bool) -> Handler:
    names: tuple[str, ...]
    if transposed:
        names = (
            "input",
            "weight",
            "bias",
            "stride",
            "padding",
            "output_padding",
            "groups",
            "dilation",
        )
        defaults: tuple[Any, ...] = (_MISSING, _MISSING, None, 1, 0, 0, 1, 1)
    else:
        names = ("input", "weight", "bias", "stride", "padding", "dilation", "groups")
        defaults = (_MISSING, _MISSING, None, 1, 0, 1, 1)

    def handler(args: Sequence[Any], kwargs: Mapping[str, Any], aten: list[AtenOp]) -> Any:
        bound = dict(zip(names, _bind(args, kwargs, names, defaults)))
        x, w, b = _sym(bound["input"]), _sym(bound["weight"]), bound["bias"]
        groups = bound["groups"]
        if x.dim() != nd + 2 or w.dim() != nd + 2 or not isinstance(groups, int) or groups < 1:
            raise Unsupported("convolution input or weight of another rank")
        if x.dtype != w.dtype or not x.dtype.is_floating_point:
            raise Unsupported("convolution of mixed or non-float dtypes")
        if not is_contiguous(x._shape, x._stride) and not _meta_conv_is_row_major():
            raise Unsupported("convolution of a non-contiguous input")
        if b is not None and (
            _sym(b)._shape != ((w._shape[1] * groups,) if transposed else (w._shape[0],))
            or b.dtype != x.dtype
        ):
            raise Unsupported("convolution bias of another size")
        n, c, *space = x._shape
        conv_input = x._shape  # what the dispatched convolution sees
        kernel = w._shape[2:]
        stride = _ints(bound["stride"], nd, "stride")
        dilation = _ints(bound["dilation"], nd, "dilation")
        padding_arg = bound["padding"]
        if min(stride) < 1 or min(dilation) < 1:
            raise Unsupported("stride or dilation below 1")
        if transposed:
            if c != w._shape[0] or c % groups:
                raise Unsupported("input channels do not match the weight")
            padding = _ints(padding_arg, nd, "padding")
            extra = _ints(bound["output_padding"], nd, "output_padding")
            out_c = w._shape[1] * groups
            sizes = tuple(
                (s - 1) * st - 2 * p + d * (k - 1) + op + 1
                for s, st, p, d, k, op in zip(space, stride, padding, dilation, kernel, extra)
            )
            if any(op >= max(st, d) for op, st, d in zip(extra, stride, dilation)):
                raise Unsupported("output_padding not smaller than stride or dilation")
        else:
            if c != w._shape[1] * groups or w._shape[0] % groups:
                raise Unsupported("input channels do not match the weight")
            out_c = w._shape[0]
            if padding_arg == "valid":
                padding = (0,) * nd
            elif padding_arg == "same":
                if max(stride) != 1:
                    raise Unsupported("padding='same' with a stride")
                # An odd total padding (an even kernel) is one more on the right: ATen pads
                # the input by that one first (constant_pad_nd), and the convolution it
                # dispatches sees the padded input.
                extra_right = [d * (k - 1) % 2 for d, k in zip(dilation, kernel)]
                conv_input = (n, c, *(s + e for s, e in zip(space, extra_right)))
                sizes = tuple(space)
                padding = ()
            else:
                padding = _ints(padding_arg, nd, "padding")
            if padding != ():
                sizes = tuple(
                    (s + 2 * p - d * (k - 1) - 1) // st + 1
                    for s, st, p, d, k in zip(space, stride, padding, dilation, kernel)
                )
                if any(
                    s + 2 * p < d * (k - 1) + 1
                    for s, p, d, k in zip(space, padding, dilation, kernel)
                ):
                    raise Unsupported("kernel larger than the padded input")
        if any(s < 1 for s in sizes) or n < 1 or min(space) < 1:
            raise Unsupported("an empty convolution")
        out = _new((n, out_c, *sizes), x.dtype)
        aten.append(
            AtenOp(
                "convolution",
                (tuple(conv_input), w._shape),
                out._shape,
                {"transposed": transposed, "groups": groups},
            )
        )
        return out

    return handler


for _nd, (_f, _t) in enumerate(
    (
        (torch.conv1d, torch.conv_transpose1d),
        (torch.conv2d, torch.conv_transpose2d),
        (torch.conv3d, torch.conv_transpose3d),
    ),
    start=1,
):
    HANDLERS[_f] = _conv(_nd, False)
    HANDLERS[_t] = _conv(_nd, True)
