"""Standard torch.nn layers called without their Python forward code, for the fast tracer.

A ``Conv2d`` call on a traced tensor runs ``Conv2d.forward``, ``_conv_forward`` and
``F.conv2d``, whose argument parser fails on the SymTensor and hands the call to the
tracer's function mode: several microseconds of torch's Python and C before the shape
rule runs, and more for the functionals written in Python (``F.relu``, ``F.batch_norm``:
their ``handle_torch_function``). For a layer of exactly one of the classes below (not
a subclass, which may replace its forward), the tracer calls the rule directly with the
very function, arguments and keywords torch's forward hands the mode, so the record is
the same. Where the forward would take another branch (a padding mode, training, a
keyword argument), :data:`NOT_DIRECT` sends the call to the forward code itself.

``tests/torch/test_direct_leaves.py`` holds each entry to what torch's forward hands the
mode, over each class's settings.

>>> import torch
>>> direct_call(torch.nn.Conv2d) is not None, direct_call(torch.nn.Sequential)
(True, None)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

NOT_DIRECT: Any = object()  # the layer is called through its forward code instead

# What a direct call gets: the module, its one input (a traced tensor, given by position:
# the tracer checks), and the tracer's call (func, args, kwargs) → result.
Call = Callable[[Any, Sequence[Any], Mapping[str, Any]], Any]
Direct = Callable[[nn.Module, Any, Call], Any]


def held(m: Any, name: str) -> Any:
    """``m.<name>`` for a tensor a layer holds (its weight, a running mean), read where
    ``nn.Module.__getattr__`` finds it, without first missing it in the instance's own
    attributes: that miss, then ``__getattr__`` in Python, cost more than the rest of a
    direct call. The layers here have no class attribute of those names (the tests check),
    so the instance's attributes, then its parameters, buffers and children are where
    Python looks, in that order.

    >>> bn = torch.nn.BatchNorm2d(3)
    >>> held(bn, "weight") is bn.weight, held(bn, "running_mean") is bn.running_mean
    (True, True)
    """
    state = m.__dict__
    if name in state:
        return state[name]
    for registry in ("_parameters", "_buffers", "_modules"):
        tensors = state[registry]
        if name in tensors:
            return tensors[name]
    return getattr(m, name)  # raises as torch does


def _conv(func: Any) -> Direct:
    def direct(m: Any, x: Any, call: Call) -> Any:
        if m.padding_mode != "zeros":
            return NOT_DIRECT
        weight, bias = held(m, "weight"), held(m, "bias")
        return call(func, (x, weight, bias, m.stride, m.padding, m.dilation, m.groups), {})

    return direct


def _linear(m: Any, x: Any, call: Call) -> Any:
    return call(F.linear, (x, held(m, "weight"), held(m, "bias")), {})


def _batch_norm(ndims: tuple[int, ...]) -> Direct:
    def direct(m: Any, x: Any, call: Call) -> Any:
        # Eval mode only: in training the forward also counts batches in a buffer.
        if m.training or x.dim() not in ndims:
            return NOT_DIRECT
        mean, var = held(m, "running_mean"), held(m, "running_var")
        options = {
            "weight": held(m, "weight"),
            "bias": held(m, "bias"),
            "training": mean is None and var is None,
            "momentum": 0.0 if m.momentum is None else m.momentum,
            "eps": m.eps,
        }
        return call(F.batch_norm, (x, mean, var), options)

    return direct


def _layer_norm(m: Any, x: Any, call: Call) -> Any:
    options = {"weight": held(m, "weight"), "bias": held(m, "bias"), "eps": m.eps}
    return call(F.layer_norm, (x, m.normalized_shape), options)


def _keyword(func: Any, *names: str) -> Direct:
    """A layer whose forward is ``func(input, name=self.name, ...)``."""

    def direct(m: Any, x: Any, call: Call) -> Any:
        return call(func, (x,), {n: getattr(m, n) for n in names})

    return direct


def _dropout(m: Any, x: Any, call: Call) -> Any:
    options = {"p": m.p, "training": m.training, "inplace": m.inplace}
    return call(F.dropout, (x,), options)


def _max_pool2d(m: Any, x: Any, call: Call) -> Any:
    if m.return_indices:  # F.max_pool2d then hands over max_pool2d_with_indices
        return NOT_DIRECT
    options = {
        "stride": m.stride,
        "padding": m.padding,
        "dilation": m.dilation,
        "ceil_mode": m.ceil_mode,
        "return_indices": m.return_indices,
    }
    return call(F.max_pool2d, (x, m.kernel_size), options)


def _adaptive_avg_pool2d(m: Any, x: Any, call: Call) -> Any:
    return call(F.adaptive_avg_pool2d, (x, m.output_size), {})


def _softmax(m: Any, x: Any, call: Call) -> Any:
    return call(F.softmax, (x,), {"dim": m.dim, "_stacklevel": 5, "dtype": None})


def _embedding(m: Any, x: Any, call: Call) -> Any:
    options = {
        "padding_idx": m.padding_idx,
        "max_norm": m.max_norm,
        "norm_type": m.norm_type,
        "scale_grad_by_freq": m.scale_grad_by_freq,
        "sparse": m.sparse,
    }
    return call(F.embedding, (x, held(m, "weight")), options)


def _plain(func: Any) -> Direct:
    """A layer whose forward is ``func(input)``."""

    def direct(m: Any, x: Any, call: Call) -> Any:
        return call(func, (x,), {})

    return direct


_DIRECT: dict[type, Direct] = {
    nn.Conv1d: _conv(F.conv1d),
    nn.Conv2d: _conv(F.conv2d),
    nn.Conv3d: _conv(F.conv3d),
    nn.Linear: _linear,
    nn.BatchNorm1d: _batch_norm((2, 3)),
    nn.BatchNorm2d: _batch_norm((4,)),
    nn.BatchNorm3d: _batch_norm((5,)),
    nn.LayerNorm: _layer_norm,
    nn.ReLU: _keyword(F.relu, "inplace"),
    nn.SiLU: _keyword(F.silu, "inplace"),
    nn.GELU: _keyword(F.gelu, "approximate"),
    nn.Tanh: _plain(torch.tanh),
    nn.Sigmoid: _plain(torch.sigmoid),
    nn.Dropout: _dropout,
    nn.MaxPool2d: _max_pool2d,
    nn.AdaptiveAvgPool2d: _adaptive_avg_pool2d,
    nn.Softmax: _softmax,
    nn.Embedding: _embedding,
}


def direct_call(cls: type) -> Direct | None:
    """The direct call of a layer of exactly class ``cls``, or None."""
    return _DIRECT.get(cls)


__all__ = ["NOT_DIRECT", "direct_call", "held"]
