"""PyTorch frontend: a live ``torch.nn.Module`` traced on the meta device.

torch is imported only inside these modules, and only when the input is a torch module:
:func:`is_torch_module` checks ``sys.modules`` first, so it never imports torch itself.

>>> import torch
>>> t = trace(torch.nn.Sequential(torch.nn.Linear(4, 2)), input_size=(1, 4))
>>> [c.op for c in t.root.walk()], t.root.outputs.shape
(['Sequential', 'Linear'], (1, 2))
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from modelmath.errors import ModelMathError, UsageError
from modelmath.frontends.torch_module.records import ModuleCall, ModuleTrace, TensorSlot


def is_torch_module(obj: Any) -> bool:
    """True for a ``torch.nn.Module``; never imports torch to find out.

    A Keras 3 model on the torch backend is a ``torch.nn.Module`` too: it is read from its
    config by the Keras frontend instead, so it is not one here.
    """
    torch = sys.modules.get("torch")
    if torch is None or not isinstance(obj, torch.nn.Module):
        return False
    return not any(c.__module__.startswith("keras") for c in type(obj).__mro__)


def _dtype(name: Any) -> Any:
    import torch

    if name is None:
        return torch.float32
    if isinstance(name, torch.dtype):
        return name
    value = getattr(torch, str(name).removeprefix("torch."), None)
    if not isinstance(value, torch.dtype):
        raise UsageError("unknown dtype", received=repr(name), fix="Use e.g. torch.long")
    return value


def meta_inputs(
    input_size: Sequence[Any] | None,
    input_data: Any,
    dtypes: Sequence[Any] | None,
) -> tuple[list[Any], dict[str, Any]]:
    """Positional and keyword inputs on the meta device, from sizes or example data."""
    import torch

    if input_data is not None and input_size is not None:
        raise UsageError(
            "give the inputs once: input_size or input_data, not both",
            fix="Pass input_size=(1, 3, 224, 224), or input_data=[tensor, ...] alone",
        )
    if input_data is not None:
        if isinstance(input_data, Mapping):
            return [], dict(_to_meta(input_data))
        if isinstance(input_data, torch.Tensor) or _is_array(input_data):
            return [_to_meta(input_data)], {}
        return list(_to_meta(list(input_data))), {}
    if input_size is None:
        raise UsageError(
            "a PyTorch model needs an input to trace",
            fix="Pass input_size=(1, 3, 224, 224) or input_data=[tensor, ...]",
        )
    sizes = _sizes(input_size)
    types = list(dtypes or [None])
    if len(types) == 1:
        types *= len(sizes)
    if len(types) != len(sizes):
        raise UsageError(
            f"{len(types)} dtypes for {len(sizes)} input{'' if len(sizes) == 1 else 's'}",
            received=repr(list(dtypes or [])),
            fix="Give one dtype for all the inputs, or one per input",
        )
    return [torch.empty(s, dtype=_dtype(t), device="meta") for s, t in zip(sizes, types)], {}


def _sizes(input_size: Any) -> list[tuple[int, ...]]:
    """``(1, 3, 224, 224)`` → one size; ``[(1, 16), (1, 16)]`` → one per input."""
    bad = UsageError(
        "input_size takes sizes as non-negative ints, one tuple per input",
        received=repr(input_size),
        fix="Write input_size=(1, 3, 224, 224) or [(1, 16), (1, 16)]",
    )
    if isinstance(input_size, (str, bytes)) or not isinstance(input_size, Sequence):
        raise bad
    items = list(input_size)
    nested = [items] if all(type(d) is int for d in items) else items
    sizes = []
    for size in nested:
        if isinstance(size, (str, bytes)) or not isinstance(size, Sequence):
            raise bad
        if not all(type(d) is int and d >= 0 for d in size):
            raise bad
        sizes.append(tuple(size))
    return sizes


def _is_array(obj: Any) -> bool:
    """A NumPy array, known without importing NumPy."""
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(obj, numpy.ndarray)


def _to_meta(obj: Any) -> Any:
    """Example data with each tensor (or NumPy array) as an empty meta tensor of its shape
    and dtype; containers kept as they are (a named tuple stays one)."""
    return _map_tensors(obj, _meta_twin)


def _meta_twin(obj: Any) -> Any:
    import torch

    if isinstance(obj, torch.Tensor):
        return torch.empty(obj.shape, dtype=obj.dtype, device="meta")
    try:  # an empty array of its dtype: torch reads the dtype, no data is copied
        dtype = torch.from_numpy(obj.reshape(-1)[:0]).dtype
    except TypeError:
        raise UsageError(
            "a NumPy array of a dtype torch has no tensors of",
            received=str(obj.dtype),
            fix="Give tensors, or arrays of numbers",
        ) from None
    return torch.empty(obj.shape, dtype=dtype, device="meta")


def _map_tensors(obj: Any, leaf: Callable[[Any], Any]) -> Any:
    """``obj`` with ``leaf(t)`` for each tensor (or NumPy array) ``t`` in it; containers
    kept as they are (a named tuple stays one)."""
    import torch

    if isinstance(obj, torch.Tensor) or _is_array(obj):
        return leaf(obj)
    if isinstance(obj, Mapping):
        return {k: _map_tensors(v, leaf) for k, v in obj.items()}
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(_map_tensors(v, leaf) for v in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(_map_tensors(v, leaf) for v in obj)
    return obj


def with_batch_axis(inputs: Any, batch_dim: Any) -> Any:
    """Each tensor of ``inputs`` with a batch axis of size 1 inserted at ``batch_dim``, as
    torchinfo's ``batch_dim`` adds one to inputs given without it.

    >>> import torch
    >>> with_batch_axis([torch.empty(3, 8, 8, device="meta")], 0)[0].shape
    torch.Size([1, 3, 8, 8])
    """
    if batch_dim is None:
        return inputs
    if type(batch_dim) is not int:
        raise UsageError(
            "batch_dim is the axis where a batch of 1 is added to each input",
            received=repr(batch_dim),
            fix="Give an int (0 for the first axis), or leave it out when the sizes "
            "include the batch",
        )

    def insert(t: Any) -> Any:
        if not -t.dim() - 1 <= batch_dim <= t.dim():
            raise UsageError(
                f"batch_dim {batch_dim} is not an axis of an input of shape {list(t.shape)}",
                received=repr(batch_dim),
                fix=f"Give an axis from {-t.dim() - 1} to {t.dim()}",
            )
        return t.unsqueeze(batch_dim)

    return _map_tensors(inputs, insert)


def trace(
    model: Any,
    *,
    input_size: Sequence[Any] | None = None,
    input_data: Any = None,
    dtypes: Sequence[Any] | None = None,
    forward_kwargs: Mapping[str, Any] | None = None,
    train: bool = False,
    tracer: str = "auto",
    batch_dim: int | None = None,
) -> ModuleTrace:
    """Trace one forward pass of ``model``; ``model`` is left untouched.

    ``tracer="auto"`` tries the fast symbolic tracer (:mod:`.fast_trace`) and, where it
    does not know an operation exactly, traces a meta copy with torch's own kernels;
    ``"symbolic"`` and ``"meta"`` force one (the tests compare the two). ``batch_dim``
    adds a batch axis of 1 to inputs given without one (:func:`with_batch_axis`);
    ``forward_kwargs`` are more keyword arguments of ``forward`` (their tensors traced
    as shapes too, with no batch axis added).
    """
    if tracer not in ("auto", "symbolic", "meta"):
        raise UsageError("unknown tracer", received=repr(tracer), fix="Use auto, symbolic or meta")
    try:
        return _trace(
            model, input_size, input_data, dtypes, forward_kwargs, train, tracer, batch_dim
        )
    except UsageError:
        without = _without_all_ones_mask(model, input_data)
        if without is None:
            raise
        try:  # the error stands if the pass fails for another reason too
            traced = _trace(
                model, input_size, without, dtypes, forward_kwargs, train, tracer, batch_dim
            )
        except ModelMathError:
            pass
        else:
            return dataclasses.replace(traced, notes=(*traced.notes, _MASK_LEFT_OUT))
        raise


_MASK_LEFT_OUT = (
    "attention_mask (all ones) was left out of the trace: transformers reads a mask's "
    "values, which a shape-only pass has not, and treats an all-ones mask as none"
)


def _without_all_ones_mask(model: Any, input_data: Any) -> dict[str, Any] | None:
    """``input_data`` without its ``attention_mask`` when the model is a transformers one
    and the mask is a real tensor of ones (as a tokenizer gives for unpadded text): the
    model computes the same with no mask, and the values need not be read. Else None."""
    if not isinstance(input_data, Mapping) or "attention_mask" not in input_data:
        return None
    import torch

    mask = input_data["attention_mask"]
    if not isinstance(mask, torch.Tensor) or mask.device.type == "meta":
        return None
    from modelmath.frontends.torch_module.diagnose import is_transformers

    if not is_transformers(model) or not bool(mask.all()):
        return None
    return {k: v for k, v in input_data.items() if k != "attention_mask"}


def _trace(
    model: Any,
    input_size: Sequence[Any] | None,
    input_data: Any,
    dtypes: Sequence[Any] | None,
    forward_kwargs: Mapping[str, Any] | None,
    train: bool,
    tracer: str,
    batch_dim: int | None = None,
) -> ModuleTrace:
    args, kwargs = meta_inputs(input_size, input_data, dtypes)
    args, kwargs = with_batch_axis(args, batch_dim), with_batch_axis(kwargs, batch_dim)
    twice = sorted(set(kwargs) & set(forward_kwargs or {}))
    if twice:
        raise UsageError(
            f"{twice[0]} is given twice: in input_data and in forward_kwargs",
            received=", ".join(twice),
            fix="Give each forward() argument once",
        )
    kwargs.update(_to_meta(dict(forward_kwargs or {})))
    if tracer != "meta":
        from modelmath.frontends.torch_module.fast_trace import fast_trace

        try:
            return fast_trace(model, args, kwargs, train=train)
        except Exception:  # Unsupported, or the forward code failed: the meta tracer
            if tracer == "symbolic":  # reruns it and, if it fails there too, explains why
                raise
    return _meta_trace(model, args, kwargs, train, input_data)


def _meta_trace(
    model: Any, args: list[Any], kwargs: dict[str, Any], train: bool, input_data: Any = None
) -> ModuleTrace:
    """The general tracer: a meta copy of ``model`` run under torch's meta kernels."""
    import torch

    from modelmath.frontends.torch_module.meta_copy import meta_copy
    from modelmath.frontends.torch_module.tracer import (
        ContractionRecorder,
        FunctionRecorder,
        Tracer,
        to_tree,
    )

    def run(default_meta: bool) -> tuple[Any, Tracer, Exception | None]:
        copy = meta_copy(model)
        copy.train(train)
        tracer = Tracer(copy)
        handles = tracer.install()
        # With default_meta, tensors the forward code makes without naming a device
        # (torch.zeros(b, t) for a mask) are made on meta too, as a real run makes them on
        # the CPU beside CPU inputs; without it, on the CPU, beside meta inputs.
        device: Any = torch.device("meta") if default_meta else contextlib.nullcontext()
        try:
            with device, torch.no_grad(), FunctionRecorder(tracer), ContractionRecorder(tracer):
                copy(*args, **kwargs)
        except Exception as err:  # the user's forward code, or modelmath's own refusal
            return copy, tracer, err
        finally:
            for h in handles:
                h.remove()
        return copy, tracer, None

    copy, tracer, err = run(default_meta=False)
    if isinstance(err, ModelMathError):
        raise err
    if err is not None:
        # Tensors made on the CPU may have met the meta inputs: made on meta, they fit.
        retry = run(default_meta=True)
        if retry[2] is not None:  # it was not that: the first failure is the user's
            from modelmath.frontends.torch_module.diagnose import forward_failure

            # An all-ones mask is left out by trace() itself when this fails: no use saying so.
            tried = _without_all_ones_mask(model, input_data) is not None
            given = [k for k in kwargs if not (tried and k == "attention_mask")]
            raise forward_failure(err, model, copy, tracer, keywords=given) from None
        copy, tracer, _ = retry
    _check_initialized(copy)
    root: ModuleCall = tracer.roots[0]
    params = tuple(
        _slot(name, p, False) for name, p in copy.named_parameters(remove_duplicate=True)
    )
    buffers = tuple(_slot(name, b, True) for name, b in copy.named_buffers(remove_duplicate=True))
    return ModuleTrace(
        root=root,
        model_name=type(model).__name__,
        inputs=to_tree([*args, *kwargs.values()]),
        parameters=params,
        buffers=buffers,
        uncalled=tuple(tracer.uncalled()),
    )


def _check_initialized(copy: Any) -> None:
    """A lazy module (``nn.LazyLinear``…) gets its parameters' shapes at its first call:
    one the pass never called has none, and no count exists for it (torch's own
    ``numel()`` refuses too)."""
    from torch.nn.parameter import is_lazy

    lazy = [
        f"{name or type(m).__name__} ({type(m).__name__})"
        for name, m in copy.named_modules()
        if any(t is not None and is_lazy(t) for t in (*m._parameters.values(),
                                                       *m._buffers.values()))
    ]  # fmt: skip
    if lazy:
        raise UsageError(
            "a lazy module was not called by the forward pass, so its parameters have "
            "no shape yet",
            received=", ".join(lazy[:5]) + (" …" if len(lazy) > 5 else ""),
            fix="Call it in forward(), or give its input size (nn.Linear(in_features, …) "
            "instead of nn.LazyLinear)",
        )


def _slot(name: str, t: Any, is_buffer: bool) -> TensorSlot:
    return TensorSlot(
        name.rsplit(".", 1)[-1],
        tuple(t.shape),
        str(t.dtype).removeprefix("torch."),
        bool(t.requires_grad) and not is_buffer,
        name,
        is_buffer=is_buffer,
    )


__all__ = ["is_torch_module", "meta_inputs", "trace", "with_batch_axis"]
